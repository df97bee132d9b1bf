// One ingest pass over the store: finds run directories (all of them, or only those that
// changed), reads what each file gained since the stored position, and commits the data with the
// new position in one transaction per slice.

import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { checkHeader, FORMAT_MAJOR } from '../format/records';
import { FileShrankError, readJsonLines } from '../format/jsonl';
import { runKey, type IngestFailure, type RunKey } from '../model';
import type { Db } from '../index/schema';
import { blankRunRow, type IngestFileRow, type RunRow } from '../index/rows';
import { mergeChanges, type ChangeCollector } from './changes';
import { addProject, dropProjectIfGone } from './projects';
import { applyEntry, stillRefused, unsupportedMessage, type RunFileKind } from './entries';
import { applyDerivedState, RunSession, type SliceChanges } from './RunSession';
import { discover, isDirectory, listProjects, listRunIds, runLocation, statOrUndefined, type IngestTargets, type PassStats, type RunLocation } from './scan';
import { judgedByProcess, type Environment } from './state';
import { IngestStatements } from './statements';
import { describeFailure as describe, isBusy, ResetRun, RunVanished } from './failures';
import { SourceRuns } from './sourceRuns';

export type { RunFileKind } from './entries';
export type { IngestTargets, PassStats, RunLocation } from './scan';
/** Events first: edits are judged against the run's own records. */
export const RUN_FILES: readonly RunFileKind[] = ['events', 'edits', 'output', 'system'];
/** A run read in place from another tool's files (sourceRuns.ts): its folder holds only its edits. */
const SOURCE_RUN_FILES: readonly RunFileKind[] = ['edits'];
export { isBusy } from './failures';

export interface IngestOptions {
  /** Bytes read per transaction (a longer single line is read whole). */
  readonly maxSliceBytes?: number;
  /** Test hook: called inside each slice's transaction just before it commits. */
  readonly beforeCommit?: (run: RunKey, file: RunFileKind) => void;
}

export type { IngestFailure } from '../model';

/** How long a run may wait for a lock another process holds before the wait is reported. */
const BUSY_REPORT_S = 60;


export class StoreIngestor {
  private readonly st: IngestStatements;
  private readonly sources: SourceRuns;
  private readonly maxSliceBytes: number;
  /** Runs whose last passes found the index locked by another process (key → since when, s). */
  private readonly busySince = new Map<RunKey, number>();

  constructor(
    private readonly db: Db,
    private readonly storeDir: string,
    private readonly env: Environment,
    private readonly options: IngestOptions = {},
  ) {
    this.st = new IngestStatements(db);
    this.sources = new SourceRuns(db, this.st, env, (rid) => this.clearRunRows(rid));
    this.maxSliceBytes = options.maxSliceBytes ?? 32 * 1024 * 1024;
  }

  /** What the last pass read (folders listed, run folders read). */
  lastPass: PassStats = { full: true, foldersListed: 0, runsRead: 0 };
  /** Run folders seen with no files yet: read again on every pass until their files come. */
  private readonly waiting = new Map<RunKey, RunLocation>();
  /** Where the rolling check of the indexed runs goes on from (a run id). */
  private rollCursor = 0;

  /** Scans the whole store and ingests everything new. Returns the runs that failed (already rolled back). */
  pass(changes: ChangeCollector): IngestFailure[] {
    const stats: PassStats = (this.lastPass = { full: true, foldersListed: 0, runsRead: 0 });
    const { projects, runs } = this.discover(stats);
    this.waiting.clear();
    return this.ingestRuns(changes, runs, stats, () => {
      this.syncProjects(projects, changes);
      this.forgetVanished(runs, changes);
    });
  }

  /**
   * Ingests only `targets` (the folders file events named) and the runs waiting for their first
   * files: nothing else of the store is listed or stat'ed. A target whose folder is gone is
   * forgotten; a listed project brings its new and vanished runs.
   */
  passTargets(changes: ChangeCollector, targets: IngestTargets): IngestFailure[] {
    const stats: PassStats = (this.lastPass = { full: false, foldersListed: 0, runsRead: 0 });
    const runs = new Map([...this.waiting, ...targets.runs]);
    return this.ingestRuns(changes, runs, stats, () => {
      const projects = new Set(targets.projects);
      if (targets.listProjects) {
        const stored = this.db.prepare('SELECT name FROM projects').pluck().all() as string[];
        const onDisk = new Set(listProjects(this.storeDir, stats));
        for (const p of [...stored.filter((p) => !onDisk.has(p)), ...[...onDisk].filter((p) => !stored.includes(p))]) projects.add(p);
      }
      for (const project of projects) this.syncProject(project, runs, changes, stats);
    });
  }

  /** The folders of up to `count` indexed runs after the last ones this returned (wrapping): a slow, whole-store check. */
  rollingSlice(count: number): Map<RunKey, RunLocation> {
    const rows = this.db.prepare('SELECT rid, project, id FROM runs WHERE rid > ? ORDER BY rid LIMIT ?').all(this.rollCursor, count) as { rid: number; project: string; id: string }[];
    this.rollCursor = rows.length < count ? 0 : rows[rows.length - 1]!.rid;
    return new Map(rows.map((r) => [runKey(r.project, r.id), runLocation(this.storeDir, r.project, r.id)]));
  }

  private ingestRuns(changes: ChangeCollector, runs: Map<RunKey, RunLocation>, stats: PassStats, before: () => void): IngestFailure[] {
    const failures: IngestFailure[] = [];
    try {
      before();
      // First, so a run whose process died since the last pass is read as ended (its last line
      // torn). Runs judged by heartbeats wait until their new records are read (below).
      this.refreshLiveStates(changes, 'process');
      this.busySince.delete('');
    } catch (error) {
      if (!this.stillWaiting('', error)) throw error;
    }
    for (const [key, location] of runs) {
      try {
        stats.runsRead++;
        if (!stats.full && !isDirectory(location.dir)) {
          this.waiting.delete(key);
          const rid = this.st.selectRunId.get(location.project, location.id) as number | undefined;
          if (rid !== undefined && this.removeRunIfGone(rid, location.project, location.id)) changes.runRemoved(key);
          continue;
        }
        if (this.ingestRun(location, changes) === undefined) this.waiting.set(key, location);
        else this.waiting.delete(key);
        this.busySince.delete(key);
      } catch (error) {
        if (this.stillWaiting(key, error)) continue;
        failures.push({ run: key, file: (error as { file?: string }).file ?? location.dir, message: describe(error) });
      }
    }
    try {
      this.refreshLiveStates(changes, 'heartbeats');
    } catch (error) {
      if (!this.stillWaiting('', error)) throw error;
    }
    return failures;
  }

  /** One project's folder against its rows: adds its new and vanished runs to `runs`; forgets a project that is gone. */
  private syncProject(project: string, runs: Map<RunKey, RunLocation>, changes: ChangeCollector, stats: PassStats): void {
    const indexed = this.db.prepare('SELECT id FROM runs WHERE project = ?').pluck().all(project) as string[];
    const add = (id: string) => runs.set(runKey(project, id), runLocation(this.storeDir, project, id));
    if (!isDirectory(join(this.storeDir, 'projects', project))) {
      dropProjectIfGone(this.db, this.storeDir, project, changes);
      indexed.forEach(add);
      return;
    }
    addProject(this.db, project, changes);
    const onDisk = new Set(listRunIds(this.storeDir, project, stats));
    const known = new Set(indexed);
    for (const id of onDisk) if (!known.has(id)) add(id);
    for (const id of indexed) if (!onDisk.has(id)) add(id);
  }

  /** Drops the rows of runs whose folder is gone; follows a store that was moved. */
  private forgetVanished(runs: Map<RunKey, RunLocation>, changes: ChangeCollector): void {
    const known = this.db.prepare('SELECT rid, project, id, state, dir FROM runs').all() as { rid: number; project: string; id: string; state: string; dir: string }[];
    for (const run of known) {
      const key = runKey(run.project, run.id);
      const location = runs.get(key);
      if (!location) {
        // `runs` was listed before `known` was read: a run another process added in between
        // is in the index but not in the listing. Only a folder that is gone now goes.
        if (this.removeRunIfGone(run.rid, run.project, run.id)) changes.runRemoved(key);
      } else if (run.dir !== location.dir) {
        // The store was moved or copied (a cloned repo's index): the folder is where it is now.
        this.db.prepare('UPDATE runs SET dir = ? WHERE rid = ?').run(location.dir, run.rid);
        changes.runUpdated(key);
      }
    }
  }

  /**
   * True while another process has kept the index locked past the busy timeout for less than
   * BUSY_REPORT_S: nothing was written (the slice rolled back), the next pass reads it again.
   */
  private stillWaiting(key: RunKey, error: unknown): boolean {
    if (!isBusy(error)) return false;
    const now = this.env.now();
    const since = this.busySince.get(key) ?? now;
    this.busySince.set(key, since);
    return now - since < BUSY_REPORT_S;
  }

  /**
   * Re-derives the state of runs that looked alive, so a dead run turns `crashed` without new
   * bytes: those this host judges by their process, or those it judges by their heartbeats.
   */
  refreshLiveStates(changes: ChangeCollector, judged: 'process' | 'heartbeats'): void {
    const live = this.db.prepare("SELECT rid, pid, host FROM runs WHERE state = 'running'").all() as { rid: number; pid: number | null; host: string | null }[];
    for (const { rid } of live.filter((r) => judgedByProcess(r, this.env) === (judged === 'process'))) {
      // Most live runs are still alive: find that out without the write lock, which every
      // process ingesting this store (each window, the CLI) contends for on every pass.
      const seen = this.st.selectRun.get(rid) as RunRow | undefined;
      if (!seen || seen.state !== 'running') continue;
      applyDerivedState(seen, this.env);
      if (seen.state === 'running') continue;
      // Re-read inside the transaction: another process may have ingested this run meanwhile.
      const ended = this.db.transaction(() => {
        const row = this.st.selectRun.get(rid) as RunRow | undefined;
        if (!row || row.state !== 'running') return undefined;
        applyDerivedState(row, this.env);
        if (row.state === 'running') return undefined;
        this.st.updateRun.run(row);
        return runKey(row.project, row.id);
      }).immediate();
      if (ended !== undefined) {
        changes.runUpdated(ended);
        changes.projectsChanged();
      }
    }
  }

  discover(stats?: PassStats): { projects: Set<string>; runs: Map<RunKey, RunLocation> } {
    return discover(this.storeDir, stats);
  }

  private syncProjects(onDisk: Set<string>, changes: ChangeCollector): void {
    const stored = new Set(this.db.prepare('SELECT name FROM projects').pluck().all() as string[]);
    for (const p of onDisk) if (!stored.has(p)) addProject(this.db, p, changes);
    // As for runs: the listing may be older than the row; dropped only if the folder is gone now.
    for (const p of stored) if (!onDisk.has(p)) dropProjectIfGone(this.db, this.storeDir, p, changes);
  }

  /** Ingests one run directory; returns its row id, or undefined while it has no files yet. */
  ingestRun(location: RunLocation, changes: ChangeCollector, attempt = 0): number | undefined {
    const key = runKey(location.project, location.id);
    const marker = this.sources.marker(location.dir);
    const files = marker ? SOURCE_RUN_FILES : RUN_FILES;
    const stats = new Map<RunFileKind, Stats>();
    for (const file of files) {
      const s = statOrUndefined(join(location.dir, `${file}.jsonl`));
      if (s) stats.set(file, s);
    }
    let rid = this.st.selectRunId.get(location.project, location.id) as number | undefined;
    if (rid === undefined) {
      if (stats.size === 0 && !marker) return undefined;
      rid = this.db.transaction(() => {
        const existing = this.st.selectRunId.get(location.project, location.id) as number | undefined;
        if (existing !== undefined) return existing;
        return Number(this.st.insertRun.run(location.project, location.id, location.dir, location.id).lastInsertRowid);
      }).immediate();
      changes.runAdded(key);
    }
    // The source's records first: edits are judged against the run's own records.
    for (const file of marker ? ['source' as const, ...files] : files) {
      const s = file === 'source' ? undefined : stats.get(file);
      if (!s && file !== 'source') continue;
      try {
        if (file === 'source') this.sources.ingest(rid, location, marker!, changes, () => this.options.beforeCommit?.(key, 'events'));
        else this.ingestFile(rid, key, location, file, s!, changes);
      } catch (error) {
        if (error instanceof RunVanished) {
          // Deleted by another process whose listing missed the folder: the folder decides.
          if (attempt >= 2) throw Object.assign(new Error(`the run's index rows were deleted by another process ${attempt + 1} times while reading it`), { file: `${file}.jsonl` });
          changes.runRemoved(key);
          return this.ingestRun(location, changes, attempt + 1);
        }
        if (!(error instanceof ResetRun)) throw Object.assign(error as Error, { file: file === 'source' ? 'source.json' : `${file}.jsonl` });
        // A file shrank or was replaced: everything read from this run is suspect. Start over.
        this.resetRun(rid, location);
        changes.runUpdated(key);
        return this.ingestRun(location, changes, attempt);
      }
    }
    return rid;
  }

  private ingestFile(rid: number, key: RunKey, location: RunLocation, file: RunFileKind, before: Stats, changes: ChangeCollector): void {
    const path = join(location.dir, `${file}.jsonl`);
    const label = `${file}.jsonl`;
    // Most files of most runs have not changed: say so without taking the write lock.
    const known = this.st.selectPos.get(rid, label) as IngestFileRow | undefined;
    if (known && known.size === before.size && known.mtime === before.mtimeMs && known.ino === before.ino && (known.offset === before.size || known.refused !== null)) return;
    let first = true;
    for (;;) {
      const outcome = this.db.transaction((): { more: boolean; changes?: SliceChanges } => {
        // Everything the slice is judged by is read under the write lock: another process may
        // have read further (or deleted the run) since this one looked, and a file size seen
        // before that would read as a file that shrank.
        const row = this.st.selectRun.get(rid) as RunRow | undefined;
        if (!row) throw new RunVanished();
        const stat = statOrUndefined(path);
        if (!stat) return { more: false };
        const pos = (this.st.selectPos.get(rid, label) as IngestFileRow | undefined) ?? { run: rid, file: label, offset: 0, line: 0, size: 0, mtime: 0, ino: 0, refused: null };
        if (pos.offset > 0 && pos.ino !== 0 && stat.ino !== pos.ino) throw new ResetRun();
        if (stat.size < pos.offset) throw new ResetRun();
        const unchanged = pos.size === stat.size && pos.mtime === stat.mtimeMs && pos.ino === stat.ino;
        if (first && unchanged) {
          // Nothing new; but a pending last line becomes torn once the run has ended.
          const tornCheck = pos.offset < stat.size && row.state !== 'running' && pos.refused === null && !this.st.hasProblem.get(rid, label, pos.line + 1, 'torn');
          if (!tornCheck) return { more: false };
        }
        const session = new RunSession(this.st, row);
        if (pos.refused !== null) {
          if (unchanged) return { more: false };
          if (stillRefused(path, session, label)) {
            this.st.upsertPos.run(rid, label, 0, 0, stat.size, stat.mtimeMs, stat.ino, pos.refused);
            return { more: false };
          }
          pos.refused = null;
        }
        let slice;
        try {
          slice = readJsonLines(path, pos, { maxBytes: this.maxSliceBytes, label });
        } catch (error) {
          if (error instanceof FileShrankError) throw new ResetRun();
          throw error;
        }
        let refused: string | null = null;
        for (const entry of slice.entries) {
          if (file === 'events' && entry.line === 1) {
            const verdict = checkHeader(entry.value);
            if (verdict.kind === 'ok') continue;
            if (verdict.kind === 'unsupported') {
              refused = String(verdict.version);
              session.problem({ file: label, line: 1, kind: 'unsupported-version', message: unsupportedMessage(label, verdict.version) });
              break;
            }
            session.problem({ file: label, line: 1, kind: 'invalid', message: `${label} line 1: no header line (expected {"type":"header","format":"runlog","version":${FORMAT_MAJOR},…}); read as version ${FORMAT_MAJOR}` });
          }
          applyEntry(session, file, label, entry.line, entry.value);
        }
        for (const problem of slice.problems) session.problem({ file: label, ...problem });
        if (slice.entries.length > 0 || slice.problems.length > 0) session.clearTornUpTo(label, slice.next.line);
        if (refused !== null) {
          // Keep what the run's other files say; show the run with the problem.
          if (session.row.last_seen === null) session.row.last_seen = stat.mtimeMs / 1000;
          if (session.row.start_time === null) session.row.start_time = stat.birthtimeMs > 0 ? stat.birthtimeMs / 1000 : stat.mtimeMs / 1000;
          session.changes.updated = true;
        }
        // Files that hold no record yet (the SDK made them and is still starting): the newest sign
        // of life is the file's own time, so a run starting now reads running, an old empty one crashed.
        if (session.row.last_seen === null && session.row.heard_at === null) session.row.heard_at = stat.mtimeMs / 1000;
        session.finish(this.env);
        if (refused === null && slice.tailBytes > 0 && !slice.more && session.row.state !== 'running') {
          session.problem({ file: label, line: slice.next.line + 1, kind: 'torn', message: `${label} line ${slice.next.line + 1}: torn last line (${slice.tailBytes} bytes with no newline; the run ended mid-line), skipped` });
        }
        const next = refused === null ? slice.next : { offset: 0, line: 0 };
        this.st.upsertPos.run(rid, label, next.offset, next.line, stat.size, stat.mtimeMs, stat.ino, refused);
        this.options.beforeCommit?.(key, file);
        return { more: slice.more && refused === null, changes: session.changes };
      }).immediate();
      first = false;
      if (outcome.changes) mergeChanges(changes, key, outcome.changes);
      if (!outcome.more) return;
    }
  }

  /** Deletes a run's rows if its folder is gone, deciding under the write lock. */
  private removeRunIfGone(rid: number, project: string, id: string): boolean {
    return this.db.transaction(() => {
      if (isDirectory(join(this.storeDir, 'projects', project, 'runs', id))) return false;
      if (this.st.selectRunId.get(project, id) !== rid) return false;
      this.clearRunRows(rid);
      this.st.deleteRun.run(rid);
      return true;
    }).immediate();
  }

  /** Deletes a run's rows (not its directory). */
  removeRun(rid: number): void {
    this.db.transaction(() => {
      this.clearRunRows(rid);
      this.st.deleteRun.run(rid);
    }).immediate();
  }

  private resetRun(rid: number, location: RunLocation): void {
    this.db.transaction(() => {
      this.clearRunRows(rid);
      this.st.updateRun.run(blankRunRow(rid, location.project, location.id, location.dir));
    }).immediate();
  }

  private clearRunRows(rid: number): void {
    this.st.history.deleteRunLod.run(rid);
    for (const statement of this.st.deleteFromRunTables) statement.run(rid);
  }
}
