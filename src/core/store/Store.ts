// The run store: an SQLite index over the run directories of one store folder, kept current by
// incremental ingest, queried synchronously by the editor, the CLI and the tests. This file opens,
// rebuilds and watches the index; the reads are store/StoreReads (over query/ and history/), the
// edits store/StoreEdits.

import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseRunKey, type IngestFailure, type ReindexOptions, type ReindexResult, type RunKey, type RunlogStore, type StoreChange, type Unsubscribe } from '../model';
import { ChangeCollector } from '../ingest/changes';
import { probeProcess } from '../ingest/processes';
import type { Environment } from '../ingest/state';
import { StoreIngestor, type IngestOptions, type IngestTargets, type PassStats, type RunLocation } from '../ingest/StoreIngestor';
import { isUnusableIndexError, openIndex, type Db } from '../index/schema';
import { fillValuesSlice } from '../index/runValues';
import { StoreError } from './errors';
import { closeQuietly, fileIno, INDEX_FILE, indexFileProblem, moveAside, openIndexReadonly, openOrCreateIndex } from './indexFile';
import { ChangeLog } from './ChangeLog';
import { Listeners } from './Listeners';
import { StoreEdits } from './StoreEdits';
import { StoreReads } from './StoreReads';
import { PassPlanner } from './PassPlanner';
import { reindexInSlices } from './Reindex';
import { openInBackground, type OpenProgress, type OpenResult } from './OpenPass';
import { StoreWatcher, type SyncScope } from './StoreWatcher';

export { INDEX_FILE } from './indexFile';
export { NotFoundError, StoreError } from './errors';
export type { IngestFailure };
export type { OpenProgress, OpenResult } from './OpenPass';

export interface StoreOptions {
  /** Open an existing index read-only: no ingest, no edits. */
  readonly readonly?: boolean;
  /** Ingest on open (default true; a missing or unusable index is always rebuilt). */
  readonly syncOnOpen?: boolean;
  /**
   * Open an existing index with `all` run folders read, or a `listing` + the live runs (the rest:
   * the rolling check), or that listing in the `background` (the editor's: store/OpenPass.ts; the
   * index is checked in a worker, a missing one is built a slice at a time; see `opened`).
   */
  readonly openPass?: 'all' | 'listing' | 'background';
  /** Clock, host name and process probe, replaceable in tests. */
  readonly env?: Partial<Environment>;
  readonly ingest?: IngestOptions;
}

export class Store extends StoreReads implements RunlogStore {
  private db!: Db;
  private ingestor!: StoreIngestor;
  private log!: ChangeLog;
  private readonly edits: StoreEdits;
  private readonly watcher: StoreWatcher;
  private readonly env: Environment;
  private readonly listeners = new Listeners<readonly StoreChange[]>();
  private readonly failureListeners = new Listeners<readonly IngestFailure[]>();
  private readonly pending = new ChangeCollector();
  /** This process's changes, already in the change log, not yet handed to its own listeners. */
  private undelivered: StoreChange[] = [];
  private syncing = false;
  private closed = false;
  /** Inode of the index file this store's connection has open (0 when unknown). */
  private indexIno = 0;
  private _failures: IngestFailure[] = [];
  private readonly planner: PassPlanner;
  private _opened: Promise<OpenResult> = Promise.resolve({ done: 0, total: 0, cancelled: false });
  private _openProgress: OpenProgress | undefined;
  private readonly progressListeners = new Listeners<OpenProgress | undefined>();
  private stopCheck: (() => void) | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: StoreOptions,
  ) {
    super();
    this.env = {
      now: options.env?.now ?? (() => Date.now() / 1000),
      hostname: options.env?.hostname ?? hostname(),
      probeProcess: options.env?.probeProcess ?? probeProcess,
    };
    this.planner = new PassPlanner(dir, () => this.env.now());
    const store = this;
    this.edits = new StoreEdits({
      dir,
      readonly: this.readonly,
      get db() {
        return store.db;
      },
      get ingestor() {
        return store.ingestor;
      },
      pending: this.pending,
      now: () => this.env.now(),
      row: (key) => this.queries.row(key),
      emit: () => this.emit(),
      reportFailures: (failures) => this.reportFailures(failures),
    });
    this.watcher = new StoreWatcher({
      dir,
      sync: (scope) => this.safeSync(scope),
      poll: () => this.safeEmit(),
      projectNames: () => this.db.prepare('SELECT name FROM projects').pluck().all() as string[],
      liveRunDirs: () => (this.db.prepare("SELECT project, id FROM runs WHERE state = 'running'").all() as { project: string; id: string }[]).map((r) => this.queries.runDir(r.project, r.id)),
    });
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
    if (options.readonly) {
      store.attach(openIndexReadonly(store.indexPath));
      return store;
    }
    const background = options.openPass === 'background' && (options.syncOnOpen ?? true);
    const { db, reason } = openOrCreateIndex(dir, store.indexPath, !background);
    store.attach(db);
    if (background) {
      store.openInBackground(reason);
      return store;
    }
    try {
      if (reason !== undefined) store.ingestAll(reason);
      else if (options.syncOnOpen ?? true) store.runPass(options.openPass === 'listing' ? store.planner.openTargets(db) : undefined);
      // An index migrated from before schema 9: its runs' filter values, all at once here.
      while (!fillValuesSlice(store.db, 1000));
    } catch (error) {
      db.close();
      throw new StoreError(`Cannot read the Runlog store at ${dir}: ${(error as Error).message}`);
    }
    return store;
  }

  /** The open pass still running in the background (`openPass: 'background'`), settled when it ends or the store closes. */
  get opened(): Promise<OpenResult> {
    return this._opened;
  }

  /** Where the background open pass is; undefined when none runs. */
  get openProgress(): OpenProgress | undefined {
    return this._openProgress;
  }

  /** Hears the background open pass's progress (undefined: it ended). */
  onOpenProgress(listener: (progress: OpenProgress | undefined) => void): Unsubscribe {
    return this.progressListeners.add(listener);
  }

  private openInBackground(reason: string | undefined): void {
    // The open lists every folder: the poll timer need not list them again for a while.
    this.planner.listedAll();
    const progress = (p: OpenProgress | undefined) => {
      this._openProgress = p;
      if (!this.closed) this.progressListeners.fire(p);
    };
    const pass = openInBackground(
      {
        dir: this.dir,
        indexPath: this.indexPath,
        changes: this.pending,
        db: () => this.db,
        cancelled: () => this.closed,
        replaceIndex: (problem) => {
          closeQuietly(this.db);
          const aside = moveAside(this.indexPath);
          this.attach(openIndex(this.indexPath));
          return `${problem}${aside ? `; the old file was kept as ${aside}` : ''}`;
        },
        fillValues: (budgetMs) => fillValuesSlice(this.db, budgetMs),
        readSlice: (runs) => this.safeSync({ kind: 'slice', runs }),
        emit: () => this.safeEmit(),
        progress,
        checking: (stop) => (this.stopCheck = stop),
      },
      reason,
    );
    this._opened = pass.then(
      ({ result, rebuilt }) => {
        progress(undefined);
        if (rebuilt !== undefined && !this.closed) {
          this.pending.rebuild(rebuilt);
          this.pending.projectsChanged();
          this.safeEmit();
        }
        return result;
      },
      (error: unknown) => {
        progress(undefined);
        if (!this.closed) this.reportFailures([{ run: '', file: this.indexPath, message: (error as Error).message }]);
        return { done: 0, total: 0, cancelled: this.closed };
      },
    );
  }

  private attach(db: Db): void {
    this.db = db;
    this.indexIno = fileIno(this.indexPath);
    this.attachReads(db, this.dir, () => this.env.now());
    this.log = new ChangeLog(db, !this.readonly);
    if (!this.readonly) this.ingestor = new StoreIngestor(db, this.dir, this.env, this.options.ingest);
  }

  onDidChange(listener: (changes: readonly StoreChange[]) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** Runs whose new data could not be committed in the last pass (rolled back; retried next pass). */
  onDidFail(listener: (failures: readonly IngestFailure[]) => void): Unsubscribe {
    return this.failureListeners.add(listener);
  }

  get failures(): readonly IngestFailure[] {
    return this._failures;
  }

  /**
   * Logs what this process committed, at once, for every other process with the index open, and
   * keeps it for this one's listeners. Ingest positions live in the index, so the process that
   * reads new bytes first is the only one that sees them as new: a CLI that ingests on open and
   * exits must log what it read before it goes, or the windows never hear of it.
   */
  private publish(): void {
    if (this.pending.isEmpty) return;
    const own = this.pending.drain();
    this.log.write(own);
    this.undelivered.push(...own);
  }

  /** Hands this process's changes (logged for the others) and the others' (from the log) to the listeners. */
  private emit(): void {
    this.publish();
    const changes = [...this.undelivered.splice(0), ...this.log.read()];
    if (changes.length > 0) this.listeners.fire(changes);
  }

  private reportFailures(failures: IngestFailure[]): void {
    this._failures = failures;
    if (failures.length > 0) this.failureListeners.fire(failures);
  }

  /** Reads the whole store (every project and run folder) and emits what changed. */
  sync(): void {
    this.syncScope({ kind: 'all' });
  }

  /** Reads these runs now (their files changed where no watcher of the store looks: a source run's folders), and emits what changed. */
  syncRuns(keys: readonly RunKey[]): void {
    const paths = keys.map(parseRunKey).filter((k) => k !== undefined).map((k) => this.queries.runDir(k.project, k.id));
    if (paths.length > 0) this.syncScope({ kind: 'paths', paths });
  }

  /** What the last ingest pass read (a targeted pass lists and reads only a few folders). */
  get lastPass(): PassStats | undefined {
    return this.ingestor?.lastPass;
  }

  private syncScope(scope: SyncScope | SliceScope): void {
    if (this.closed || this.syncing) return;
    if (this.readonly) return this.emit();
    this.syncing = true;
    try {
      if (scope.kind === 'slice') this.runPass({ listProjects: false, projects: new Set(), runs: scope.runs }, true);
      else this.runPass(scope.kind === 'all' ? undefined : this.planner.targets(scope, this.db, this.ingestor));
    } finally {
      this.syncing = false;
    }
    this.emit();
  }

  /** `slice`: a run is read in one transaction with the others of the slice (the background open). */
  private runPass(targets?: IngestTargets, slice = false): void {
    try {
      this.readPass(targets, slice);
    } finally {
      // Whatever this pass committed is logged now, even when it failed part way or this process
      // never emits (the CLI opens, reads and exits).
      this.publish();
    }
  }

  private readPass(targets: IngestTargets | undefined, slice: boolean): void {
    // The index file may have been deleted or damaged under the open connection, which would
    // go on reading its cache and writing to a file that is gone: check the file itself.
    let problem = this.readonly || this.indexIno === 0 ? undefined : indexFileProblem(this.indexPath, this.indexIno);
    // A connection found closed (whatever closed it) is never used again: the index is rebuilt.
    if (problem === undefined && !this.readonly && !this.db.open) problem = 'the index connection was lost while the index file was damaged';
    if (problem === 'replaced') {
      // Another Runlog (a second window, the CLI) rebuilt it: follow it rather than rebuild again.
      closeQuietly(this.db);
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
      if (!targets) this.planner.listedAll();
      const read = () => (targets ? this.ingestor.passTargets(this.pending, targets) : this.ingestor.pass(this.pending));
      failures = slice ? this.db.transaction(read).immediate() : read();
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

  private ingestAll(reason: string): void {
    const scratch = new ChangeCollector();
    this.planner.listedAll();
    this.reportFailures(this.ingestor.pass(scratch));
    this.pending.clearRuns();
    this.pending.rebuild(reason);
    this.pending.projectsChanged();
    this.publish();
  }

  rebuild(reason: string): void {
    if (this.readonly) throw new StoreError('This store was opened read-only; it cannot rebuild its index.');
    this.rebuildIndex(reason, false);
    this.emit();
  }

  /**
   * Rebuilds the index a slice of runs at a time (see Reindex.ts): progress, cancel, and the
   * editor responsive meanwhile. Listeners then hear `rebuilt` (saying when it was cancelled).
   */
  async reindex(reason: string, options: ReindexOptions = {}): Promise<ReindexResult> {
    if (this.readonly) throw new StoreError('This store was opened read-only; it cannot rebuild its index.');
    const result = await reindexInSlices(this.db, this.ingestor, options);
    this.reportFailures(result.failures);
    this.pending.clearRuns();
    this.pending.rebuild(result.cancelled ? `${reason}; cancelled after ${result.done} of ${result.total} runs (the others keep their previous index rows)` : reason);
    this.pending.projectsChanged();
    this.emit();
    return result;
  }

  /**
   * A corrupt index is set aside and replaced by a new file. A healthy one is emptied in place
   * instead, so other processes with it open (the CLI beside the editor) see the rebuild too.
   */
  private rebuildIndex(reason: string, corrupt: boolean): void {
    if (corrupt) {
      closeQuietly(this.db);
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

  /** Start watching the store: fs events for low latency, a poll every `pollMs` for the rest. */
  watch(pollMs = 1000): void {
    if (this.closed || this.readonly) return;
    this.watcher.start(pollMs);
  }

  private safeSync(scope: SyncScope | SliceScope): void {
    if (this.closed) return;
    try {
      this.syncScope(scope);
    } catch (error) {
      this.reportFailures([{ run: '', file: this.indexPath, message: (error as Error).message }]);
    }
  }

  /** Hears what other processes logged (the index changed: a commit somewhere). */
  private safeEmit(): void {
    if (this.closed || this.syncing) return;
    try {
      this.emit();
    } catch {
      // The index is being replaced or is busy: the next pass reads the log.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopCheck?.();
    this.watcher.close();
    try {
      this.publish(); // an edit or pass whose changes are not yet logged (a log write that failed)
    } catch {
      // the index is gone or unusable: nothing to log into
    }
    this.listeners.clear();
    this.failureListeners.clear();
    this.db.close();
  }

  // Edits (store/StoreEdits): each appends to the run's edits.jsonl, then ingests it.
  readonly rename = (key: RunKey, name: string): void => this.edits.rename(key, name);
  readonly setNotes = (key: RunKey, notes: string): void => this.edits.setNotes(key, notes);
  readonly setTags = (key: RunKey, tags: readonly string[]): void => this.edits.setTags(key, tags);
  readonly markState = (key: RunKey, state: 'killed' | 'failed' | 'finished', code?: number): void => this.edits.markState(key, state, code);
  readonly moveRun = (key: RunKey, toProject: string): RunKey => this.edits.moveRun(key, toProject);
  readonly deleteRuns = (keys: readonly RunKey[]): void => this.edits.deleteRuns(keys);
}

/** A slice of the background open: these runs, read in one transaction. */
type SliceScope = { readonly kind: 'slice'; readonly runs: Map<RunKey, RunLocation> };
