// W&B read rate: the same history points (steps x 10 metrics) as a W&B `.wandb` file, read by
// Runlog's W&B source into format v1 records, beside Runlog's own JSONL ingest of those points
// into a fresh index (the figure's baseline) and Runlog's JSONL parse alone (for the note).
// Run: npx tsx bench/wandb.bench.ts (npm run bench measures it through measureWandbRead()).

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from '../src/core/format/jsonl';
import { checkEventRecord } from '../src/core/format/records';
import { InPlaceRuns } from '../src/core/sources/inPlace';
import { WandbSource } from '../src/core/sources/wandb/WandbSource';
import { Store } from '../src/core/store/Store';
import { makeStore, RunBuilder, removeStores } from '../test/fixtures/runBuilder';
import { rec, removeWandbTemps, tempDir, writeWandbRun } from '../test/fixtures/wandbFiles';
import { best, type Timing } from './ingest.bench';

const METRICS = 10;
const value = (step: number, m: number) => Math.sin(step / 1000 + m) / (1 + step / 1e5);

export interface WandbReadResult {
  readonly steps: number;
  readonly rounds: number;
  readonly bytes: number;
  /** wandbInPlace: the same .wandb indexed in place (read + committed to a fresh index), the path the editor takes. */
  readonly runs: { readonly wandb: Timing[]; readonly wandbInPlace: Timing[]; readonly jsonlIngest: Timing[]; readonly jsonlParse: Timing[] };
}

function measure(fn: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

export function measureWandbRead(options: { steps?: number; rounds?: number } = {}): WandbReadResult {
  const steps = options.steps ?? 100_000;
  const rounds = options.rounds ?? 3;
  const wandbDir = tempDir('runlog-bench-wandb-');
  const store = makeStore();
  try {
    const records = [rec.run({ id: 'bench0001', project: 'bench', name: 'bench' })];
    for (let s = 0; s < steps; s++) {
      const data: Record<string, string> = {};
      for (let m = 0; m < METRICS; m++) data[`m${m}`] = String(value(s, m));
      records.push(rec.history(s, data, 1764158400 + s * 0.01));
    }
    records.push(rec.exit(0));
    const { file } = writeWandbRun(wandbDir, 'bench0001', records);
    const bytes = readFileSync(file).length;
    new RunBuilder(store, 'bench', 'run00001').init({ name: 'bench' }).write().writeHistoryBulk({ steps, metrics: METRICS, value });
    new RunBuilder(store, 'bench', 'run00001').at(1764158400 + steps).exit(0).write();
    const events = join(store, 'projects', 'bench', 'runs', 'run00001', 'events.jsonl');
    const source = new WandbSource();
    const runs = { wandb: [] as Timing[], wandbInPlace: [] as Timing[], jsonlIngest: [] as Timing[], jsonlParse: [] as Timing[] };
    const inPlaceStore = join(wandbDir, '.runlog');
    for (let i = 0; i < rounds; i++) {
      let histories = 0;
      runs.wandb.push(measure(() => {
        const ref = source.discover([wandbDir]).runs[0]!;
        const batch = source.open(ref).read();
        histories = batch.events.filter((e) => e.type === 'history').length;
      }));
      if (histories !== steps) throw new Error(`the W&B read lost steps (${histories} of ${steps})`);
      rmSync(inPlaceStore, { recursive: true, force: true });
      let indexed = 0;
      runs.wandbInPlace.push(measure(() => {
        new InPlaceRuns(source, inPlaceStore).link([wandbDir]);
        const s = Store.open(inPlaceStore);
        indexed = s.getHistory('bench/bench0001', 'm0').steps.length;
        s.close();
      }));
      if (indexed !== steps) throw new Error(`the in-place index lost steps (${indexed} of ${steps})`);
      runs.jsonlIngest.push(measure(() => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(store, 'index.sqlite' + suffix), { force: true });
        const s = Store.open(store);
        s.close();
      }));
      let parsed = 0;
      runs.jsonlParse.push(measure(() => {
        let from = { offset: 0, line: 0 };
        for (;;) {
          const slice = readJsonLines(events, from, { ended: true });
          for (const e of slice.entries) if (checkEventRecord(e.value)?.ok) parsed++;
          from = slice.next;
          if (!slice.more) break;
        }
      }));
      if (parsed < steps) throw new Error(`the JSONL parse lost steps (${parsed} of ${steps})`);
    }
    return { steps, rounds, bytes, runs };
  } finally {
    removeStores();
    removeWandbTemps();
  }
}

export const recordsPerSecond = (records: number, list: readonly Timing[], k: keyof Timing = 'wall'): number => Math.round(records / (best(list, k) / 1000));

if (require.main === module) {
  const r = measureWandbRead({ steps: Number(process.env.BENCH_STEPS ?? 100_000), rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
  const line = (label: string, list: Timing[]) =>
    `${label.padEnd(44)} wall ${best(list, 'wall').toFixed(0).padStart(6)} ms (${recordsPerSecond(r.steps, list).toLocaleString('en-US')} records/s)   cpu ${best(list, 'cpu').toFixed(0).padStart(6)} ms (${recordsPerSecond(r.steps, list, 'cpu').toLocaleString('en-US')} records/s)`;
  console.log(`${r.steps} steps x ${METRICS} metrics (${(r.bytes / 1e6).toFixed(1)} MB .wandb), best of ${r.rounds} rounds`);
  console.log(line('W&B read (.wandb -> v1 records)', r.runs.wandb));
  console.log(line('W&B in place into a fresh index', r.runs.wandbInPlace));
  console.log(line('Runlog JSONL ingest into a fresh index', r.runs.jsonlIngest));
  console.log(line('Runlog JSONL parse + check only', r.runs.jsonlParse));
  console.log(`W&B read / JSONL ingest: wall ${(best(r.runs.jsonlIngest, 'wall') / best(r.runs.wandb, 'wall')).toFixed(2)}x, cpu ${(best(r.runs.jsonlIngest, 'cpu') / best(r.runs.wandb, 'cpu')).toFixed(2)}x (target >= 0.5)`);
  console.log(`W&B in place / JSONL ingest (both into a fresh index): wall ${(best(r.runs.jsonlIngest, 'wall') / best(r.runs.wandbInPlace, 'wall')).toFixed(2)}x, cpu ${(best(r.runs.jsonlIngest, 'cpu') / best(r.runs.wandbInPlace, 'cpu')).toFixed(2)}x (target >= 0.5)`);
}
