// `runlog import`: copies runs found by a source into a Runlog store as ordinary format v1 runs.
// Each imported run keeps `source.json` (which source folders, and the reader's cursor), so a
// second import reads only what the source gained since the first: nothing twice.

import { appendFileSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { stringifyJson } from '../format/json';
import { FORMAT_MAJOR, FORMAT_MINOR, type HeaderRecord } from '../format/records';
import { isInPlace, readMarker, writeMarker } from './marker';
import { addNoteAlerts } from './notes';
import type { RunSource, SourceRunRef } from './types';

export { SOURCE_MARKER } from './marker';
const WRITER = 'runlog-import/0.1.0';

export interface ImportedRun {
  readonly project: string;
  readonly id: string;
  readonly dir: string;
  /** new: first import; grown: the source had more; unchanged: nothing new. */
  readonly status: 'new' | 'grown' | 'unchanged';
  readonly records: number;
  readonly notes: string[];
}

export interface ImportResult {
  readonly runs: ImportedRun[];
  readonly skipped: { readonly path: string; readonly reason: string }[];
}

export interface ImportOptions {
  /** Called before each run is read. */
  readonly onProgress?: (done: number, total: number, run: SourceRunRef) => void;
  /** Returns false to leave a run unread this time (its files did not change). */
  readonly shouldRead?: (run: SourceRunRef) => boolean;
  readonly now?: number;
}

export function importRuns(source: RunSource, paths: readonly string[], storeDir: string, options: ImportOptions = {}): ImportResult {
  const { runs: refs, skipped } = source.discover(paths);
  const runs: ImportedRun[] = [];
  const result = { runs, skipped: [...skipped] };
  const now = options.now ?? Date.now() / 1000;
  refs.forEach((ref, i) => {
    options.onProgress?.(i, refs.length, ref);
    if (options.shouldRead && !options.shouldRead(ref)) return;
    const project = (ref as { project?: string }).project ?? source.name;
    const dir = join(storeDir, 'projects', project, 'runs', ref.id);
    const read = readMarker(dir);
    const marker = read && 'marker' in read ? read.marker : undefined;
    if (read && 'problem' in read) {
      result.skipped.push({ path: ref.dirs[0] ?? ref.id, reason: `${read.problem}; delete the run to import it again` });
      return;
    }
    if (marker !== undefined) {
      if (isInPlace(marker)) {
        result.skipped.push({ path: ref.dirs[0] ?? ref.id, reason: `${project}/${ref.id} is shown in place from its ${source.label} folder; delete it from the store first to keep a copy instead` });
        return;
      }
      if (marker.source !== source.name || marker.sourceId !== ref.sourceId) {
        result.skipped.push({ path: ref.dirs[0] ?? ref.id, reason: `${project}/${ref.id} was imported from another run (${marker.source} ${marker.sourceId})` });
        return;
      }
    } else if (existsSync(dir)) {
      result.skipped.push({ path: ref.dirs[0] ?? ref.id, reason: `a Runlog run ${project}/${ref.id} already exists` });
      return;
    }
    // Folders seen before keep their cursors; a resumed run's new folder starts from scratch.
    const reader = source.open(ref, marker?.cursor);
    const batch = reader.read(now);
    // Notes about the source (a header-only file, a cut-off tail, corrupt chunks) stay on the run as alerts.
    const notes = [...reader.notes(now), ...batch.problems];
    const kept = addNoteAlerts(source.label, batch, notes, marker && { seen: marker.notes ?? [], lastTs: marker.lastTs ?? 0 }, now);
    const records = batch.events.length + batch.output.length + batch.system.length;
    const cursor = reader.cursor();
    if (marker !== undefined && records === 0 && JSON.stringify(cursor) === JSON.stringify(marker.cursor)) {
      runs.push({ project, id: ref.id, dir, status: 'unchanged', records: 0, notes });
      return;
    }
    mkdirSync(join(dir, 'files'), { recursive: true });
    // Files first: a media record never names a file not yet copied (README.md, Media records).
    for (const copy of source.fileCopies(ref)) copyNewFiles(copy.from, join(dir, copy.to), copy.except ?? [], copy.link === true);
    const events = join(dir, 'events.jsonl');
    if (!existsSync(events)) {
      const header: HeaderRecord = { type: 'header', format: 'runlog', version: FORMAT_MAJOR, minor: FORMAT_MINOR, writer: WRITER, created: now };
      appendFileSync(events, `${JSON.stringify(header)}\n`);
    }
    appendLines(events, batch.events);
    appendLines(join(dir, 'output.jsonl'), batch.output);
    appendLines(join(dir, 'system.jsonl'), batch.system);
    // The marker last: a crash before it means the next import reads this part again.
    writeMarker(dir, { source: source.name, sourceId: ref.sourceId, dirs: ref.dirs, mode: 'copy', cursor, notes: kept.seen, lastTs: kept.lastTs });
    runs.push({ project, id: ref.id, dir, status: marker === undefined ? 'new' : records > 0 ? 'grown' : 'unchanged', records, notes });
  });
  return result;
}

function appendLines(file: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  appendFileSync(file, records.map((r) => `${stringifyJson(r)}\n`).join(''));
}

/**
 * Copies files that are missing or changed in size (W&B rewrites some files until the run ends),
 * each under a temporary name renamed into place, so no reader sees half a file. `link`: a hard
 * link where the file system allows one (the source's files are never rewritten), else a copy.
 */
function copyNewFiles(from: string, to: string, except: readonly string[], link: boolean): void {
  let entries;
  try {
    entries = readdirSync(from, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const src = join(e.parentPath, e.name);
    const rel = relative(from, src);
    if (except.some((folder) => rel.startsWith(`${folder}${sep}`))) continue;
    const dest = join(to, rel);
    try {
      if (existsSync(dest) && statSync(dest).size === statSync(src).size) continue;
      mkdirSync(dirname(dest), { recursive: true });
      const tmp = `${dest}.${process.pid}.tmp`;
      try {
        if (!link) throw new Error('copy');
        linkSync(src, tmp);
      } catch {
        rmSync(tmp, { force: true });
        copyFileSync(src, tmp);
      }
      renameSync(tmp, dest);
    } catch {
      // A file that vanished or cannot be read: the run's other data still imports.
    }
  }
}

/** The summary a person reads after an import. */
export function describeImport(result: ImportResult, storeDir: string, label: string): string {
  const count = (status: string): number => result.runs.filter((r) => r.status === status).length;
  const records = result.runs.reduce((n, r) => n + r.records, 0);
  const lines = [
    `imported ${result.runs.length} ${label} run${result.runs.length === 1 ? '' : 's'} into ${storeDir}: ` +
      `${count('new')} new, ${count('grown')} grown, ${count('unchanged')} unchanged (${records} records written)`,
  ];
  for (const run of result.runs) {
    for (const note of run.notes) lines.push(`  note: ${run.project}/${run.id}: ${note}`);
  }
  if (result.skipped.length > 0) {
    lines.push(`skipped ${result.skipped.length}:`);
    for (const s of result.skipped) lines.push(`  ${s.path}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
