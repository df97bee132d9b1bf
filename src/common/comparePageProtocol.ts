// The message protocol between the compare page webview (one per project) and the host.
//
// Order: `ready` → `snapshot` (the first page of the project's runs that pass the filter, newest
// first, unless the page asks for another order with `setSort`) → deltas: `rowsDelta` as the runs held start, change or go; `rowsPage` with the next page
// when the page asks (`loadMore`, as its table is scrolled near its end); `series` for the runs
// the charts show.
import { parseMediaMessage, type MediaToHost, type MediaToPage } from './mediaProtocol';
import type { RunInfo, RunKey } from '../core/model';
import { isBoundedString, isFiniteNumber, isObject, isOneOf, isStringArray, type Obj } from './guards';
import { X_AXES, type XAxis } from './runPageProtocol';
import type { WireSeries, WireValue } from './wire';

export const COMPARE_LIMITS = {
  filter: 2_000,
  keys: 10_000,
  key: 512,
  chartRuns: 50,
  columns: 200,
  column: 1_100,
} as const;

// ---- Compare page → host ---------------------------------------------------------------

export interface CompareReadyMessage {
  readonly type: 'ready';
}

/** Filter the runs with the core's filter language (`state:running config.lr>0.01 …`). */
export interface SetFilterMessage {
  readonly type: 'setFilter';
  readonly filter: string;
}

/** The runs the charts now show; the host answers with their series and keeps them live. */
export interface ChartRunsMessage {
  readonly type: 'chartRuns';
  readonly runs: readonly RunKey[];
}

export interface RunsActionMessage {
  readonly type: 'runsAction';
  readonly action: 'open' | 'delete' | 'tag';
  readonly runs: readonly RunKey[];
}

/** Sort the runs by a column: the host reads them in that order (every run, not only those held) and answers with `rowsDelta`. */
export interface SetSortMessage {
  readonly type: 'setSort';
  readonly sort: CompareSort;
}

/** The next page of runs (the table was scrolled near its end); answered by `rowsPage`. */
export interface LoadMoreRunsMessage {
  readonly type: 'loadMore';
}

export type ComparePageToHost = CompareReadyMessage | SetFilterMessage | SetSortMessage | ChartRunsMessage | RunsActionMessage | LoadMoreRunsMessage | MediaToHost;

// ---- Host → compare page ---------------------------------------------------------------

/** A table row: RunInfo with values that survive postMessage. */
export interface RunRow extends Omit<RunInfo, 'config' | 'summary'> {
  readonly config: Readonly<Record<string, WireValue>>;
  readonly summary: Readonly<Record<string, WireValue>>;
}

export interface CompareSnapshotMessage {
  readonly type: 'snapshot';
  readonly project: string;
  readonly filter: string;
  /** The filter's error, when it does not parse; the rows are then unfiltered. */
  readonly filterError: string | null;
  /** The order the rows were read in (the first of them in that order). */
  readonly sort: CompareSort;
  readonly rows: readonly RunRow[];
  /** How many runs the filter selects (the rows are the first of them). */
  readonly total: number;
  /** More runs follow the last row. */
  readonly hasMore: boolean;
}

export interface RowsDeltaMessage {
  readonly type: 'rowsDelta';
  readonly filter: string;
  readonly filterError: string | null;
  /** Rows added or changed. */
  readonly upserts: readonly RunRow[];
  readonly removed: readonly RunKey[];
  readonly total: number;
  readonly hasMore: boolean;
}

/** Rows after the last ones held (the answer to `loadMore`, or runs to select further down). */
export interface RowsPageMessage {
  readonly type: 'rowsPage';
  readonly rows: readonly RunRow[];
  readonly total: number;
  readonly hasMore: boolean;
}

export interface RunSeries extends WireSeries {
  readonly run: RunKey;
}

/** All metric series of the named runs (replacing what the page had for them). */
export interface CompareSeriesMessage {
  readonly type: 'series';
  readonly runs: readonly RunKey[];
  readonly series: readonly RunSeries[];
}

/** Select these runs (the page was opened from a selection in the explorer). */
export interface SelectRunsMessage {
  readonly type: 'select';
  readonly runs: readonly RunKey[];
}

export type HostToComparePage = CompareSnapshotMessage | RowsDeltaMessage | RowsPageMessage | CompareSeriesMessage | SelectRunsMessage | MediaToPage;

// ---- Persisted webview state -----------------------------------------------------------

export interface CompareSort {
  /** A column id: `name`, `state`, `start`, `duration`, `tags`, `group`, `config.<k>`, `summary.<k>`. */
  readonly column: string;
  readonly descending: boolean;
}

export interface ComparePageState {
  readonly project: string;
  readonly filter: string;
  readonly columns: readonly string[];
  readonly sort: CompareSort;
  readonly selected: readonly RunKey[];
  /** `''` for none, `group` for the run's group, or `config.<key>`. */
  readonly groupBy: string;
  readonly xAxis: XAxis;
  readonly smoothing: number;
  readonly metricFilter: string;
}

export function defaultComparePageState(project: string): ComparePageState {
  return {
    project,
    filter: '',
    columns: [],
    sort: { column: 'start', descending: true },
    selected: [],
    groupBy: '',
    xAxis: 'step',
    smoothing: 0,
    metricFilter: '',
  };
}

export function parseComparePageState(value: unknown): ComparePageState | undefined {
  if (!isObject(value) || !isBoundedString(value.project, COMPARE_LIMITS.key) || value.project.length === 0) return undefined;
  const base = defaultComparePageState(value.project);
  const sort = isObject(value.sort) && isBoundedString(value.sort.column, COMPARE_LIMITS.column) && typeof value.sort.descending === 'boolean'
    ? { column: value.sort.column, descending: value.sort.descending }
    : base.sort;
  return {
    project: value.project,
    filter: isBoundedString(value.filter, COMPARE_LIMITS.filter) ? value.filter : base.filter,
    columns: isStringArray(value.columns, COMPARE_LIMITS.columns, COMPARE_LIMITS.column) ? value.columns : base.columns,
    sort,
    selected: isStringArray(value.selected, COMPARE_LIMITS.keys, COMPARE_LIMITS.key) ? value.selected : base.selected,
    groupBy: isBoundedString(value.groupBy, COMPARE_LIMITS.column) ? value.groupBy : base.groupBy,
    xAxis: isOneOf(value.xAxis, X_AXES) ? value.xAxis : base.xAxis,
    smoothing: isFiniteNumber(value.smoothing) && value.smoothing >= 0 && value.smoothing < 1 ? value.smoothing : base.smoothing,
    metricFilter: isBoundedString(value.metricFilter, COMPARE_LIMITS.filter) ? value.metricFilter : base.metricFilter,
  };
}

// ---- Validation -----------------------------------------------------------------------

export function parseComparePageMessage(value: unknown): ComparePageToHost | undefined {
  if (!isObject(value)) return undefined;
  const m: Obj = value;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'loadMore':
      return { type: 'loadMore' };
    case 'setFilter':
      return isBoundedString(m.filter, COMPARE_LIMITS.filter) ? { type: 'setFilter', filter: m.filter } : undefined;
    case 'setSort':
      return isObject(m.sort) && isBoundedString(m.sort.column, COMPARE_LIMITS.column) && typeof m.sort.descending === 'boolean'
        ? { type: 'setSort', sort: { column: m.sort.column, descending: m.sort.descending } }
        : undefined;
    case 'chartRuns':
      return isStringArray(m.runs, COMPARE_LIMITS.chartRuns, COMPARE_LIMITS.key) ? { type: 'chartRuns', runs: m.runs } : undefined;
    case 'runsAction':
      return isOneOf(m.action, ['open', 'delete', 'tag'] as const) &&
        isStringArray(m.runs, COMPARE_LIMITS.keys, COMPARE_LIMITS.key) &&
        m.runs.length > 0
        ? { type: 'runsAction', action: m.action, runs: m.runs }
        : undefined;
    default:
      return parseMediaMessage(m);
  }
}
