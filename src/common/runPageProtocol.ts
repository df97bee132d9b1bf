// The one message protocol between the run page webview and the extension host.
// Imported by both sides; the host validates everything that arrives from the webview.
//
// Order: the webview posts `ready`; the host answers with `snapshot` (the run, without chart
// data); the webview asks for the series of the charts it shows (`requestSeries`); after that
// the host posts deltas only: `run` when the run's fields change, `seriesTail` with new points,
// `logLength` when output grows, `runDeleted` when the run is gone.
import type { OutputLine, RunDetail, RunState } from '../core/model';
import {
  isBoundedString,
  isFiniteNumber,
  isNonNegativeInt,
  isObject,
  isOneOf,
  isStringArray,
  type Obj,
} from './guards';
import { parseMediaMessage, type MediaToHost, type MediaToPage } from './mediaProtocol';
import type { WireSeries, WireSeriesTail, WireValue } from './wire';

export const RUN_PAGE_TABS = ['overview', 'charts', 'media', 'system', 'logs', 'files', 'artifacts'] as const;
export type RunPageTab = (typeof RUN_PAGE_TABS)[number];

export const SERIES_SCOPES = ['history', 'system'] as const;
/** `history`: the run's logged metrics; `system`: its system metrics. */
export type SeriesScope = (typeof SERIES_SCOPES)[number];

export const X_AXES = ['step', 'relative', 'wall'] as const;
export type XAxis = (typeof X_AXES)[number];

export const FILE_ACTIONS = ['open', 'reveal', 'saveAs'] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

export const ARTIFACT_ACTIONS = ['open', 'reveal'] as const;
export type ArtifactAction = (typeof ARTIFACT_ACTIONS)[number];

export const LOG_ACTIONS = ['openInEditor', 'saveAs'] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

export const LIMITS = {
  notes: 65_536,
  tags: 100,
  tag: 128,
  /** Metric names are not limited by the SDK; the page must be able to ask for any real one. */
  metricKey: 65_536,
  keysPerRequest: 1_000,
  path: 4_096,
  copy: 1_048_576,
  search: 1_000,
  linesPerRequest: 5_000,
  name: 1_024,
} as const;

// ---- Run page → host -------------------------------------------------------------------

export interface ReadyMessage {
  readonly type: 'ready';
}

/** Full-range series for charts that became visible; later points come as `seriesTail`. */
export interface RequestSeriesMessage {
  readonly type: 'requestSeries';
  readonly scope: SeriesScope;
  readonly keys: readonly string[];
}

/** A chart was zoomed to [fromStep, toStep]: the host answers with `zoomData` at full resolution. */
export interface ZoomMessage {
  readonly type: 'zoom';
  readonly requestId: number;
  readonly scope: SeriesScope;
  readonly keys: readonly string[];
  readonly fromStep: number;
  readonly toStep: number;
}

export interface RequestLinesMessage {
  readonly type: 'requestLines';
  readonly from: number;
  readonly count: number;
}

export interface SearchLogsMessage {
  readonly type: 'searchLogs';
  readonly requestId: number;
  readonly query: string;
}

export interface SetNotesMessage {
  readonly type: 'setNotes';
  readonly notes: string;
}

export interface SetTagsMessage {
  readonly type: 'setTags';
  readonly tags: readonly string[];
}

export interface CopyMessage {
  readonly type: 'copy';
  readonly text: string;
}

export interface LogActionMessage {
  readonly type: 'logAction';
  readonly action: LogAction;
}

/** `path` is relative to the run directory; the host refuses anything that resolves outside it. */
export interface FileActionMessage {
  readonly type: 'fileAction';
  readonly action: FileAction;
  readonly path: string;
}

/** Names an artifact of the run; the host looks it up, it never takes a path from here. */
export interface ArtifactActionMessage {
  readonly type: 'artifactAction';
  readonly action: ArtifactAction;
  readonly direction: 'input' | 'output';
  readonly name: string;
  readonly version: string;
}

/** The first chart finished drawing; `at` is epoch milliseconds on the webview's clock. */
export interface FirstChartDrawnMessage {
  readonly type: 'firstChartDrawn';
  readonly at: number;
}

export type RunPageToHost =
  | ReadyMessage
  | RequestSeriesMessage
  | ZoomMessage
  | RequestLinesMessage
  | SearchLogsMessage
  | SetNotesMessage
  | SetTagsMessage
  | CopyMessage
  | LogActionMessage
  | FileActionMessage
  | ArtifactActionMessage
  | FirstChartDrawnMessage
  | MediaToHost;

// ---- Host → run page -------------------------------------------------------------------

/** A run as the page shows it: RunDetail with values that survive postMessage. */
export interface RunView
  extends Omit<RunDetail, 'config' | 'summary' | 'configTree' | 'metrics'> {
  readonly config: Readonly<Record<string, WireValue>>;
  readonly summary: Readonly<Record<string, WireValue>>;
  readonly metrics: readonly MetricView[];
}

export interface MetricView {
  readonly key: string;
  readonly count: number;
  readonly firstStep: number;
  readonly lastStep: number;
  readonly min: WireValue;
  readonly max: WireValue;
  readonly last: WireValue;
  /** define_metric(step_metric=...): the key charted as this key's x axis instead of the step. */
  readonly stepMetric?: string;
  /** define_metric(hidden=True): no chart on the run page. */
  readonly hidden?: boolean;
  readonly goal?: 'minimize' | 'maximize';
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly run: RunView;
}

/**
 * Some of the run's fields changed (state, notes, tags, summary, files, metric list, …): only
 * those, each whole, beside the snapshot's others. A live tick of a run with a large config
 * sends its step, summary and metric spans, not its config.
 */
export interface RunPatchMessage {
  readonly type: 'runPatch';
  readonly key: string;
  readonly fields: Partial<RunView>;
}

/** Whole series, answering `requestSeries`, or replacing one whose history was rewritten. */
export interface SeriesMessage {
  readonly type: 'series';
  readonly scope: SeriesScope;
  readonly series: readonly WireSeries[];
}

export interface SeriesTailMessage {
  readonly type: 'seriesTail';
  readonly scope: SeriesScope;
  readonly tails: readonly WireSeriesTail[];
}

export interface ZoomDataMessage {
  readonly type: 'zoomData';
  readonly requestId: number;
  readonly scope: SeriesScope;
  readonly fromStep: number;
  readonly toStep: number;
  readonly series: readonly WireSeries[];
}

export interface LinesMessage {
  readonly type: 'lines';
  readonly from: number;
  readonly lines: readonly OutputLine[];
}

export interface LogLengthMessage {
  readonly type: 'logLength';
  readonly total: number;
}

export interface LogMatchesMessage {
  readonly type: 'logMatches';
  readonly requestId: number;
  readonly query: string;
  /** Line numbers (0-based, ascending) that contain the query. */
  readonly lines: readonly number[];
  /** True when more lines match than were returned. */
  readonly limited: boolean;
}

/** Show the Charts tab scrolled to the chart of `key` (the editor's lens above a `log()` call). */
export interface RevealMetricMessage {
  readonly type: 'revealMetric';
  readonly key: string;
}

export interface RunDeletedMessage {
  readonly type: 'runDeleted';
  readonly key: string;
}

export type HostToRunPage =
  | SnapshotMessage
  | RunPatchMessage
  | SeriesMessage
  | SeriesTailMessage
  | ZoomDataMessage
  | LinesMessage
  | LogLengthMessage
  | LogMatchesMessage
  | RunDeletedMessage
  | RevealMetricMessage
  | MediaToPage;

// ---- Persisted webview state (restored after a window reload) ---------------------------

export interface ChartZoom {
  readonly fromStep: number;
  readonly toStep: number;
}

export interface RunPageState {
  readonly key: string;
  readonly tab: RunPageTab;
  readonly xAxis: XAxis;
  /** EMA weight in [0, 0.99]; 0 is off. */
  readonly smoothing: number;
  readonly logScale: boolean;
  readonly metricFilter: string;
  /** Zoom per chart id (`history:loss`, `system:cpu/percent`). */
  readonly zooms: Readonly<Record<string, ChartZoom>>;
  readonly collapsed: readonly string[];
  readonly followLogs: boolean;
}

export function defaultRunPageState(key: string): RunPageState {
  return { key, tab: 'overview', xAxis: 'step', smoothing: 0, logScale: false, metricFilter: '', zooms: {}, collapsed: [], followLogs: true };
}

/** Reads state saved by an earlier webview (it is webview output, so it is checked too). */
export function parseRunPageState(value: unknown): RunPageState | undefined {
  if (!isObject(value) || !isBoundedString(value.key, LIMITS.path) || value.key.length === 0) return undefined;
  const base = defaultRunPageState(value.key);
  const zooms: Record<string, ChartZoom> = {};
  if (isObject(value.zooms)) {
    for (const [id, z] of Object.entries(value.zooms).slice(0, LIMITS.keysPerRequest)) {
      if (isObject(z) && isFiniteNumber(z.fromStep) && isFiniteNumber(z.toStep) && z.fromStep < z.toStep) {
        zooms[id] = { fromStep: z.fromStep, toStep: z.toStep };
      }
    }
  }
  return {
    key: value.key,
    tab: isOneOf(value.tab, RUN_PAGE_TABS) ? value.tab : base.tab,
    xAxis: isOneOf(value.xAxis, X_AXES) ? value.xAxis : base.xAxis,
    smoothing: isFiniteNumber(value.smoothing) && value.smoothing >= 0 && value.smoothing < 1 ? value.smoothing : base.smoothing,
    logScale: typeof value.logScale === 'boolean' ? value.logScale : base.logScale,
    metricFilter: isBoundedString(value.metricFilter, LIMITS.search) ? value.metricFilter : base.metricFilter,
    zooms,
    collapsed: isStringArray(value.collapsed, LIMITS.keysPerRequest, LIMITS.metricKey) ? value.collapsed : [],
    followLogs: typeof value.followLogs === 'boolean' ? value.followLogs : base.followLogs,
  };
}

// ---- Validation -----------------------------------------------------------------------

/** Tags as the host stores them: trimmed, non-empty, unique, in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

function isKeys(value: unknown): value is string[] {
  return isStringArray(value, LIMITS.keysPerRequest, LIMITS.metricKey);
}

function isRequestId(value: unknown): value is number {
  return isNonNegativeInt(value, 2 ** 31);
}

/** Narrows an untrusted value from the webview to a known message, or undefined. */
export function parseRunPageMessage(value: unknown): RunPageToHost | undefined {
  if (!isObject(value)) return undefined;
  const m: Obj = value;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestSeries':
      return isOneOf(m.scope, SERIES_SCOPES) && isKeys(m.keys) ? { type: 'requestSeries', scope: m.scope, keys: m.keys } : undefined;
    case 'zoom':
      return isRequestId(m.requestId) &&
        isOneOf(m.scope, SERIES_SCOPES) &&
        isKeys(m.keys) &&
        isFiniteNumber(m.fromStep) &&
        isFiniteNumber(m.toStep) &&
        m.fromStep <= m.toStep
        ? { type: 'zoom', requestId: m.requestId, scope: m.scope, keys: m.keys, fromStep: m.fromStep, toStep: m.toStep }
        : undefined;
    case 'requestLines':
      return isNonNegativeInt(m.from) && isNonNegativeInt(m.count, LIMITS.linesPerRequest) && m.count > 0
        ? { type: 'requestLines', from: m.from, count: m.count }
        : undefined;
    case 'searchLogs':
      return isRequestId(m.requestId) && isBoundedString(m.query, LIMITS.search)
        ? { type: 'searchLogs', requestId: m.requestId, query: m.query }
        : undefined;
    case 'setNotes':
      return isBoundedString(m.notes, LIMITS.notes) ? { type: 'setNotes', notes: m.notes } : undefined;
    case 'setTags':
      return isStringArray(m.tags, LIMITS.tags, LIMITS.tag) ? { type: 'setTags', tags: normalizeTags(m.tags) } : undefined;
    case 'copy':
      return typeof m.text === 'string' && m.text.length <= LIMITS.copy ? { type: 'copy', text: m.text } : undefined;
    case 'logAction':
      return isOneOf(m.action, LOG_ACTIONS) ? { type: 'logAction', action: m.action } : undefined;
    case 'fileAction':
      return isOneOf(m.action, FILE_ACTIONS) && isBoundedString(m.path, LIMITS.path) && m.path.length > 0
        ? { type: 'fileAction', action: m.action, path: m.path }
        : undefined;
    case 'artifactAction':
      return isOneOf(m.action, ARTIFACT_ACTIONS) &&
        isOneOf(m.direction, ['input', 'output'] as const) &&
        isBoundedString(m.name, LIMITS.name) &&
        isBoundedString(m.version, LIMITS.name)
        ? { type: 'artifactAction', action: m.action, direction: m.direction, name: m.name, version: m.version }
        : undefined;
    case 'firstChartDrawn':
      return isFiniteNumber(m.at) ? { type: 'firstChartDrawn', at: m.at } : undefined;
    default:
      return parseMediaMessage(m);
  }
}

/** The states in which a run may still change. */
export function isLive(state: RunState): boolean {
  return state === 'running';
}
