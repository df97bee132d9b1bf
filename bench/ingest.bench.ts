// Ingest rate of 1M history points (100k steps x 10 metrics) against raw better-sqlite3
// batched inserts of the same rows into a bare table. Run: npx tsx bench/ingest.bench.ts
// (npm run bench measures it through measureIngest() as one figure of its table).
//
// Both wall time and CPU time (user + system of this process) are reported, best of a few
// alternating rounds: on a shared machine the CPU time is the steadier of the two.

import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';

const METRICS = 10;
const value = (step: number, m: number) => Math.sin(step / 1000 + m) / (1 + step / 1e5);

export interface Timing {
  wall: number;
  cpu: number;
}

export interface IngestResult {
  readonly rows: number;
  readonly steps: number;
  readonly rounds: number;
  /** Every round of each, alternated. */
  readonly runs: { readonly bare: Timing[]; readonly keyed: Timing[]; readonly ingest: Timing[] };
}

function measure(fn: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function baseline(dir: string, steps: number, withKey: boolean): Timing {
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
  const timing = measure(() =>
    db.transaction(() => {
      for (let s = 0; s < steps; s++) {
        const ts = 1764158400 + s * 0.01;
        for (let m = 0; m < METRICS; m++) insert.run(1, m + 1, s, value(s, m), ts);
      }
    })(),
  );
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return timing;
}

function ours(store: string, rows: number): Timing {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(store, 'index.sqlite' + suffix), { force: true });
  let s: Store | undefined;
  const timing = measure(() => {
    s = Store.open(store); // a missing index: the full ingest of the run folder
  });
  const run = s!.getRun('bench/run00001');
  if (run?.metrics.reduce((n, m) => n + m.count, 0) !== rows) throw new Error('ingest lost rows');
  s!.close();
  return timing;
}

/** Writes the run (SDK format, streamed), then alternates the two baselines and Runlog's ingest into a fresh index. */
export function measureIngest(options: { steps?: number; rounds?: number } = {}): IngestResult {
  const steps = options.steps ?? 100_000;
  const rounds = options.rounds ?? 3;
  const rows = steps * METRICS;
  const store = makeStore();
  try {
    new RunBuilder(store, 'bench', 'run00001').init({ name: 'bench' }).write().writeHistoryBulk({ steps, metrics: METRICS, value });
    new RunBuilder(store, 'bench', 'run00001').at(1764158400 + steps).exit(0).write();
    const runs = { bare: [] as Timing[], keyed: [] as Timing[], ingest: [] as Timing[] };
    for (let i = 0; i < rounds; i++) {
      runs.bare.push(baseline(store, steps, false));
      runs.keyed.push(baseline(store, steps, true));
      runs.ingest.push(ours(store, rows));
    }
    return { rows, steps, rounds, runs };
  } finally {
    removeStores();
  }
}

/** The best (least disturbed) of the rounds. */
export const best = (list: readonly Timing[], k: keyof Timing): number => Math.min(...list.map((t) => t[k]));
export const rowsPerSecond = (rows: number, ms: number): number => Math.round(rows / (ms / 1000));

if (require.main === module) {
  const r = measureIngest({ steps: Number(process.env.BENCH_STEPS ?? 100_000), rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
  const { runs, rows } = r;
  const rate = (ms: number) => `${rowsPerSecond(rows, ms).toLocaleString('en-US')} rows/s`;
  const line = (label: string, list: Timing[]) =>
    `${label.padEnd(52)} wall ${best(list, 'wall').toFixed(0).padStart(5)} ms (${rate(best(list, 'wall'))})   cpu ${best(list, 'cpu').toFixed(0).padStart(5)} ms (${rate(best(list, 'cpu'))})`;
  console.log(`${rows.toLocaleString('en-US')} history points (${r.steps} steps x ${METRICS} metrics), best of ${r.rounds} rounds`);
  console.log(line('baseline: bare table, batched single-row inserts', runs.bare));
  console.log(line('baseline: same rows, same primary key (WITHOUT ROWID)', runs.keyed));
  console.log(line('Runlog ingest (read, parse, insert, stats, LOD)', runs.ingest));
  const ratio = (k: keyof Timing, base: Timing[]) => (best(base, k) / best(runs.ingest, k)).toFixed(2);
  console.log(`ingest rate / bare-table rate: wall ${ratio('wall', runs.bare)}x, cpu ${ratio('cpu', runs.bare)}x (target >= 0.7)`);
  console.log(`ingest rate / keyed-table rate: wall ${ratio('wall', runs.keyed)}x, cpu ${ratio('cpu', runs.keyed)}x`);
}
