// Host side of the media views: the index of a run's media as webview URIs, and table pages.
// Files are served only from inside the run's folder: a path that resolves (through links)
// anywhere else, or a file that is gone, is reported instead of shown.

import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MediaItem, RunlogStore } from '../../core/model';
import { readBoxLayers, readMaskLayers } from '../../core/media/overlays';
import { concatTables, parseTable, TableQuery, type TableData } from '../../core/media/tableData';
import type { MaskLayerView, MediaCell, MediaItemView, RequestTableRowsMessage, TableRowsMessage } from '../../common/mediaProtocol';

const FILE_KINDS = new Set(['image', 'audio', 'video']);
const CACHED_TABLES = 4;

export interface MediaRun {
  readonly key: string;
  readonly name: string;
  readonly dir: string;
  /** The folders its media paths are relative to, in order (RunDetail.fileRoots); default: `dir`. */
  readonly roots?: readonly string[];
}

type Resolved = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly problem: string };

/** The real path of `rel` under the first of the run's folders that holds it, or why it cannot be served. */
export function resolveMediaFile(run: MediaRun, rel: string): Resolved {
  let first: Resolved | undefined;
  for (const dir of run.roots ?? [run.dir]) {
    const resolved = resolveRunFile(dir, rel);
    if (resolved.ok) return resolved;
    first ??= resolved;
  }
  return first ?? { ok: false, problem: 'the run folder is gone' };
}

/** The real path of `rel` under `dir`, or why it cannot be served. */
export function resolveRunFile(dir: string, rel: string): Resolved {
  if (rel === '' || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return { ok: false, problem: `path ${JSON.stringify(rel)} is outside the run folder` };
  let root: string;
  let file: string;
  try {
    root = realpathSync(dir);
  } catch {
    return { ok: false, problem: 'the run folder is gone' };
  }
  try {
    file = realpathSync(path.join(dir, rel));
  } catch {
    return { ok: false, problem: `file missing: ${rel}` };
  }
  if (file !== root && !file.startsWith(root + path.sep)) return { ok: false, problem: `${rel} links outside the run folder` };
  return { ok: true, file };
}

export class MediaFeed {
  private readonly _tables = new Map<string, TableQuery>();

  constructor(private readonly _webview: vscode.Webview) {}

  /** The folders a page showing these runs may load files from. */
  static roots(runs: readonly MediaRun[]): vscode.Uri[] {
    return runs.flatMap((r) => (r.roots ?? [r.dir]).map((dir) => vscode.Uri.file(dir)));
  }

  index(store: RunlogStore, runs: readonly MediaRun[]): MediaItemView[] {
    const out: MediaItemView[] = [];
    for (const run of runs) for (const item of store.listMedia(run.key)) out.push(this.view(run, item));
    return out;
  }

  private view(run: MediaRun, item: MediaItem): MediaItemView {
    const f = item.fields;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const nums = (v: unknown): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);
    let src = '';
    let problem: string | undefined;
    if (FILE_KINDS.has(item.kind)) {
      const resolved = resolveMediaFile(run, item.path);
      if (resolved.ok) src = this.uri(resolved.file);
      else problem = resolved.problem;
    }
    let overlays: Pick<MediaItemView, 'boxes' | 'masks'> = {};
    if (item.kind === 'image') {
      const boxes = readBoxLayers(f.boxes);
      const masks = readMaskLayers(f.masks).map((m): MaskLayerView => {
        const resolved = resolveMediaFile(run, m.path);
        return resolved.ok ? { name: m.name, classes: m.classes, src: this.uri(resolved.file) } : { name: m.name, classes: m.classes, src: '', problem: `mask ${JSON.stringify(m.name)}: ${resolved.problem}` };
      });
      overlays = { ...(boxes.length > 0 ? { boxes } : {}), ...(masks.length > 0 ? { masks } : {}) };
    }
    const chart = f.chart && typeof f.chart === 'object' && typeof (f.chart as { type?: unknown }).type === 'string' ? (f.chart as MediaItemView['chart']) : undefined;
    return {
      run: run.key, runName: run.name, key: item.key, step: item.step, index: item.index, kind: item.kind, path: item.path, src, problem, size: item.size,
      caption: str(f.caption), width: num(f.width), height: num(f.height),
      columns: Array.isArray(f.columns) ? f.columns.map(String) : undefined, rows: num(f.rows), chart,
      bins: nums(f.bins), counts: nums(f.counts), ...overlays,
    };
  }

  /** A page of one run's table, or (`m.run` is `*`) of the runs' tables at `m.step` (else each run's latest before it) concatenated. */
  async tableRows(store: RunlogStore, runs: readonly MediaRun[], m: RequestTableRowsMessage): Promise<TableRowsMessage> {
    const fail = (error: string): TableRowsMessage => ({ type: 'tableRows', requestId: m.requestId, columns: [], total: 0, offset: m.offset, rows: [], error });
    const picked: { run: MediaRun; item: MediaItem }[] = [];
    for (const run of m.run === '*' ? runs : runs.filter((r) => r.key === m.run)) {
      const tables = store.listMedia(run.key, { key: m.key }).filter((i) => i.index === m.index && (i.kind === 'table' || i.kind === 'plot') && i.step <= m.step);
      const item = m.run === '*' ? tables[tables.length - 1] : tables.find((i) => i.step === m.step);
      if (item) picked.push({ run, item });
    }
    if (picked.length === 0) return fail(`no table ${JSON.stringify(m.key)} at step ${m.step}`);
    const cacheKey = picked.map((p) => `${p.run.dir}\0${p.item.path}`).join('\n') + (m.run === '*' ? '\n*' : '');
    let table = this._tables.get(cacheKey);
    if (!table) {
      const parts: { run: string; data: TableData }[] = [];
      for (const { run, item } of picked) {
        const at = `table ${JSON.stringify(m.key)} at step ${item.step}${m.run === '*' ? ` of ${run.name}` : ''}`;
        const resolved = resolveMediaFile(run, item.path);
        if (!resolved.ok) return fail(`${at}: ${resolved.problem}`);
        try {
          parts.push({ run: run.name, data: parseTable(await readFile(resolved.file, 'utf8')) });
        } catch (e) {
          return fail(`${at}: ${(e as Error).message}`);
        }
      }
      table = new TableQuery(m.run === '*' ? concatTables(parts) : parts[0]!.data);
      this._tables.set(cacheKey, table);
      if (this._tables.size > CACHED_TABLES) this._tables.delete(this._tables.keys().next().value!);
    }
    const page = table.page(m.sort, m.filter, m.offset, m.count);
    // Image cells resolve against their own run's folder (the first column names it when concatenated).
    const byName = new Map(picked.map((p) => [p.run.name, p.run]));
    const runOf = (row: readonly unknown[]): MediaRun => (m.run === '*' ? (byName.get(String(row[0])) ?? picked[0]!.run) : picked[0]!.run);
    return { type: 'tableRows', requestId: m.requestId, columns: table.data.columns, total: page.total, offset: m.offset, rows: page.rows.map((r) => r.map((v) => this.cell(runOf(r), v))) };
  }

  private uri(file: string): string {
    return this._webview.asWebviewUri(vscode.Uri.file(file)).toString();
  }

  private cell(run: MediaRun, v: unknown): MediaCell {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'object' && v !== null && (v as { _type?: unknown })._type === 'image-file' && typeof (v as { path?: unknown }).path === 'string') {
      const caption = typeof (v as { caption?: unknown }).caption === 'string' ? (v as { caption: string }).caption : undefined;
      const resolved = resolveMediaFile(run, (v as { path: string }).path);
      return resolved.ok ? { image: this.uri(resolved.file), caption } : { image: '', caption, problem: resolved.problem };
    }
    return v === undefined ? null : JSON.stringify(v);
  }
}
