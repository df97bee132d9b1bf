// The metric tails the health checks read of each live run (runHealth.ts), kept per run until a
// store change names that run: a busy store re-reads only the runs that logged since the last
// check, not every metric of every live run.

import { isRunDataChange, type RunKey, type RunlogStore, type StoreChange } from '../model';
import type { MetricTail } from './runHealth';

/** Metrics of one run that are checked (the rest are not: a run of thousands of keys stays cheap). */
const MAX_KEYS = 200;

export type TailStore = Pick<RunlogStore, 'getRun' | 'getHistory'>;

export class RunTails {
  private readonly tails = new Map<RunKey, readonly MetricTail[]>();
  /** The points per tail the cached tails were read with. */
  private need = 0;

  constructor(private readonly store: () => TailStore | undefined) {}

  /** The last `need` points of each numeric metric of `run` (at most MAX_KEYS metrics). */
  of(run: RunKey, need: number): readonly MetricTail[] {
    if (need !== this.need) {
      this.tails.clear();
      this.need = need;
    }
    let tails = this.tails.get(run);
    if (!tails) {
      tails = readTails(this.store(), run, need);
      this.tails.set(run, tails);
    }
    return tails;
  }

  /** Forgets the runs a change names (all of them for a change that names none). */
  storeChanged(changes: readonly StoreChange[]): void {
    for (const c of changes) {
      if (!isRunDataChange(c)) continue;
      if ('run' in c) this.tails.delete(c.run);
      else this.tails.clear();
    }
  }

  /** Forgets every run not in `live` (ended runs are not checked). */
  keepOnly(live: ReadonlySet<RunKey>): void {
    for (const run of this.tails.keys()) if (!live.has(run)) this.tails.delete(run);
  }

  clear(): void {
    this.tails.clear();
  }
}

function readTails(store: TailStore | undefined, key: RunKey, need: number): MetricTail[] {
  const detail = store?.getRun(key);
  if (!store || !detail) return [];
  const out: MetricTail[] = [];
  for (const m of detail.metrics.slice(0, MAX_KEYS)) {
    if (m.count === 0 || typeof m.last === 'string' || typeof m.last === 'boolean') continue;
    // Steps may be sparse: read back far enough for `need` points at the key's average stride.
    const stride = m.count > 1 ? Math.max(1, (m.lastStep - m.firstStep) / (m.count - 1)) : 1;
    const series = store.getHistory(key, m.key, { fromStep: Math.max(m.firstStep, Math.floor(m.lastStep - stride * need * 2)) });
    const from = Math.max(0, series.steps.length - need);
    out.push({ key: m.key, last: m.last, lastStep: m.lastStep, steps: series.steps.slice(from), values: series.values.slice(from), times: series.times.slice(from) });
  }
  return out;
}
