// Orders runs for the explorer and the compare table. Missing values sort last either way.

import { RUN_STATES, type MetricValue, type RunInfo, type SortKey } from '../model';
import { lookup } from './filter';

export const SORT_FIELDS = ['start', 'name', 'state', 'duration'] as const;

export function isSortKey(text: string): text is SortKey {
  return (SORT_FIELDS as readonly string[]).includes(text) || /^(summary|config)\.\S+$/.test(text);
}

type Value = number | string | null;

function sortValue(run: RunInfo, key: SortKey): Value {
  switch (key) {
    case 'start':
      return run.startTime;
    case 'name':
      return run.name;
    case 'state':
      return RUN_STATES.indexOf(run.state);
    case 'duration':
      return run.durationSec;
  }
  const dot = key.indexOf('.');
  const source = key.slice(0, dot) === 'config' ? run.config : run.summary;
  return normalize(lookup(source, key.slice(dot + 1)));
}

function normalize(v: MetricValue | undefined): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1; // numbers before text
  if (typeof b === 'number') return 1;
  return collator.compare(a as string, b as string);
}

/** Sorts in place and returns `runs`. Ties fall back to newest first, then ID. */
export function sortRuns(runs: RunInfo[], key: SortKey = 'start', descending = key === 'start'): RunInfo[] {
  const keyed = runs.map((run) => ({ run, value: sortValue(run, key) }));
  keyed.sort((x, y) => {
    if (x.value === null || y.value === null) {
      if (x.value !== y.value) return x.value === null ? 1 : -1;
    } else {
      const c = compareValues(x.value, y.value);
      if (c !== 0) return descending ? -c : c;
    }
    return y.run.startTime - x.run.startTime || (x.run.id < y.run.id ? -1 : x.run.id > y.run.id ? 1 : 0);
  });
  for (let i = 0; i < keyed.length; i++) runs[i] = keyed[i]!.run;
  return runs;
}
