// W&B's own run folders as a Runlog source: finds `run-<time>-<id>/` and
// `offline-run-<time>-<id>/` folders (W&B names them so: wandb/sdk/wandb_settings.py), joins the
// folders of a resumed run by id, and reads each `run-<id>.wandb` from where the last read stopped.

import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Json } from '../../format/records';
import { isValidProjectName, isValidRunId } from '../../names';
import { emptyBatch, type FileCopy, type RunSource, type SourceBatch, type SourceRunReader, type SourceRunRef, type SourceState } from '../types';
import { checkHeader, HEADER_LENGTH, readFrames } from './logFormat';
import { decodeRecord } from './records';
import { newSegmentState, SegmentTranslator, type SegmentState } from './translate';

/** A run with no exit record counts as running while its file changed this recently (W&B writes system metrics every 15 s by default). */
export const LIVE_WINDOW_SEC = 60;
/** Bytes read per slice of a large file. */
const SLICE = 8 * 1024 * 1024;
const FOLDER = /^(offline-)?run-(\d{8})_(\d{6})-(.+)$/;

export interface WandbRunRef extends SourceRunRef {
  readonly project: string;
}

interface SegmentCursor {
  readonly dir: string;
  /** The `.wandb` file, or null when the folder has none. */
  file: string | null;
  offset: number;
  /** Header checked and good (false: not yet read, or bad). */
  headerOk: boolean;
  /** What made this segment unreadable, for good. */
  broken: string | null;
  corrupt: number;
  decodeErrors: number;
  /** Unfinished bytes after `offset` at the last read. */
  pending: number;
  size: number;
  mtime: number;
  translator: SegmentState | null;
}

interface RunCursor {
  readonly segments: SegmentCursor[];
}

export class WandbSource implements RunSource {
  readonly name = 'wandb';
  readonly label = 'W&B';
  /** Projects read from run records, so discovery reads each folder's file once. */
  private readonly projects = new Map<string, string>();

  discover(roots: readonly string[]): { runs: WandbRunRef[]; skipped: { path: string; reason: string }[] } {
    const folders = new Set<string>();
    const skipped: { path: string; reason: string }[] = [];
    for (const root of roots) collectFolders(resolve(root), folders, skipped, 0);
    // Folders of one id are one run (W&B writes a new folder each time a run resumes).
    const byId = new Map<string, { project: string | undefined; id: string; sourceId: string; dirs: string[] }>();
    for (const dir of folders) {
      const m = FOLDER.exec(basename(dir));
      const sourceId = m ? m[4]! : basename(dir);
      const id = toRunId(sourceId);
      const project = this.projects.get(dir) ?? peekProject(dir);
      if (project !== undefined) this.projects.set(dir, project);
      const entry = byId.get(id) ?? { project: undefined, id, sourceId, dirs: [] };
      entry.project ??= project;
      entry.dirs.push(dir);
      byId.set(id, entry);
    }
    const runs: WandbRunRef[] = [];
    for (const e of byId.values()) {
      e.dirs.sort((a, b) => folderTime(a) - folderTime(b) || a.localeCompare(b));
      runs.push({ source: this.name, id: e.id, sourceId: e.sourceId, project: e.project ?? 'wandb', dirs: e.dirs });
    }
    return { runs, skipped };
  }

  /** The size and time of a run folder's `.wandb` file (`-` when it has none), to tell whether it changed. */
  fileStat(dir: string): string {
    const file = runFile(dir);
    if (file === null) return '-';
    try {
      const st = statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  }

  signature(run: SourceRunRef): string {
    return run.dirs.map((d) => {
      try {
        return `${d}:${statSync(d).mtimeMs}:${this.fileStat(d)}`;
      } catch {
        return `${d}:gone`;
      }
    }).join('|');
  }

  recordFiles(run: SourceRunRef): string[] {
    return run.dirs.map(runFile).filter((f): f is string => f !== null);
  }

  /** File records name `files/<path>` (relative to the run folder); media records `media/...` (relative to `files/`). */
  fileRoots(run: SourceRunRef): string[] {
    return run.dirs.flatMap((dir) => [dir, join(dir, 'files')]);
  }

  open(run: SourceRunRef, cursor?: Json): WandbRunReader {
    return new WandbRunReader(run, cursor as unknown as RunCursor | undefined);
  }

  /**
   * W&B keeps a run's files under `files/`, its media under `files/media/`: Runlog keeps media
   * under `media/`. W&B names media files by their content and never rewrites them, so they are
   * hard-linked (stored once) where the store and the W&B folder share a file system.
   */
  fileCopies(run: SourceRunRef): FileCopy[] {
    return run.dirs.flatMap((dir) => [
      { from: join(dir, 'files', 'media'), to: 'media', link: true },
      { from: join(dir, 'files'), to: 'files', except: ['media'] },
    ]);
  }
}

export class WandbRunReader implements SourceRunReader {
  private readonly c: RunCursor;
  private readonly project: string;

  constructor(private readonly run: SourceRunRef, cursor?: RunCursor) {
    this.project = (run as Partial<WandbRunRef>).project ?? 'wandb';
    const known = new Map((cursor?.segments ?? []).map((s) => [s.dir, s]));
    this.c = {
      segments: run.dirs.map((dir) => known.get(dir) ?? {
        dir, file: runFile(dir), offset: 0, headerOk: false, broken: null, corrupt: 0, decodeErrors: 0, pending: 0, size: 0, mtime: 0, translator: null,
      }),
    };
  }

  cursor(): Json {
    return JSON.parse(JSON.stringify(this.c)) as Json;
  }

  read(now = Date.now() / 1000): SourceBatch {
    const batch = emptyBatch();
    let priorLastStep = -1;
    this.c.segments.forEach((seg, index) => {
      if (seg.file === null) seg.file = runFile(seg.dir); // the writer may create it later
      seg.translator ??= newSegmentState(priorLastStep, folderTime(seg.dir) || 0);
      const translator = new SegmentTranslator(seg.translator, {
        id: this.run.id, project: this.project, resumed: index > 0, startTs: folderTime(seg.dir) || seg.mtime, file: seg.file ?? seg.dir, folder: seg.dir,
      }, batch);
      this.readSegment(seg, translator, batch);
      translator.endOfRead();
      if (seg.translator.exit === null && seg.mtime > 0 && now - seg.mtime >= LIVE_WINDOW_SEC) translator.flushOutput();
      priorLastStep = seg.translator.lastStep;
    });
    return batch;
  }

  private readSegment(seg: SegmentCursor, translator: SegmentTranslator, batch: SourceBatch): void {
    if (seg.file === null || seg.broken !== null) return;
    let fd: number;
    let st: Stats;
    try {
      fd = openSync(seg.file, 'r');
      st = fstatSync(fd);
    } catch (error) {
      batch.problems.push(`${seg.file}: cannot be read (${(error as Error).message})`);
      return;
    }
    try {
      seg.mtime = st.mtimeMs / 1000;
      if (st.size < seg.size) {
        seg.broken = `the file shrank from ${seg.size} to ${st.size} bytes after it was read; Runlog keeps what it read`;
        batch.problems.push(`${seg.file}: ${seg.broken}`);
        return;
      }
      seg.size = st.size;
      if (!seg.headerOk) {
        if (st.size < HEADER_LENGTH) return; // empty, or the header is being written
        const head = new Uint8Array(HEADER_LENGTH);
        readSync(fd, head, 0, HEADER_LENGTH, 0);
        const wrong = checkHeader(head);
        if (wrong !== undefined) {
          seg.broken = wrong;
          batch.problems.push(`${seg.file}: ${wrong}`);
          return;
        }
        seg.headerOk = true;
        seg.offset = HEADER_LENGTH;
      }
      let slice = SLICE;
      while (seg.offset < st.size) {
        const length = Math.min(slice, st.size - seg.offset);
        const buf = new Uint8Array(length);
        readSync(fd, buf, 0, length, seg.offset);
        batch.bytes += length;
        const frames = readFrames(buf, seg.offset);
        seg.corrupt += frames.corrupt;
        for (const p of frames.problems) batch.problems.push(`${seg.file}: ${p}`);
        for (const payload of frames.records) {
          batch.records++;
          try {
            translator.add(decodeRecord(payload));
          } catch (error) {
            seg.decodeErrors++;
            if (seg.decodeErrors <= 3) batch.problems.push(`${seg.file}: a record could not be decoded (${(error as Error).message}); skipped`);
          }
        }
        const progressed = frames.next > seg.offset;
        seg.offset = Math.max(seg.offset, frames.next);
        if (!progressed) {
          if (length < slice) break; // the rest is an unfinished record: wait for the writer
          slice *= 2; // one record longer than a slice
        }
      }
      seg.pending = Math.max(0, st.size - seg.offset);
    } finally {
      closeSync(fd);
    }
    this.fileSizes(batch, seg.dir);
  }

  /** `file` records get the file's size now (W&B's files record has none). */
  private fileSizes(batch: SourceBatch, dir: string): void {
    for (let i = 0; i < batch.events.length; i++) {
      const e = batch.events[i]!;
      if (e.type !== 'file' || e.size !== 0) continue;
      try {
        batch.events[i] = { ...e, size: statSync(join(dir, e.path)).size };
      } catch {
        // not written yet (W&B saves some files at the end)
      }
    }
  }

  state(now: number): { state: SourceState; exitCode: number | null } {
    const last = this.c.segments[this.c.segments.length - 1];
    const exit = last?.translator?.exit ?? null;
    if (exit) return { state: exit.code === 0 ? 'finished' : 'failed', exitCode: exit.code };
    const newest = Math.max(0, ...this.c.segments.map((s) => s.mtime));
    return now - newest < LIVE_WINDOW_SEC ? { state: 'running', exitCode: null } : { state: 'crashed', exitCode: null };
  }

  notes(now: number): string[] {
    const notes: string[] = [];
    const live = this.state(now).state === 'running';
    for (const seg of this.c.segments) {
      const where = seg.file ?? seg.dir;
      if (seg.file === null) notes.push(`${seg.dir} holds no .wandb record file: W&B wrote nothing Runlog can read for this part of the run`);
      else if (seg.broken !== null) notes.push(`${where}: ${seg.broken}`);
      else if (!seg.headerOk && !live) notes.push(`${where} is ${seg.size} bytes long, shorter than W&B's 7-byte header: the run has no data`);
      else if (seg.headerOk && seg.size === HEADER_LENGTH && !live) {
        notes.push(`${where} holds only W&B's file header: the process ended (killed?) before W&B wrote any record, so the run has no data`);
      }
      if (seg.pending > 0 && !live) notes.push(`${where} ends inside a record (${seg.pending} bytes not read): the writer was cut off`);
      if (seg.corrupt > 0) notes.push(`${where}: ${seg.corrupt} corrupt chunk${seg.corrupt === 1 ? '' : 's'} skipped`);
      if (seg.decodeErrors > 0) notes.push(`${where}: ${seg.decodeErrors} record${seg.decodeErrors === 1 ? '' : 's'} could not be decoded`);
      const unknown = seg.translator?.unknown ?? 0;
      if (unknown > 0) notes.push(`${where}: ${unknown} record${unknown === 1 ? '' : 's'} of a type Runlog does not know skipped`);
    }
    return notes;
  }
}

/** The `.wandb` file of a run folder (`run-<id>.wandb`, or any one `.wandb`), or null. */
function runFile(dir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const wandb = names.filter((n) => n.endsWith('.wandb')).sort();
  const m = FOLDER.exec(basename(dir));
  const preferred = m ? `run-${m[4]}.wandb` : undefined;
  const name = preferred && wandb.includes(preferred) ? preferred : wandb[0];
  return name === undefined ? null : join(dir, name);
}

function collectFolders(path: string, into: Set<string>, skipped: { path: string; reason: string }[], depth: number): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (error) {
    skipped.push({ path, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    return;
  }
  if (st.isFile()) {
    if (path.endsWith('.wandb')) into.add(dirname(path));
    else if (depth === 0) skipped.push({ path, reason: 'not a .wandb file' });
    return;
  }
  if (!st.isDirectory()) return;
  if (FOLDER.test(basename(path)) || (depth === 0 && runFile(path) !== null)) {
    into.add(path);
    return;
  }
  if (depth > 2) return;
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch {
    return;
  }
  let found = false;
  for (const name of entries.sort()) {
    if (name === 'latest-run' || name.startsWith('.')) continue; // a symlink to one of the others
    const child = join(path, name);
    if (FOLDER.test(name) || name === 'wandb') {
      const before = into.size;
      collectFolders(child, into, skipped, depth + 1);
      found ||= into.size > before;
    }
  }
  if (!found && depth === 0) skipped.push({ path, reason: 'holds no W&B run folder (run-<time>-<id>/ or offline-run-<time>-<id>/)' });
}

/** The run id W&B gave, made to fit Runlog's `[a-z0-9_-]{1,64}`. */
export function toRunId(sourceId: string): string {
  if (isValidRunId(sourceId)) return sourceId;
  const id = sourceId.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 64);
  return id.length > 0 ? id : 'wandb-run';
}

function toProject(name: string): string {
  if (isValidProjectName(name)) return name;
  const p = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '').slice(0, 100);
  return p.length > 0 ? p : 'wandb';
}

/** The project named by the first run record of a folder's file (W&B writes it second, at init). */
function peekProject(dir: string): string | undefined {
  const file = runFile(dir);
  if (file !== null && existsSync(file)) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const buf = new Uint8Array(Math.min(fstatSync(fd).size, 64 * 1024));
      readSync(fd, buf, 0, buf.length, 0);
      if (checkHeader(buf) === undefined) {
        for (const payload of readFrames(buf.subarray(HEADER_LENGTH), HEADER_LENGTH).records) {
          try {
            const r = decodeRecord(payload);
            if (r.kind === 'run') return toProject(r.run.project || 'wandb');
          } catch {
            // a damaged record: look further
          }
        }
      }
    } catch {
      // unreadable: the reader says why
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return undefined;
}

/** Epoch seconds from a folder's `YYYYMMDD_HHMMSS` (W&B's local time), or 0. */
function folderTime(dir: string): number {
  const m = FOLDER.exec(basename(dir));
  if (!m) return 0;
  const d = m[2]!;
  const t = m[3]!;
  const date = new Date(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
  return date.getTime() / 1000;
}
