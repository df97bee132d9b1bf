// `runlog media <run> [--key K] [--json]`: a run's media records; and `runlog export <run>
// --key K [--step N] --format csv`: a logged table (or a plot's table) as CSV.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaItem } from '../core/model';
import { parseTable } from '../core/media/tableData';
import { NotFoundError, type Store } from '../core/store/Store';
import { UsageError } from './errors';

export interface MediaIo {
  readonly stdout: (text: string) => void;
}

function fieldsText(m: MediaItem): string {
  const f = m.fields;
  const parts: string[] = [];
  if (typeof f.width === 'number' && typeof f.height === 'number') parts.push(`${f.width}x${f.height}`);
  if (typeof f.rows === 'number') parts.push(`${f.rows} rows`);
  if (Array.isArray(f.columns)) parts.push(`columns ${f.columns.map(String).join(', ')}`);
  if (Array.isArray(f.counts)) parts.push(`${f.counts.length} bins`);
  if (f.chart && typeof f.chart === 'object') parts.push(`chart ${String((f.chart as { type?: unknown }).type)}`);
  if (typeof f.caption === 'string') parts.push(JSON.stringify(f.caption));
  return parts.join('; ');
}

export function listMedia(store: Store, key: string, mediaKey: string | undefined, json: boolean, io: MediaIo): number {
  const run = store.getRun(key)!;
  if (mediaKey !== undefined && !store.listMediaKeys(key).some((k) => k.key === mediaKey)) {
    const keys = store.listMediaKeys(key).map((k) => k.key);
    throw new NotFoundError(`run ${key} has no media key "${mediaKey}"${keys.length ? ` (media keys: ${keys.join(', ')})` : ''}.`);
  }
  const items = store.listMedia(key, mediaKey === undefined ? {} : { key: mediaKey });
  if (json) {
    io.stdout(JSON.stringify(items.map((m) => ({ ...m, runPath: m.path, storePath: m.path ? join(run.dir, m.path).slice(store.dir.length + 1) : '' }))) + '\n');
    return 0;
  }
  if (items.length === 0) {
    io.stdout(`run ${key} has no media.\n`);
    return 0;
  }
  const rows = items.map((m) => [m.key, String(m.step), String(m.index), m.kind, m.path || '-', fieldsText(m)]);
  const header = ['KEY', 'STEP', 'INDEX', 'KIND', 'PATH', 'FIELDS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  io.stdout([line(header), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? ((v as { path?: unknown }).path !== undefined ? String((v as { path: unknown }).path) : JSON.stringify(v)) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The table logged under `mediaKey` (at `step`, else its latest) as CSV; image cells give their file path. */
export function tableCsv(store: Store, key: string, mediaKey: string, step: number | undefined): string {
  const tables = store.listMedia(key, { key: mediaKey }).filter((m) => m.kind === 'table' || m.kind === 'plot');
  if (tables.length === 0) throw new NotFoundError(`run ${key} has no table "${mediaKey}".`);
  const item = step === undefined ? tables[tables.length - 1]! : tables.find((m) => m.step === step);
  if (!item) throw new NotFoundError(`table "${mediaKey}" of run ${key} has no step ${step} (steps: ${tables.map((t) => t.step).join(', ')}).`);
  const run = store.getRun(key)!;
  let text: string;
  try {
    const dir = (run.fileRoots ?? [run.dir]).find((d) => existsSync(join(d, item.path))) ?? run.dir;
    text = readFileSync(join(dir, item.path), 'utf8');
  } catch (e) {
    throw new NotFoundError(`table "${mediaKey}" at step ${item.step}: cannot read ${item.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let table;
  try {
    table = parseTable(text);
  } catch (e) {
    throw new UsageError(`table "${mediaKey}" at step ${item.step}: ${item.path} is ${(e as Error).message}.`);
  }
  return [table.columns.map(csvCell).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}
