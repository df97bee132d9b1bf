// The run model as the editor sees it. Plain data, no `vscode` import: the tree, the webviews,
// the CLI and the tests all speak these types. See README.md (On-disk format) for the files behind them.

export const RUN_STATES = ['running', 'finished', 'failed', 'crashed', 'killed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** `<project>/<run-id>`: how every layer names one run. */
export type RunKey = string;

export function runKey(project: string, id: string): RunKey {
  return `${project}/${id}`;
}

export function parseRunKey(key: RunKey): { project: string; id: string } | undefined {
  const slash = key.lastIndexOf('/');
  if (slash <= 0 || slash === key.length - 1) return undefined;
  return { project: key.slice(0, slash), id: key.slice(slash + 1) };
}

/** A metric or summary value as stored: non-finite numbers survive as themselves. */
export type MetricValue = number | boolean | string | null;

export interface ProjectInfo {
  readonly name: string;
  readonly runCount: number;
  readonly runningCount: number;
  /** Start time (epoch seconds) of its newest run. */
  readonly lastStart: number | null;
}

export interface ReindexOptions {
  /** Called after each slice with the runs rebuilt so far and the runs found. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between slices: once true, the rebuild stops where it is. */
  readonly cancelled?: () => boolean;
}

export interface ReindexResult {
  readonly done: number;
  readonly total: number;
  readonly cancelled: boolean;
  readonly failures: IngestFailure[];
}

/** A run group of a project: how many of its runs a filter selects, and how many of those run. */
export interface GroupCount {
  readonly group: string;
  readonly runCount: number;
  readonly runningCount: number;
}

/** One row of the explorer or the compare table. */
export interface RunInfo {
  readonly key: RunKey;
  readonly id: string;
  readonly project: string;
  readonly entity: string | null;
  /** `entity/project/id` or `project/id`. */
  readonly path: string;
  readonly name: string;
  readonly state: RunState;
  readonly group: string | null;
  readonly jobType: string | null;
  /** The sweep whose agent started the run. */
  readonly sweepId: string | null;
  readonly tags: readonly string[];
  readonly notes: string;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly endTime: number | null;
  readonly lastSeen: number;
  /** Wall clock from first start to end (or now). */
  readonly runtimeSec: number;
  /** Active time: the sum of each segment's length, pauses between resumed segments excluded. */
  readonly durationSec: number;
  readonly lastStep: number | null;
  readonly exitCode: number | null;
  readonly pid: number | null;
  readonly host: string | null;
  /** The script, as recorded by the SDK (absolute path when known). */
  readonly program: string | null;
  readonly command: readonly string[] | null;
  readonly cwd: string | null;
  /** Absolute path of the run directory. */
  readonly dir: string;
  /** The tool whose files the run was read from (e.g. `W&B`), for runs Runlog did not record itself. */
  readonly source?: { readonly label: string; readonly path: string } | null;
  /** Flattened config (`a/b` keys) and summary, for tables and filters. */
  readonly config: Readonly<Record<string, MetricValue>>;
  readonly summary: Readonly<Record<string, MetricValue>>;
}

export interface GitInfo {
  readonly remote?: string;
  readonly branch?: string;
  readonly commit?: string;
  readonly dirty?: boolean;
}

export interface RunMeta {
  readonly author?: string;
  readonly command?: readonly string[];
  readonly cwd?: string;
  readonly program?: string;
  readonly git?: GitInfo;
  readonly host?: string;
  readonly os?: string;
  readonly python?: { readonly executable?: string; readonly version?: string };
  readonly hardware?: {
    readonly cpu_model?: string;
    readonly cpu_count?: number;
    readonly memory_total?: number;
    readonly gpus?: readonly { readonly name?: string; readonly memory_total?: number }[];
  };
  readonly sdk_version?: string;
  /** Set on runs read from another tool's files (`runlog import`, W&B folders in the workspace). */
  readonly source?: { readonly name: string; readonly label: string; readonly path: string };
  /** Seconds between system metric samples (0: off), as the SDK ran with; absent in runs written before it was recorded. */
  readonly system_interval?: number;
}

export interface MetricKeyInfo {
  readonly key: string;
  readonly count: number;
  readonly firstStep: number;
  readonly lastStep: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly last: MetricValue;
  /** From the script's define_metric (W&B): the key to chart as x axis instead of the step. */
  readonly stepMetric?: string;
  /** define_metric(hidden=True): left out of the run page's charts by default. */
  readonly hidden?: boolean;
  readonly goal?: 'minimize' | 'maximize';
}

/** A metric key and the `log()` call that first logged it (file: absolute path; line: 1-based). */
export interface MetricCallsite {
  readonly key: string;
  readonly file: string;
  readonly line: number;
}

/** A metric some run logged from a given file: the run, the key and the 1-based line. */
export interface FileCallsite {
  readonly run: RunKey;
  /** The run's state is `running`. */
  readonly running: boolean;
  readonly key: string;
  readonly line: number;
}

export interface RunFile {
  /** Relative to the run directory, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
}

export interface ArtifactRef {
  readonly direction: 'input' | 'output';
  readonly name: string;
  readonly type: string;
  readonly version: string;
  readonly digest: string;
  readonly size: number;
  /** Absolute path of the version's folder. */
  readonly dir: string;
  readonly ts: number;
}

/** A media value (image, table, histogram, plot, audio, video, html) logged at a step. */
export interface MediaItem {
  readonly key: string;
  readonly step: number;
  /** Position in a list logged under one key at one step (0 for a single value). */
  readonly index: number;
  readonly kind: string;
  /** Relative to the run directory, `/`-separated; '' for a histogram (inline counts). */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly ts: number;
  /** The kind's own fields as recorded: width, height, caption, columns, rows, bins, counts, chart, … */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One media key of a run: how many values, over which steps. */
export interface MediaKeyInfo {
  readonly key: string;
  readonly kind: string;
  readonly count: number;
  readonly firstStep: number;
  readonly lastStep: number;
}

export interface MediaQuery {
  readonly key?: string;
  readonly step?: number;
  readonly kind?: string;
}

export type AlertLevel = 'INFO' | 'WARN' | 'ERROR';

export interface RunAlert {
  readonly ts: number;
  readonly title: string;
  readonly text: string;
  readonly level: AlertLevel;
}

export interface IngestProblem {
  readonly file: string;
  readonly line: number;
  readonly kind: 'corrupt' | 'torn' | 'unsupported-version' | 'invalid';
  readonly message: string;
}

export interface RunDetail extends RunInfo {
  /**
   * The folders the paths of its files and media are relative to, tried in order: its own folder,
   * then that tool's folders: set only for a run read in place from another tool's files
   * (absent: the run's own folder, `dir`).
   */
  readonly fileRoots?: readonly string[];
  readonly meta: RunMeta;
  /** Nested, as the script gave it. */
  readonly configTree: Readonly<Record<string, unknown>>;
  readonly metrics: readonly MetricKeyInfo[];
  readonly systemMetrics: readonly string[];
  readonly files: readonly RunFile[];
  readonly artifacts: readonly ArtifactRef[];
  readonly alerts: readonly RunAlert[];
  readonly forkOf: { readonly run: string; readonly step: number } | null;
  readonly segments: readonly { readonly start: number; readonly end: number | null }[];
  readonly outputLines: number;
  readonly problems: readonly IngestProblem[];
}

export interface HistoryQuery {
  readonly fromStep?: number;
  readonly toStep?: number;
  /** At most this many min/max buckets (two points each); raw rows when the range holds fewer. */
  readonly buckets?: number;
}

/** Points in step order. `values` hold null for NaN; `Infinity` stays Infinity. */
export interface HistorySeries {
  readonly key: string;
  readonly steps: number[];
  readonly values: (number | null)[];
  /** Wall time (epoch seconds) of each point. */
  readonly times: number[];
  /** True when the points are min/max bucket extremes rather than every row. */
  readonly downsampled: boolean;
  readonly totalPoints: number;
}

export interface OutputLine {
  /** 0-based: line `n` is the (n+1)th line of the run's output; `RunDetail.outputLines` counts them. */
  readonly line: number;
  readonly ts: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export type SortKey = 'start' | 'name' | 'state' | 'duration' | `summary.${string}` | `config.${string}`;

export interface RunListQuery {
  /** The filter language, e.g. `state:running tag:x config.lr>0.01 loss<0.3 name~haze group:g`. */
  readonly filter?: string;
  readonly sort?: SortKey;
  readonly descending?: boolean;
  readonly limit?: number;
  /** Sorted by start: the page after this run (the last of the previous page). */
  readonly after?: RunCursor;
  /** Sorted by start: the runs up to and including this one (the last of the pages a view holds). */
  readonly until?: RunCursor;
}

/** A table's order: a column (`start`, `name`, `state`, `duration`, `tags`, `group`, `config.<key>`, `summary.<key>`) and its direction. */
export interface RunOrder { readonly column: string; readonly descending: boolean }

/** A run's place in a RunOrder (its value of the column, text lowercased; its start; its ID): the keyset of a page. */
export interface PageCursor { readonly value: number | string | null; readonly startTime: number; readonly id: string }

/** A page of runs in an order: after one run and/or up to and including another, at most `limit`. */
export interface RunPageQuery { readonly filter?: string; readonly order: RunOrder; readonly after?: PageCursor; readonly until?: PageCursor; readonly limit?: number }

/** A run's place in the start order (its start time, then its ID): the keyset of a page. */
export interface RunCursor {
  readonly startTime: number;
  readonly id: string;
}

export type StoreChange =
  | { readonly kind: 'projects' }
  | { readonly kind: 'runAdded'; readonly run: RunKey }
  | { readonly kind: 'runUpdated'; readonly run: RunKey }
  | { readonly kind: 'runRemoved'; readonly run: RunKey }
  | { readonly kind: 'history'; readonly run: RunKey; readonly keys: readonly string[]; readonly fromStep: number; readonly toStep: number }
  | { readonly kind: 'system'; readonly run: RunKey; readonly fromTime: number }
  | { readonly kind: 'output'; readonly run: RunKey; readonly fromLine: number }
  | { readonly kind: 'alert'; readonly run: RunKey; readonly alert: RunAlert }
  | { readonly kind: 'media'; readonly run: RunKey; readonly keys: readonly string[] }
  | { readonly kind: 'rebuilt'; readonly reason: string };

/**
 * A change to what a run is (its rows, metrics, media, state, metadata), not to its printed
 * output, system samples or alerts, which no run list, lens or health check shows.
 */
export function isRunDataChange(change: StoreChange): boolean {
  return change.kind !== 'output' && change.kind !== 'system' && change.kind !== 'alert';
}

/** New data of a run that could not be committed (disk full, I/O error): rolled back, retried next pass. */
export interface IngestFailure {
  readonly run: RunKey;
  /** The file being read, e.g. `events.jsonl`. */
  readonly file: string;
  readonly message: string;
}

export interface Unsubscribe {
  dispose(): void;
}

/**
 * What the editor layer needs from the store. Implemented by `Store` (src/core/store/Store.ts)
 * over better-sqlite3; every method is synchronous and cheap enough for a UI thread.
 */
export interface RunlogStore {
  readonly dir: string;
  onDidChange(listener: (changes: readonly StoreChange[]) => void): Unsubscribe;
  /** Ingest failures of a pass (each already rolled back; nothing half-written). */
  onDidFail?(listener: (failures: readonly IngestFailure[]) => void): Unsubscribe;
  /** Ingest everything appended since the last pass; emits changes. */
  sync(): void;
  /** Reads these runs now (their files changed where the store's own watcher does not look: a run read in place from another tool's folders). */
  syncRuns(keys: readonly RunKey[]): void;
  /** Start watching the store (fs events with a polling fallback). */
  watch(pollMs?: number): void;
  close(): void;

  listProjects(): ProjectInfo[];
  /** Filtered, sorted and paged in SQL when sorted by start; read only what the page shows. */
  listRuns(project: string | undefined, query?: RunListQuery): RunInfo[];
  /** A page of a project's runs in a table order, all in SQL, with each run's cursor (query/order.ts). */
  pageRuns(project: string, query: RunPageQuery): { runs: RunInfo[]; cursors: PageCursor[] };
  /** Where these runs of `project` stand in `order` (runs not there are left out), by ID. */
  cursorsOf(project: string, ids: readonly string[], order: RunOrder): Map<string, PageCursor>;
  /** Some run was read from another tool's files (a W&B run), found in SQL. */
  hasSourcedRuns(): boolean;
  /** One run as listed (no need to list a project to find it). */
  runInfo(key: RunKey): RunInfo | undefined;
  /** The other tools' folders (W&B run folders) that the runs of `project` read in place serve files from. */
  sourceFileRoots(project: string): string[];
  /** The runs that are running now, newest first. */
  liveRuns(): RunInfo[];
  /** How many runs of a project (or the store) match a filter. */
  count(project?: string, filter?: string): number;
  /** Why parts of a filter cannot be SQL, each naming its term (empty: all of it is); throws FilterSyntaxError as listRuns does. */
  filterNotSql(filter: string): readonly string[];
  /** A project's run groups with their counts (the runs a filter selects), in group order. */
  groupCounts(project: string, filter?: string): GroupCount[];
  getRun(key: RunKey): RunDetail | undefined;
  getHistory(key: RunKey, metric: string, query?: HistoryQuery): HistorySeries;
  /** System metric series, same shape; x is time-based (`steps` hold sample indexes). */
  getSystem(key: RunKey, metric: string, query?: HistoryQuery): HistorySeries;
  readOutput(key: RunKey, fromLine: number, count: number): OutputLine[];
  searchOutput(key: RunKey, text: string, limit?: number): number[];
  /** Media keys of a run, by key. */
  listMediaKeys(key: RunKey): MediaKeyInfo[];
  /** Media records of a run in (key, step, index) order, narrowed by the query. */
  listMedia(key: RunKey, query?: MediaQuery): MediaItem[];
  /** Where each metric of a run is logged from, by file and line. */
  listCallsites(key: RunKey): MetricCallsite[];
  /** The metrics runs logged from `file` (an absolute path), newest run first, at most `limit` rows. */
  callsitesInFile(file: string, limit?: number): FileCallsite[];

  rename(key: RunKey, name: string): void;
  setNotes(key: RunKey, notes: string): void;
  setTags(key: RunKey, tags: readonly string[]): void;
  markState(key: RunKey, state: 'killed' | 'failed' | 'finished', code?: number): void;
  moveRun(key: RunKey, toProject: string): RunKey;
  deleteRuns(keys: readonly RunKey[]): void;
  /** Drop the index and rebuild it from the run directories. */
  rebuild(reason: string): void;
  /** Rebuilds the index a slice of runs at a time, with progress and cancel (the runs not reached keep their rows). */
  reindex(reason: string, options?: ReindexOptions): Promise<ReindexResult>;
}
