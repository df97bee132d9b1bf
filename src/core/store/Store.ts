// The run store: an SQLite index over the run directories of one store folder, kept current by
// incremental ingest, queried synchronously by the editor, the CLI and the tests.

import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import { stringifyJson } from '../format/json';
import type { EditRecord } from '../format/records';
import {
  parseRunKey,
  runKey,
  type ArtifactRef,
  type HistoryQuery,
  type HistorySeries,
  type IngestFailure,
  type IngestProblem,
  type MetricKeyInfo,
  type OutputLine,
  type ProjectInfo,
  type RunAlert,
  type RunDetail,
  type MediaItem,
  type MediaKeyInfo,
  type MediaQuery,
  type RunFile,
  type RunInfo,
  type RunKey,
  type RunlogStore,
  type RunListQuery,
  type RunMeta,
  type StoreChange,
  type Unsubscribe,
} from '../model';
import { ChangeCollector } from '../ingest/changes';
import { probeProcess } from '../ingest/processes';
import type { Environment } from '../ingest/state';
import { StoreIngestor, type IngestOptions } from '../ingest/StoreIngestor';
import { isValidArtifactName, isValidProjectName, isValidRunId, projectNameProblem } from '../names';
import { compileFilter } from '../query/filter';
import { sortRuns } from '../query/sort';
import { bucketLayout, emptySeries, MinMaxBuckets, rawSeries } from './downsample';
import type { MetricKeyRow, RunRow } from './rows';
import { MediaQueries } from './media';
import { isUnusableIndexError, LOD_LEVELS, openIndex, type Db } from './schema';
import { decodeValue, toMetricValue } from './values';
import { closedSegments, groupByRun, prepareQueries, toRunInfo, type Raw3 } from './readModel';

export const INDEX_FILE = 'index.sqlite';

export interface StoreOptions {
  /** Open an existing index read-only: no ingest, no edits. */
  readonly readonly?: boolean;
  /** Ingest on open (default true; a missing or unusable index is always rebuilt). */
  readonly syncOnOpen?: boolean;
  /** Clock, host name and process probe, replaceable in tests. */
  readonly env?: Partial<Environment>;
  readonly ingest?: IngestOptions;
}

/** A store-level failure: the folder or index cannot be used, or an edit cannot be made. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The key or the project named does not exist. */
export class NotFoundError extends StoreError {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export type { IngestFailure };

export class Store implements RunlogStore {
  private db!: Db;
  private ingestor!: StoreIngestor;
  private statements!: ReturnType<typeof prepareQueries>;
  private media!: MediaQueries;
  private readonly env: Environment;
  private readonly listeners = new Set<(changes: readonly StoreChange[]) => void>();
  private readonly failureListeners = new Set<(failures: readonly IngestFailure[]) => void>();
  private readonly pending = new ChangeCollector();
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private syncing = false;
  private closed = false;
  /** Inode of the index file this store's connection has open (0 when unknown). */
  private indexIno = 0;
  private _failures: IngestFailure[] = [];
  /** Why the index was last rebuilt, if it was since this store was opened. */
  lastRebuildReason: string | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: StoreOptions,
  ) {
    this.env = {
      now: options.env?.now ?? (() => Date.now() / 1000),
      hostname: options.env?.hostname ?? hostname(),
      probeProcess: options.env?.probeProcess ?? probeProcess,
    };
  }

  get readonly(): boolean {
    return this.options.readonly ?? false;
  }

  get indexPath(): string {
    return join(this.dir, INDEX_FILE);
  }

  /**
   * Opens the store at `dir` (created when missing unless read-only). An index that is missing,
   * corrupt or of an unknown schema version is rebuilt from the run directories; the bad file
   * is kept beside it as `index.sqlite.corrupt-<ts>`.
   */
  static open(dir: string, options: StoreOptions = {}): Store {
    const store = new Store(dir, options);
    const indexPath = store.indexPath;
    if (options.readonly) {
      if (!existsSync(indexPath)) throw new StoreError(`No Runlog index at ${indexPath}; open the store writable once to build it.`);
      try {
        store.attach(openIndex(indexPath, { readonly: true }));
      } catch (error) {
        throw new StoreError(`Cannot read the Runlog index at ${indexPath}: ${(error as Error).message}`);
      }
      return store;
    }
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new StoreError(`Cannot create the Runlog store folder ${dir}: ${(error as Error).message}`);
    }
    const existed = existsSync(indexPath);
    let reason: string | undefined = existed ? undefined : 'the index did not exist';
    let db: Db;
    try {
      db = openIndex(indexPath);
    } catch (error) {
      if (!isUnusableIndexError(error)) throw new StoreError(`Cannot open the Runlog index at ${indexPath}: ${(error as Error).message}`);
      const aside = moveAside(indexPath);
      reason = `the index could not be used (${(error as Error).message})${aside ? `; the old file was kept as ${aside}` : ''}`;
      try {
        db = openIndex(indexPath);
      } catch (again) {
        throw new StoreError(`Cannot create the Runlog index at ${indexPath}: ${(again as Error).message}`);
      }
    }
    store.attach(db);
    try {
      if (reason !== undefined) store.ingestAll(reason);
      else if (options.syncOnOpen ?? true) store.runPass();
    } catch (error) {
      db.close();
      throw new StoreError(`Cannot read the Runlog store at ${dir}: ${(error as Error).message}`);
    }
    return store;
  }

  private attach(db: Db): void {
    this.db = db;
    this.indexIno = fileIno(this.indexPath);
    this.statements = prepareQueries(db);
    this.media = new MediaQueries(db);
    if (!this.readonly) this.ingestor = new StoreIngestor(db, this.dir, this.env, this.options.ingest);
  }

  // ---- changes --------------------------------------------------------------------------

  onDidChange(listener: (changes: readonly StoreChange[]) => void): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Runs whose new data could not be committed in the last pass (rolled back; retried next pass). */
  onDidFail(listener: (failures: readonly IngestFailure[]) => void): Unsubscribe {
    this.failureListeners.add(listener);
    return { dispose: () => this.failureListeners.delete(listener) };
  }

  get failures(): readonly IngestFailure[] {
    return this._failures;
  }

  private emit(): void {
    const changes = this.pending.drain();
    if (changes.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(changes);
      } catch {
        // A listener's failure is its own; the others still hear about the pass.
      }
    }
  }

  // ---- ingest ---------------------------------------------------------------------------

  sync(): void {
    if (this.closed || this.readonly) return;
    if (this.syncing) return;
    this.syncing = true;
    try {
      this.runPass();
    } finally {
      this.syncing = false;
    }
    this.emit();
  }

  private runPass(): void {
    // The index file may have been deleted or damaged under the open connection, which would
    // go on reading its cache and writing to a file that is gone: check the file itself.
    const problem = this.indexFileProblem();
    if (problem === 'replaced') {
      // Another Runlog (a second window, the CLI) rebuilt it: follow it rather than rebuild again.
      this.db.close();
      let db: Db;
      try {
        db = openIndex(this.indexPath);
      } catch (error) {
        if (!isUnusableIndexError(error)) throw error;
        moveAside(this.indexPath);
        this.attach(openIndex(this.indexPath));
        this.ingestAll(`the index file was replaced by one that cannot be used (${(error as Error).message})`);
        return;
      }
      this.attach(db);
    } else if (problem !== undefined) {
      this.rebuildIndex(problem, true);
      return;
    }
    let failures: IngestFailure[];
    try {
      failures = this.ingestor.pass(this.pending);
    } catch (error) {
      if (isUnusableIndexError(error)) {
        this.rebuildIndex(`the index became unreadable (${(error as Error).message})`, true);
        return;
      }
      throw error;
    }
    const corrupt = failures.find((f) => /SQLITE_(CORRUPT|NOTADB)|malformed|not a database/i.test(f.message));
    if (corrupt) {
      this.rebuildIndex(`the index became unreadable (${corrupt.message})`, true);
      return;
    }
    this.reportFailures(failures);
  }

  /**
   * Why the index file is no longer the healthy file this store's connection has open:
   * `'replaced'` (another file at its path), a reason to rebuild (deleted, overwritten,
   * truncated), or undefined. One stat and a 100-byte read: cheap enough for every pass.
   */
  private indexFileProblem(): string | undefined {
    if (this.readonly || this.indexIno === 0) return undefined;
    let size: number;
    let ino: number;
    try {
      const st = statSync(this.indexPath);
      size = st.size;
      ino = st.ino;
    } catch {
      return 'the index file was deleted while Runlog had it open';
    }
    if (ino !== this.indexIno) return 'replaced';
    const header = Buffer.alloc(100);
    let read = 0;
    try {
      const fd = openSync(this.indexPath, 'r');
      try {
        read = readSync(fd, header, 0, 100, 0);
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined; // unreadable for a moment: the pass itself reports real I/O errors
    }
    if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return 'the index file was overwritten or emptied while Runlog had it open';
    const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
    const pages = header.readUInt32BE(28);
    // The page count in the header is valid when the change counter matches "version valid for".
    if (header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0 && size < pages * pageSize) {
      return 'the index file was truncated while Runlog had it open';
    }
    return undefined;
  }

  private ingestAll(reason: string): void {
    this.lastRebuildReason = reason;
    const scratch = new ChangeCollector();
    this.reportFailures(this.ingestor.pass(scratch));
    this.pending.clearRuns();
    this.pending.rebuild(reason);
    this.pending.projectsChanged();
  }

  rebuild(reason: string): void {
    if (this.readonly) throw new StoreError('This store was opened read-only; it cannot rebuild its index.');
    this.rebuildIndex(reason, false);
    this.emit();
  }

  /**
   * A corrupt index is set aside and replaced by a new file. A healthy one is emptied in place
   * instead, so other processes with it open (the CLI beside the editor) see the rebuild too.
   */
  private rebuildIndex(reason: string, corrupt: boolean): void {
    if (corrupt) {
      this.db.close();
      moveAside(this.indexPath);
      this.attach(openIndex(this.indexPath));
    } else {
      const tables = this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
      this.db.transaction(() => {
        for (const table of tables) this.db.exec(`DELETE FROM "${table}"`);
      }).immediate();
    }
    this.ingestAll(reason);
  }

  watch(pollMs = 1000): void {
    if (this.closed || this.readonly || this.pollTimer) return;
    this.pollTimer = setInterval(() => this.safeSync(), Math.max(50, pollMs));
    this.pollTimer.unref?.();
    this.updateWatchers();
  }

  private safeSync(): void {
    if (this.closed) return;
    try {
      this.sync();
      this.updateWatchers();
    } catch (error) {
      this.reportFailures([{ run: '', file: this.indexPath, message: (error as Error).message }]);
    }
  }

  private scheduleSync(): void {
    if (this.debounceTimer || this.closed) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      this.safeSync();
    }, 50);
    this.debounceTimer.unref?.();
  }

  /**
   * fs events for low latency: the store, `projects/`, each project's `runs/` and each live
   * run's folder (non-recursive watchers; appends to a file show as events on its folder).
   * The poll timer covers whatever they miss and keeps crash detection going.
   */
  private updateWatchers(): void {
    if (!this.pollTimer) return;
    if (process.platform === 'darwin' || process.platform === 'win32') {
      // Native recursive watching: one watcher on the whole store.
      if (this.watchers.size === 0) this.addWatcher(this.dir, true);
      return;
    }
    const wanted = new Set<string>([this.dir, join(this.dir, 'projects')]);
    for (const project of this.db.prepare('SELECT name FROM projects').pluck().all() as string[]) wanted.add(join(this.dir, 'projects', project, 'runs'));
    for (const dir of this.db.prepare("SELECT dir FROM runs WHERE state = 'running'").pluck().all() as string[]) wanted.add(dir);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) if (!this.watchers.has(dir)) this.addWatcher(dir, false);
  }

  private addWatcher(dir: string, recursive: boolean): void {
    try {
      const watcher = watch(dir, { persistent: false, recursive }, (_event, filename) => {
        if (filename && basename(filename.toString()).startsWith(INDEX_FILE)) return;
        this.scheduleSync();
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch {
      // Not there yet, or no fs events here: polling covers it.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.listeners.clear();
    this.failureListeners.clear();
    this.db.close();
  }

  // ---- queries --------------------------------------------------------------------------

  listProjects(): ProjectInfo[] {
    const rows = this.statements.projects.all() as { name: string; runCount: number; runningCount: number | null; lastStart: number | null }[];
    return rows.map((r) => ({ name: r.name, runCount: r.runCount, runningCount: r.runningCount ?? 0, lastStart: r.lastStart }));
  }

  listRuns(project: string | undefined, query: RunListQuery = {}): RunInfo[] {
    const predicate = compileFilter(query.filter);
    const s = this.statements;
    const rows = (project === undefined ? s.allRuns.all() : s.projectRuns.all(project)) as RunRow[];
    const scope = project === undefined ? [] : [project];
    const configs = groupByRun(project === undefined ? s.allConfig : s.projectConfig, scope);
    const explicit = groupByRun(project === undefined ? s.allSummary : s.projectSummary, scope);
    const lasts = groupByRun(project === undefined ? s.allLasts : s.projectLasts, scope);
    const now = this.env.now();
    let runs = rows
      .filter((row) => isValidProjectName(row.project) && isValidRunId(row.id))
      .map((row) => toRunInfo({ ...row, dir: this.runDir(row.project, row.id) }, configs.get(row.rid), lasts.get(row.rid), explicit.get(row.rid), now))
      .filter(predicate);
    runs = sortRuns(runs, query.sort ?? 'start', query.descending ?? query.sort === undefined);
    return query.limit !== undefined ? runs.slice(0, Math.max(0, query.limit)) : runs;
  }

  /** Config and summary of every run of a project, for the compare page (same as listRuns). */
  summaries(project: string, filter?: string): RunInfo[] {
    return this.listRuns(project, { filter });
  }

  getRun(key: RunKey): RunDetail | undefined {
    const row = this.row(key);
    if (!row) return undefined;
    const s = this.statements;
    const rid = row.rid;
    const config = groupByRun(s.runConfig, [rid]).get(rid);
    const metricRows = s.metricKeys.all(rid) as MetricKeyRow[];
    const lasts = metricRows.map((m) => ({ run: rid, key: m.key, value: m.last }));
    const explicit = groupByRun(s.runSummary, [rid]).get(rid);
    const info = toRunInfo(row, config, lasts, explicit, this.env.now());
    const metrics: MetricKeyInfo[] = metricRows.map((m) => ({
      key: m.key,
      count: m.count,
      firstStep: m.first_step ?? 0,
      lastStep: m.last_step ?? 0,
      min: m.min,
      max: m.max,
      last: toMetricValue(decodeValue(m.last)),
    }));
    const files: RunFile[] = [];
    for (const name of ['events.jsonl', 'output.jsonl', 'system.jsonl', 'edits.jsonl']) {
      try {
        const st = statSync(join(row.dir, name));
        files.push({ path: name, size: st.size, mtime: st.mtimeMs / 1000 });
      } catch {
        // Not written (yet).
      }
    }
    for (const f of s.files.all(rid) as { path: string; size: number; mtime: number }[]) files.push({ path: f.path, size: f.size, mtime: f.mtime });
    const artifacts: ArtifactRef[] = (s.artifacts.all(rid) as { direction: 'input' | 'output'; name: string; type: string; version: string; digest: string; size: number; path: string; ts: number }[]).map(
      (a) => ({ direction: a.direction, name: a.name, type: a.type, version: a.version, digest: a.digest, size: a.size, dir: this.artifactDir(row.project, a.name, a.version, a.path), ts: a.ts }),
    );
    const alerts = s.alerts.all(rid) as RunAlert[];
    const problems = s.problems.all(rid) as IngestProblem[];
    return {
      ...info,
      meta: JSON.parse(row.meta) as RunMeta,
      configTree: JSON.parse(row.config_tree) as Record<string, unknown>,
      metrics,
      systemMetrics: s.systemKeys.all(rid) as string[],
      files,
      artifacts,
      alerts,
      forkOf: row.fork_of ? (JSON.parse(row.fork_of) as { run: string; step: number }) : null,
      segments: closedSegments(row, this.env.now()),
      outputLines: row.output_lines,
      problems,
    };
  }

  getHistory(key: RunKey, metric: string, query: HistoryQuery = {}): HistorySeries {
    const row = this.row(key);
    if (!row) return emptySeries(metric);
    const s = this.statements;
    const meta = s.metricKey.get(row.rid, metric) as MetricKeyRow | undefined;
    if (!meta || meta.first_step === null || meta.last_step === null || meta.count === 0) return emptySeries(metric);
    const from = Math.max(query.fromStep ?? meta.first_step, meta.first_step);
    const to = Math.min(query.toStep ?? meta.last_step, meta.last_step);
    if (from > to) return emptySeries(metric);
    const buckets = query.buckets;
    if (buckets === undefined || buckets <= 0) return rawSeries(metric, s.historyRange.all(row.rid, meta.kid, from, to) as Raw3[]);
    const limit = 2 * Math.floor(buckets);
    const whole = from === meta.first_step && to === meta.last_step;
    const few = whole ? meta.count <= limit : to - from + 1 <= limit || (s.countRangeLimited.get(row.rid, meta.kid, from, to, limit + 1) as number) <= limit;
    if (few) return rawSeries(metric, s.historyRange.all(row.rid, meta.kid, from, to) as Raw3[]);

    const layout = bucketLayout(from, to, buckets, LOD_LEVELS);
    const out = new MinMaxBuckets(layout.origin, layout.width, layout.count);
    const level = layout.level;
    const firstBlock = level === undefined ? 0 : Math.ceil(from / level);
    const lastBlock = level === undefined ? -1 : Math.floor((to + 1) / level) - 1;
    if (level === undefined || firstBlock > lastBlock) {
      for (const [step, value, ts] of s.historyRange.iterate(row.rid, meta.kid, from, to) as Iterable<Raw3>) out.addPoint(step, value, ts);
      return out.series(metric);
    }
    // Whole blocks from the level-of-detail table, the partial blocks at either end from rows.
    for (const [step, value, ts] of s.historyRange.iterate(row.rid, meta.kid, from, firstBlock * level - 1) as Iterable<Raw3>) out.addPoint(step, value, ts);
    for (const b of s.lodRange.iterate(meta.kid, level, firstBlock, lastBlock) as Iterable<[number, number, number | null, number | null, number | null, number | null, number | null, number | null]>) {
      out.addBlock(b[0] * level, b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
    }
    for (const [step, value, ts] of s.historyRange.iterate(row.rid, meta.kid, (lastBlock + 1) * level, to) as Iterable<Raw3>) out.addPoint(step, value, ts);
    return out.series(metric);
  }

  getSystem(key: RunKey, metric: string, query: HistoryQuery = {}): HistorySeries {
    const row = this.row(key);
    if (!row) return emptySeries(metric);
    const s = this.statements;
    const skid = s.systemKey.get(row.rid, metric) as number | undefined;
    if (skid === undefined) return emptySeries(metric);
    const from = Math.max(query.fromStep ?? 0, 0);
    const to = Math.min(query.toStep ?? row.system_samples - 1, row.system_samples - 1);
    if (from > to) return emptySeries(metric);
    const rows = s.systemRange.all(row.rid, skid, from, to) as Raw3[];
    const buckets = query.buckets;
    if (buckets === undefined || buckets <= 0 || rows.length <= 2 * buckets) return rawSeries(metric, rows);
    const width = Math.ceil((to - from + 1) / buckets);
    const out = new MinMaxBuckets(from, width, Math.ceil((to - from + 1) / width));
    for (const [idx, value, ts] of rows) out.addPoint(idx, value, ts);
    return out.series(metric);
  }

  readOutput(key: RunKey, fromLine: number, count: number): OutputLine[] {
    const row = this.row(key);
    if (!row || count <= 0) return [];
    const rows = this.statements.output.all(row.rid, Math.max(0, Math.floor(fromLine)), Math.floor(count)) as OutputLine[];
    for (const r of rows) if (r.text.endsWith('\r')) (r as { text: string }).text = r.text.slice(0, -1);
    return rows;
  }

  listMediaKeys(key: RunKey): MediaKeyInfo[] {
    const row = this.row(key);
    return row ? this.media.listKeys(row.rid) : [];
  }

  listMedia(key: RunKey, query?: MediaQuery): MediaItem[] {
    const row = this.row(key);
    return row ? this.media.list(row.rid, query) : [];
  }

  searchOutput(key: RunKey, text: string, limit = 1000): number[] {
    const row = this.row(key);
    if (!row || text === '') return [];
    return this.statements.searchOutput.all(row.rid, text.toLowerCase(), limit) as number[];
  }

  /**
   * Every history step of a run in step order, one object per step (for export). Keys that a
   * step did not log are absent from its `values`. Reads a page of steps at a time and holds no
   * statement open between pages, so ingest can go on while a consumer awaits.
   */
  *historyRows(key: RunKey, pageSteps = 10_000): IterableIterator<{ step: number; ts: number; values: Record<string, number | null> }> {
    const row = this.row(key);
    if (!row) return;
    const s = this.statements;
    const metrics = (s.metricKeys.all(row.rid) as MetricKeyRow[]).filter((m) => m.count > 0);
    let from = Math.min(...metrics.map((m) => m.first_step ?? Infinity));
    while (Number.isFinite(from)) {
      const to = from + pageSteps - 1;
      const page = new Map<number, { step: number; ts: number; values: Record<string, number | null> }>();
      for (const m of metrics) {
        for (const [step, value, ts] of s.historyRange.all(row.rid, m.kid, from, to) as Raw3[]) {
          let entry = page.get(step);
          if (!entry) page.set(step, (entry = { step, ts, values: {} }));
          entry.values[m.key] = value;
        }
      }
      yield* [...page.values()].sort((a, b) => a.step - b.step);
      // The next page starts at the next stored step, however far (steps may be sparse).
      let next = Infinity;
      for (const m of metrics) {
        const step = s.nextStep.get(row.rid, m.kid, to) as number | null;
        if (step !== null && step < next) next = step;
      }
      from = next;
    }
  }

  /** Ingest problems of one run (corrupt/torn lines, unknown versions, invalid records). */
  problems(key: RunKey): IngestProblem[] {
    const row = this.row(key);
    return row ? (this.statements.problems.all(row.rid) as IngestProblem[]) : [];
  }

  private row(key: RunKey): RunRow | undefined {
    const parsed = parseRunKey(key);
    if (!parsed || !isValidProjectName(parsed.project) || !isValidRunId(parsed.id)) return undefined;
    const row = this.statements.run.get(parsed.project, parsed.id) as RunRow | undefined;
    if (row) row.dir = this.runDir(row.project, row.id);
    return row;
  }

  /** Where a run's folder is: always derived from the layout, never taken from the index. */
  private runDir(project: string, id: string): string {
    return join(this.dir, 'projects', project, 'runs', id);
  }

  /** An artifact's folder, kept inside the store whatever path its record gave. */
  private artifactDir(project: string, name: string, version: string, path: string): string {
    const resolved = resolve(this.dir, path);
    const root = resolve(this.dir);
    if (resolved === root || resolved.startsWith(root + sep)) return resolved;
    if (isValidArtifactName(name) && /^v\d+$/.test(version)) return join(this.dir, 'projects', project, 'artifacts', name, version);
    return join(this.dir, 'projects', project, 'artifacts');
  }

  // ---- edits ----------------------------------------------------------------------------

  rename(key: RunKey, name: string): void {
    if (name.trim() === '') throw new StoreError('A run name cannot be empty.');
    this.edit(key, { type: 'name', ts: this.editTime(), name });
  }

  setNotes(key: RunKey, notes: string): void {
    this.edit(key, { type: 'notes', ts: this.editTime(), text: notes });
  }

  setTags(key: RunKey, tags: readonly string[]): void {
    const clean = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
    this.edit(key, { type: 'tags', ts: this.editTime(), tags: clean });
  }

  markState(key: RunKey, state: 'killed' | 'failed' | 'finished', code?: number): void {
    // The edit must read as newer than the segment it ends, even if clocks disagree a little.
    const segmentStart = this.row(key)?.last_init_ts ?? 0;
    const ts = Math.max(this.editTime(), segmentStart + 0.001);
    this.edit(key, code === undefined ? { type: 'state', ts, state } : { type: 'state', ts, state, code });
  }

  private lastEditTs = 0;

  /** Now, but strictly after the previous edit, so two quick edits keep their order. */
  private editTime(): number {
    const now = this.env.now();
    this.lastEditTs = now > this.lastEditTs ? now : this.lastEditTs + 1e-6;
    return this.lastEditTs;
  }

  private edit(key: RunKey, record: EditRecord): void {
    const row = this.writableRow(key);
    try {
      appendFileSync(join(row.dir, 'edits.jsonl'), stringifyJson(record) + '\n');
    } catch (error) {
      throw new StoreError(`Cannot write the edit to ${join(row.dir, 'edits.jsonl')}: ${(error as Error).message}`);
    }
    this.ingestOne(row);
  }

  /** Ingests one run now (after an edit). The edit is already on disk: a failure here is reported, not thrown. */
  private ingestOne(row: { project: string; id: string; dir: string }): void {
    try {
      this.ingestor.ingestRun({ project: row.project, id: row.id, dir: row.dir }, this.pending);
    } catch (error) {
      this.reportFailures([{ run: runKey(row.project, row.id), file: (error as { file?: string }).file ?? row.dir, message: (error as Error).message }]);
    }
    this.emit();
  }

  private reportFailures(failures: IngestFailure[]): void {
    this._failures = failures;
    if (failures.length === 0) return;
    for (const listener of [...this.failureListeners]) {
      try {
        listener(failures);
      } catch {
        // As for change listeners.
      }
    }
  }

  private writableRow(key: RunKey): RunRow {
    if (this.readonly) throw new StoreError('This store was opened read-only; it cannot change runs.');
    const row = this.row(key);
    if (!row) throw new NotFoundError(`No run ${key} in the store at ${this.dir}.`);
    if (!existsSync(row.dir)) throw new NotFoundError(`The folder of run ${key} (${row.dir}) no longer exists.`);
    return row;
  }

  moveRun(key: RunKey, toProject: string): RunKey {
    const row = this.writableRow(key);
    const problem = projectNameProblem(toProject);
    if (problem) throw new StoreError(problem);
    if (toProject === row.project) return key;
    if (row.state === 'running') throw new StoreError(`Run ${key} is still running; stop it before moving it.`);
    const runsDir = join(this.dir, 'projects', toProject, 'runs');
    const target = join(runsDir, row.id);
    if (existsSync(target)) throw new StoreError(`Project ${toProject} already has a run with ID ${row.id}; cannot move ${key} there.`);
    try {
      mkdirSync(runsDir, { recursive: true });
      renameSync(row.dir, target);
    } catch (error) {
      throw new StoreError(`Cannot move ${row.dir} to ${target}: ${(error as Error).message}`);
    }
    const newKey = runKey(toProject, row.id);
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO projects (name) VALUES (?)').run(toProject);
      this.db.prepare('UPDATE runs SET project = ?, dir = ? WHERE rid = ?').run(toProject, target, row.rid);
    }).immediate();
    this.pending.runRemoved(key);
    this.pending.runAdded(newKey);
    this.emit();
    return newKey;
  }

  deleteRuns(keys: readonly RunKey[]): void {
    if (this.readonly) throw new StoreError('This store was opened read-only; it cannot delete runs.');
    const errors: string[] = [];
    for (const key of keys) {
      const row = this.row(key);
      if (!row) continue;
      try {
        rmSync(row.dir, { recursive: true, force: true });
      } catch (error) {
        errors.push(`${key}: ${(error as Error).message}`);
        continue;
      }
      this.ingestor.removeRun(row.rid);
      this.pending.runRemoved(key);
    }
    this.emit();
    if (errors.length > 0) throw new StoreError(`Could not delete every run folder:\n${errors.join('\n')}`);
  }
}

// ---- helpers ------------------------------------------------------------------------------

function fileIno(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
}

function moveAside(indexPath: string): string | undefined {
  if (!existsSync(indexPath)) {
    for (const suffix of ['-wal', '-shm']) rmSync(indexPath + suffix, { force: true });
    return undefined;
  }
  const aside = `${indexPath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(indexPath, aside);
    for (const suffix of ['-wal', '-shm']) if (existsSync(indexPath + suffix)) renameSync(indexPath + suffix, aside + suffix);
    return aside;
  } catch {
    for (const suffix of ['', '-wal', '-shm']) rmSync(indexPath + suffix, { force: true });
    return undefined;
  }
}

