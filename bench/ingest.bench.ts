// Ingest rate of 1M history points (100k steps x 10 metrics) against raw better-sqlite3
// batched inserts of the same rows into a bare table. Run: npx tsx bench/ingest.bench.ts

import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';

const STEPS = Number(process.env.BENCH_STEPS ?? 100_000);
const METRICS = 10;
const ROWS = STEPS * METRICS;
const value = (step: number, m: number) => Math.sin(step / 1000 + m) / (1 + step / 1e5);

function baseline(dir: string, withKey: boolean): number {
  const path = join(dir, `baseline-${withKey ? 'pk' : 'bare'}.sqlite`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    withKey
      ? 'CREATE TABLE t (run INTEGER, key INTEGER, step INTEGER, value REAL, ts REAL, PRIMARY KEY (run, key, step)) WITHOUT ROWID'
      : 'CREATE TABLE t (run INTEGER, key INTEGER, step INTEGER, value REAL, ts REAL)',
  );
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  const t0 = performance.now();
  db.transaction(() => {
    for (let s = 0; s < STEPS; s++) {
      const ts = 1764158400 + s * 0.01;
      for (let m = 0; m < METRICS; m++) insert.run(1, m + 1, s, value(s, m), ts);
    }
  })();
  const ms = performance.now() - t0;
  db.close();
  rmSync(path, { force: true });
  return ms;
}

function ours(store: string): number {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(store, 'index.sqlite' + suffix), { force: true });
  const t0 = performance.now();
  const s = Store.open(store);
  const ms = performance.now() - t0;
  const run = s.getRun('bench/run00001');
  if (run?.metrics.reduce((n, m) => n + m.count, 0) !== ROWS) throw new Error('ingest lost rows');
  s.close();
  return ms;
}

const store = makeStore();
new RunBuilder(store, 'bench', 'run00001').init({ name: 'bench' }).write().writeHistoryBulk({ steps: STEPS, metrics: METRICS, value });
new RunBuilder(store, 'bench', 'run00001').at(1764158400 + STEPS).exit(0).write();

const rate = (ms: number) => Math.round(ROWS / (ms / 1000));
// Alternate the three, best of ROUNDS each: the machine is shared, the best run is the least disturbed.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const times = { bare: [] as number[], keyed: [] as number[], ingest: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  times.bare.push(baseline(store, false));
  times.keyed.push(baseline(store, true));
  times.ingest.push(ours(store));
}
const bare = Math.min(...times.bare);
const keyed = Math.min(...times.keyed);
const ingest = Math.min(...times.ingest);
console.log(`best of ${ROUNDS}; all runs (ms): ${JSON.stringify(times, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
console.log(`history points: ${ROWS} (${STEPS} steps x ${METRICS} metrics)`);
console.log(`baseline, bare table (rowid), batched inserts:      ${bare.toFixed(0)} ms  ${rate(bare)} rows/s`);
console.log(`baseline, same primary key (WITHOUT ROWID):         ${keyed.toFixed(0)} ms  ${rate(keyed)} rows/s`);
console.log(`Runlog ingest (read+parse+insert+stats+LOD):        ${ingest.toFixed(0)} ms  ${rate(ingest)} rows/s`);
console.log(`ratio vs bare table: ${(bare / ingest).toFixed(2)}x   ratio vs keyed table: ${(keyed / ingest).toFixed(2)}x`);
removeStores();
