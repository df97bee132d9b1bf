// The compare table's columns: fixed ones, then chosen `config.<key>` and `summary.<key>`.
import type { RunRow } from '../../common/comparePageProtocol';
import { wireNumber } from '../../common/wire';
import { formatDuration, formatTime, formatWire } from '../shared/format';

/** `2025-11-26 20:10`: the table has no room for seconds. */
const startText = (r: RunRow): string => formatTime(r.startTime).slice(0, 16);
import { compareNatural } from '../shared/sections';

export interface Column {
  readonly id: string;
  readonly label: string;
  readonly width: number;
  readonly numeric: boolean;
  readonly text: (row: RunRow) => string;
  /** Sort value: numbers sort numerically, strings naturally; undefined sorts last. */
  readonly sortValue: (row: RunRow) => number | string | undefined;
}

export const FIXED_COLUMNS: readonly Column[] = [
  { id: 'name', label: 'Name', width: 200, numeric: false, text: (r) => r.name, sortValue: (r) => r.name },
  { id: 'state', label: 'State', width: 92, numeric: false, text: (r) => r.state, sortValue: (r) => r.state },
  { id: 'start', label: 'Start', width: 140, numeric: false, text: startText, sortValue: (r) => r.startTime },
  { id: 'duration', label: 'Duration', width: 90, numeric: true, text: (r) => formatDuration(r.durationSec), sortValue: (r) => r.durationSec },
  { id: 'tags', label: 'Tags', width: 140, numeric: false, text: (r) => r.tags.join(', '), sortValue: (r) => (r.tags.length > 0 ? r.tags.join(',') : undefined) },
  { id: 'group', label: 'Group', width: 110, numeric: false, text: (r) => r.group ?? '', sortValue: (r) => r.group ?? undefined },
];

export function valueColumn(id: string): Column | undefined {
  const m = /^(config|summary)\.(.+)$/.exec(id);
  if (!m) return undefined;
  const source = m[1] as 'config' | 'summary';
  const key = m[2]!;
  return {
    id,
    label: key,
    width: Math.min(180, Math.max(84, Math.round(key.length * 7.5) + 30)),
    numeric: true,
    text: (r) => (key in r[source] ? formatWire(r[source][key]) : ''),
    sortValue: (r) => {
      const v = r[source][key];
      if (v === undefined || v === null) return undefined;
      const n = wireNumber(v);
      return n !== undefined ? (Number.isNaN(n) ? undefined : n) : String(v);
    },
  };
}

export function columnById(id: string): Column | undefined {
  return FIXED_COLUMNS.find((c) => c.id === id) ?? valueColumn(id);
}

export function compareRows(column: Column, descending: boolean): (a: RunRow, b: RunRow) => number {
  return (a, b) => {
    const va = column.sortValue(a);
    const vb = column.sortValue(b);
    if (va === undefined && vb === undefined) return 0;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    let c: number;
    if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    else if (typeof va === 'number') c = -1;
    else if (typeof vb === 'number') c = 1;
    else c = compareNatural(va, vb);
    return descending ? -c : c;
  };
}

/** Every config and summary key of the rows, as column ids. */
export function availableValueColumns(rows: Iterable<RunRow>): { config: string[]; summary: string[] } {
  const config = new Set<string>();
  const summary = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r.config)) config.add(k);
    for (const k of Object.keys(r.summary)) summary.add(k);
  }
  return { config: [...config].sort(compareNatural), summary: [...summary].sort(compareNatural) };
}

/** First columns for a project never configured: up to six config keys (those that vary first), four summary keys. */
export function defaultValueColumns(rows: readonly RunRow[]): string[] {
  const { config, summary } = availableValueColumns(rows);
  const varies = (key: string): boolean => new Set(rows.map((r) => JSON.stringify(r.config[key] ?? null))).size > 1;
  const configCols = [...config.filter(varies), ...config.filter((k) => !varies(k))].slice(0, 6).map((k) => `config.${k}`);
  const summaryCols = summary.filter((k) => !k.startsWith('_')).slice(0, 4).map((k) => `summary.${k}`);
  return [...configCols, ...summaryCols];
}
