// Ingest rate of 1M history points (100k steps x 10 metrics) against raw better-sqlite3
// batched inserts of the same rows into a bare table. Run alone: npx tsx bench/ingest.bench.ts
// (npm run bench runs it as one figure of the table).

import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';

const METRICS = 10;
const value = (step: number, m: number) => Math.sin(step / 1000 + m) / (1 + step / 1e5);

export interface IngestResult {
  readonly rows: number;
  readonly steps: number;
  readonly rounds: number;
  /** Best (least disturbed) time of each, ms. */
  readonly bareMs: number;
  readonly keyedMs: number;
  readonly ingestMs: number;
  /** Every round's times, ms. */
  readonly all: { readonly bare: number[]; readonly keyed: number[]; readonly ingest: number[] };
}

function baseline(dir: string, steps: number, withKey: boolean): number {
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
    for (let s = 0; s < steps; s++) {
      const ts = 1764158400 + s * 0.01;
      for (let m = 0; m < METRICS; m++) insert.run(1, m + 1, s, value(s, m), ts);
    }
  })();
  const ms = performance.now() - t0;
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return ms;
}

function ours(store: string, rows: number): number {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(store, 'index.sqlite' + suffix), { force: true });
  const t0 = performance.now();
  const s = Store.open(store);
  const ms = performance.now() - t0;
  const run = s.getRun('bench/run00001');
  if (run?.metrics.reduce((n, m) => n + m.count, 0) !== rows) throw new Error('ingest lost rows');
  s.close();
  return ms;
}

/**
 * Writes the run (SDK format, streamed), then alternates the bare-table baseline, the keyed
 * baseline and Runlog's ingest into a fresh index, `rounds` times each.
 */
export function measureIngest(options: { steps?: number; rounds?: number } = {}): IngestResult {
  const steps = options.steps ?? 100_000;
  const rounds = options.rounds ?? 3;
  const rows = steps * METRICS;
  const store = makeStore();
  try {
    new RunBuilder(store, 'bench', 'run00001').init({ name: 'bench' }).write().writeHistoryBulk({ steps, metrics: METRICS, value });
    new RunBuilder(store, 'bench', 'run00001').at(1764158400 + steps).exit(0).write();
    // Alternate the three, best of `rounds` each: the machine is shared, the best run is the least disturbed.
    const all = { bare: [] as number[], keyed: [] as number[], ingest: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      all.bare.push(baseline(store, steps, false));
      all.keyed.push(baseline(store, steps, true));
      all.ingest.push(ours(store, rows));
    }
    return { rows, steps, rounds, bareMs: Math.min(...all.bare), keyedMs: Math.min(...all.keyed), ingestMs: Math.min(...all.ingest), all };
  } finally {
    removeStores();
  }
}

export const rowsPerSecond = (rows: number, ms: number): number => Math.round(rows / (ms / 1000));

if (require.main === module) {
  const r = measureIngest({ steps: Number(process.env.BENCH_STEPS ?? 100_000), rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
  const rate = (ms: number) => rowsPerSecond(r.rows, ms);
  console.log(`best of ${r.rounds}; all runs (ms): ${JSON.stringify(r.all, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  console.log(`history points: ${r.rows} (${r.steps} steps x ${METRICS} metrics)`);
  console.log(`baseline, bare table (rowid), batched inserts:      ${r.bareMs.toFixed(0)} ms  ${rate(r.bareMs)} rows/s`);
  console.log(`baseline, same primary key (WITHOUT ROWID):         ${r.keyedMs.toFixed(0)} ms  ${rate(r.keyedMs)} rows/s`);
  console.log(`Runlog ingest (read+parse+insert+stats+LOD):        ${r.ingestMs.toFixed(0)} ms  ${rate(r.ingestMs)} rows/s`);
  console.log(`ratio vs bare table: ${(r.bareMs / r.ingestMs).toFixed(2)}x   ratio vs keyed table: ${(r.keyedMs / r.ingestMs).toFixed(2)}x`);
}
