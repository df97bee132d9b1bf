// Host side of the media views: the index of a run's media as webview URIs, and table pages.
// Files are served only from inside the run's folders (core/media/runFiles): a path that resolves
// (through links) anywhere else, or a file that is gone, is reported instead of shown.

import { open, readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { MediaItem, RunlogStore } from '../../core/model';
import { readBoxLayers, readMaskLayers } from '../../core/media/overlays';
import { RunFileResolver } from '../../core/media/runFiles';
import { parseTableHead } from '../../core/media/tableHead';
import { concatTables, parseTable, TableQuery, type TableData } from '../../core/media/tableData';
import type { MaskLayerView, MediaCell, MediaItemView, RequestTableRowsMessage, TableRowsMessage } from '../../common/mediaProtocol';

const FILE_KINDS = new Set(['image', 'audio', 'video']);
const CACHED_TABLES = 4;
/** How much of a table file the first page is looked for in before the whole file is parsed. */
const HEAD_BYTES = [64 * 1024, 1024 * 1024];

export interface MediaRun {
  readonly key: string;
  readonly name: string;
  readonly dir: string;
  /** The folders its media paths are relative to, in order (RunDetail.fileRoots); default: `dir`. */
  readonly roots?: readonly string[];
}

function filesOf(run: MediaRun): RunFileResolver {
  return new RunFileResolver(run.roots ?? [run.dir]);
}

/** The first bytes of a file as text (a character cut at the end is left to the caller's parser). */
async function readHead(file: string, bytes: number): Promise<{ text: string; whole: boolean }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return { text: buffer.toString('utf8', 0, bytesRead), whole: bytesRead < bytes };
  } finally {
    await handle.close();
  }
}

type Loaded = TableQuery | { readonly error: string };
interface Picked {
  readonly run: MediaRun;
  readonly item: MediaItem;
  readonly files: RunFileResolver;
}

export class MediaFeed {
  /** Parsed tables (or why one could not be read), the newest CACHED_TABLES. */
  private readonly _tables = new Map<string, Promise<Loaded>>();

  constructor(private readonly _webview: vscode.Webview) {}

  /** The folders a page showing these runs may load files from. */
  static roots(runs: readonly MediaRun[]): vscode.Uri[] {
    return runs.flatMap((r) => (r.roots ?? [r.dir]).map((dir) => vscode.Uri.file(dir)));
  }

  index(store: RunlogStore, runs: readonly MediaRun[]): MediaItemView[] {
    const out: MediaItemView[] = [];
    for (const run of runs) {
      const files = filesOf(run);
      for (const item of store.listMedia(run.key)) out.push(this.view(run, item, files));
    }
    return out;
  }

  private view(run: MediaRun, item: MediaItem, files: RunFileResolver): MediaItemView {
    const f = item.fields;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const nums = (v: unknown): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);
    let src = '';
    let problem: string | undefined;
    if (FILE_KINDS.has(item.kind)) {
      const resolved = files.resolve(item.path);
      if (resolved.ok) src = this.uri(resolved.file);
      else problem = resolved.problem;
    }
    let overlays: Pick<MediaItemView, 'boxes' | 'masks'> = {};
    if (item.kind === 'image') {
      const boxes = readBoxLayers(f.boxes);
      const masks = readMaskLayers(f.masks).map((m): MaskLayerView => {
        const resolved = files.resolve(m.path);
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
    const concatenate = m.run === '*';
    const picked: Picked[] = [];
    for (const run of concatenate ? runs : runs.filter((r) => r.key === m.run)) {
      const tables = store.listMedia(run.key, { key: m.key }).filter((i) => i.index === m.index && (i.kind === 'table' || i.kind === 'plot') && i.step <= m.step);
      const item = concatenate ? tables[tables.length - 1] : tables.find((i) => i.step === m.step);
      if (item) picked.push({ run, item, files: filesOf(run) });
    }
    if (picked.length === 0) return fail(`no table ${JSON.stringify(m.key)} at step ${m.step}`);
    // Image cells resolve against their own run's folder (the first column names it when concatenated).
    const byName = new Map(picked.map((p) => [p.run.name, p]));
    const owner = (row: readonly unknown[]) => (concatenate ? (byName.get(String(row[0])) ?? picked[0]!) : picked[0]!);
    const reply = (columns: readonly string[], total: number, rows: readonly (readonly unknown[])[]): TableRowsMessage => ({
      type: 'tableRows', requestId: m.requestId, columns, total, offset: m.offset,
      rows: rows.map((r) => r.map((v) => this.cell(owner(r).files, v))),
    });
    const cacheKey = picked.map((p) => `${p.run.dir}\0${p.item.path}`).join('\n') + (concatenate ? '\n*' : '');
    let table = this._tables.get(cacheKey);
    if (!table) {
      // The first page in file order needs only the file's first KB (the page reads ahead the
      // next page once it shows the table, which parses the whole file for the pages, sorts and
      // filters that follow; a table never looked at is never parsed whole).
      const head = !concatenate && m.offset === 0 && m.sort === null && m.filter === '' ? await this.head(picked[0]!, m.count) : undefined;
      if (head) return reply(head.columns, head.total, head.rows);
      table = this.load(picked, concatenate);
      this._tables.set(cacheKey, table);
      if (this._tables.size > CACHED_TABLES) this._tables.delete(this._tables.keys().next().value!);
      void table.then((t) => 'error' in t && this._tables.get(cacheKey) === table && this._tables.delete(cacheKey));
    }
    const loaded = await table;
    if ('error' in loaded) return fail(loaded.error);
    const page = loaded.page(m.sort, m.filter, m.offset, m.count);
    return reply(loaded.data.columns, page.total, page.rows);
  }

  /** The columns and first `count` rows of a table from the start of its file, with its row count; undefined when the file has to be parsed whole. */
  private async head(p: Picked, count: number): Promise<(TableData & { total: number }) | undefined> {
    const resolved = p.files.resolve(p.item.path);
    if (!resolved.ok) return undefined;
    const rows = p.item.fields.rows;
    for (const bytes of HEAD_BYTES) {
      const { text, whole } = await readHead(resolved.file, bytes).catch(() => ({ text: '', whole: true }));
      const head = parseTableHead(text, count);
      if (head?.complete) return { ...head, total: head.rows.length };
      if (head && typeof rows === 'number' && Number.isInteger(rows) && rows >= head.rows.length) return { ...head, total: rows };
      if (whole) return undefined;
    }
    return undefined;
  }

  private async load(picked: readonly Picked[], concatenate: boolean): Promise<Loaded> {
    const parts: { run: string; data: TableData }[] = [];
    for (const { run, item, files } of picked) {
      const at = `table ${JSON.stringify(item.key)} at step ${item.step}${concatenate ? ` of ${run.name}` : ''}`;
      const resolved = files.resolve(item.path);
      if (!resolved.ok) return { error: `${at}: ${resolved.problem}` };
      try {
        parts.push({ run: run.name, data: parseTable(await readFile(resolved.file, 'utf8')) });
      } catch (e) {
        return { error: `${at}: ${(e as Error).message}` };
      }
    }
    return new TableQuery(concatenate ? concatTables(parts) : parts[0]!.data);
  }

  private uri(file: string): string {
    return this._webview.asWebviewUri(vscode.Uri.file(file)).toString();
  }

  private cell(files: RunFileResolver, v: unknown): MediaCell {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'object' && v !== null && (v as { _type?: unknown })._type === 'image-file' && typeof (v as { path?: unknown }).path === 'string') {
      const caption = typeof (v as { caption?: unknown }).caption === 'string' ? (v as { caption: string }).caption : undefined;
      const resolved = files.resolve((v as { path: string }).path);
      return resolved.ok ? { image: this.uri(resolved.file), caption } : { image: '', caption, problem: resolved.problem };
    }
    return v === undefined ? null : JSON.stringify(v);
  }
}
