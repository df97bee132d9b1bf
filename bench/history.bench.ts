// getHistory of one metric of 1M steps into 1000 min/max buckets, beside two full-scan
// baselines over the same rows. Run: npx tsx bench/history.bench.ts

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';
import { bucketLayout, MinMaxBuckets } from '../src/core/store/downsample';
import { LOD_LEVELS } from '../src/core/store/schema';

const STEPS = Number(process.env.BENCH_STEPS ?? 1_000_000);
const BUCKETS = 1000;
const REPEAT = 15;

const dir = makeStore();
new RunBuilder(dir, 'bench', 'hist0001').init().write().writeHistoryBulk({ steps: STEPS, metrics: ['loss'] });
new RunBuilder(dir, 'bench', 'hist0001').exit(0).write();
const store = Store.open(dir);
const key = 'bench/hist0001';

function time(fn: () => unknown): { median: number; best: number } {
  const ms: number[] = [];
  fn(); // warm the page cache and the statements
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, best: ms[0]! };
}

const ours = time(() => store.getHistory(key, 'loss', { buckets: BUCKETS }));
const zoomed = time(() => store.getHistory(key, 'loss', { fromStep: 250_000, toStep: 750_000, buckets: BUCKETS }));

// Baselines on a second connection to the same index: every row through JS, and SQL GROUP BY.
const db = new Database(join(dir, 'index.sqlite'), { readonly: true });
const kid = db.prepare("SELECT kid FROM metric_keys WHERE key = 'loss'").pluck().get() as number;
const scan = db.prepare('SELECT step, value, ts FROM history WHERE run = 1 AND key = ? ORDER BY step').raw();
const fullScan = time(() => {
  const layout = bucketLayout(0, STEPS - 1, BUCKETS, []);
  const out = new MinMaxBuckets(layout.origin, layout.width, layout.count);
  for (const [step, value, ts] of scan.iterate(kid) as Iterable<[number, number | null, number]>) out.addPoint(step, value, ts);
  return out.series('loss');
});
const width = Math.ceil(STEPS / BUCKETS);
const groupBy = db.prepare('SELECT step / ? AS b, min(value), max(value), count(*) FROM history WHERE run = 1 AND key = ? GROUP BY b').raw();
const sqlGroup = time(() => groupBy.all(width, kid));
db.close();

const f = (t: { median: number; best: number }) => `median ${t.median.toFixed(1)} ms (best ${t.best.toFixed(1)} ms)`;
console.log(`getHistory, ${STEPS} steps -> ${BUCKETS} buckets (level-of-detail table): ${f(ours)}`);
console.log(`getHistory, zoomed to half the run -> ${BUCKETS} buckets:                  ${f(zoomed)}`);
console.log(`baseline: full scan of every row into the same buckets in JS:             ${f(fullScan)}`);
console.log(`baseline: SQL GROUP BY bucket (min/max values only, no steps):            ${f(sqlGroup)}`);
console.log(`speed-up vs full scan: ${(fullScan.median / ours.median).toFixed(1)}x; target < 50 ms: ${ours.median < 50 ? 'met' : 'MISSED'}`);
store.close();
removeStores();
void LOD_LEVELS;
