// getHistory of one metric of 1M steps into 1000 min/max buckets, beside two full-scan
// baselines over the same rows. Run alone: npx tsx bench/history.bench.ts (npm run bench
// measures it on metric_0 of the first-paint run, 1M steps).

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';
import { bucketLayout, MinMaxBuckets } from '../src/core/history/downsample';

const BUCKETS = 1000;

export interface Timing {
  readonly median: number;
  readonly best: number;
}

export interface HistoryResult {
  readonly steps: number;
  readonly buckets: number;
  /** getHistory over the whole run. */
  readonly ours: Timing;
  /** getHistory zoomed to the middle half. */
  readonly zoomed: Timing;
  /** Every row read through JS into the same buckets. */
  readonly fullScan: Timing;
  /** SQL GROUP BY bucket (min/max values only, no steps). */
  readonly sqlGroup: Timing;
}

function time(repeat: number, fn: () => unknown): Timing {
  const ms: number[] = [];
  fn(); // warm the page cache and the statements
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, best: ms[0]! };
}

/** Measures on an indexed store: `key` is the run, `metric` one of its metrics with `steps` rows. */
export function measureHistory(options: { dir: string; key: string; metric: string; steps: number; repeat?: number; baselineRepeat?: number }): HistoryResult {
  const { dir, key, metric, steps } = options;
  const repeat = options.repeat ?? 15;
  const store = Store.open(dir, { readonly: true });
  try {
    const ours = time(repeat, () => store.getHistory(key, metric, { buckets: BUCKETS }));
    const quarter = Math.floor(steps / 4);
    const zoomed = time(repeat, () => store.getHistory(key, metric, { fromStep: quarter, toStep: 3 * quarter, buckets: BUCKETS }));

    // Baselines on a second connection to the same index: every row through JS, and SQL GROUP BY.
    const db = new Database(join(dir, 'index.sqlite'), { readonly: true });
    try {
      const [project, id] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
      const rid = db.prepare('SELECT rid FROM runs WHERE project = ? AND id = ?').pluck().get(project, id) as number;
      const kid = db.prepare('SELECT kid FROM metric_keys WHERE run = ? AND key = ?').pluck().get(rid, metric) as number;
      const scan = db.prepare('SELECT step, value, ts FROM history WHERE run = ? AND key = ? ORDER BY step').raw();
      const baselineRepeat = options.baselineRepeat ?? Math.min(repeat, 5);
      const fullScan = time(baselineRepeat, () => {
        const layout = bucketLayout(0, steps - 1, BUCKETS, []);
        const out = new MinMaxBuckets(layout.origin, layout.width, layout.count);
        for (const [step, value, ts] of scan.iterate(rid, kid) as Iterable<[number, number | null, number]>) out.addPoint(step, value, ts);
        return out.series(metric);
      });
      const width = Math.ceil(steps / BUCKETS);
      const groupBy = db.prepare('SELECT step / ? AS b, min(value), max(value), count(*) FROM history WHERE run = ? AND key = ? GROUP BY b').raw();
      const sqlGroup = time(baselineRepeat, () => groupBy.all(width, rid, kid));
      return { steps, buckets: BUCKETS, ours, zoomed, fullScan, sqlGroup };
    } finally {
      db.close();
    }
  } finally {
    store.close();
  }
}

if (require.main === module) {
  const steps = Number(process.env.BENCH_STEPS ?? 1_000_000);
  const dir = makeStore();
  new RunBuilder(dir, 'bench', 'hist0001').init().write().writeHistoryBulk({ steps, metrics: ['loss'] });
  new RunBuilder(dir, 'bench', 'hist0001').exit(0).write();
  Store.open(dir).close();
  const r = measureHistory({ dir, key: 'bench/hist0001', metric: 'loss', steps });
  const f = (t: Timing) => `median ${t.median.toFixed(1)} ms (best ${t.best.toFixed(1)} ms)`;
  console.log(`getHistory, ${steps} steps -> ${BUCKETS} buckets (level-of-detail table): ${f(r.ours)}`);
  console.log(`getHistory, zoomed to half the run -> ${BUCKETS} buckets:                  ${f(r.zoomed)}`);
  console.log(`baseline: full scan of every row into the same buckets in JS:             ${f(r.fullScan)}`);
  console.log(`baseline: SQL GROUP BY bucket (min/max values only, no steps):            ${f(r.sqlGroup)}`);
  console.log(`speed-up vs full scan: ${(r.fullScan.median / r.ours.median).toFixed(1)}x; target < 50 ms: ${r.ours.median < 50 ? 'met' : 'MISSED'}`);
  removeStores();
}
