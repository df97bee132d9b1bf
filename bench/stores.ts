// Generators for the big synthetic stores the benchmark needs, written in format v1 through the
// test layer's RunBuilder (history streamed in chunks, never one giant string), then indexed by
// the real Store once so every UI figure starts from a current index, as a user's editor would.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, FIXTURE_T0 } from '../test/fixtures/runBuilder';
import { Store } from '../src/core/store/Store';
import { median } from './figures';
import { runKey, type RunKey } from '../src/core/model';

/** Deterministic PRNG (mulberry32), so every bench run writes the same stores. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SCALE_PROJECT = 'scale';
const TAGS = ['baseline', 'sweep', 'ablation', 'cnn', 'resnet', 'vit', 'lr-decay'];
const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'lion'];

export interface ScaleStore {
  readonly dir: string;
  readonly project: string;
  /** Keys in start order, oldest first. */
  readonly keys: readonly RunKey[];
  /** Name of the newest run: the first row of the explorer (sorted by start, newest first). */
  readonly newestName: string;
}

/**
 * `runs` finished or failed runs in one project, each with a nested config, a summary, tags and
 * `steps` steps of two metrics (loss, acc): what a sweep leaves behind.
 */
export function writeScaleRuns(dir: string, runs: number, steps = 100, project = SCALE_PROJECT): ScaleStore {
  mkdirSync(dir, { recursive: true });
  const random = rng(runs);
  const keys: RunKey[] = [];
  let newestName = '';
  for (let i = 0; i < runs; i++) {
    const id = `s${i.toString(36).padStart(7, '0')}`;
    const name = `sweep-${i}`;
    const lr = Number((10 ** (-4 + 3 * random())).toPrecision(3));
    const depth = 2 + Math.floor(random() * 8);
    const quality = random();
    const failed = random() < 0.05;
    const tags = TAGS.filter(() => random() < 0.25);
    const start = FIXTURE_T0 + i * 120;
    const finalLoss = 0.05 + 1.5 * quality;
    const b = new RunBuilder(dir, project, id)
      .at(start)
      .init({ name, tags, meta: { host: 'bench', program: 'train.py', command: ['python', 'train.py', `--lr=${lr}`] } })
      .config({
        lr,
        batch_size: [32, 64, 128, 256][i % 4],
        epochs: 10,
        seed: i,
        optimizer: { name: OPTIMIZERS[i % OPTIMIZERS.length], momentum: 0.9, weight_decay: 1e-4 },
        model: { depth, width: 64 * (1 + (i % 4)), dropout: Number((random() * 0.5).toFixed(2)) },
        data: { dataset: 'cifar10', augment: i % 2 === 0 },
      });
    b.writeHistoryBulk({
      steps,
      metrics: ['loss', 'acc'],
      dt: 0.5,
      value: (s, m) => {
        const t = s / Math.max(1, steps - 1);
        return m === 0 ? finalLoss + (2.3 - finalLoss) * Math.exp(-4 * t) : (1 - finalLoss / 2) * (1 - Math.exp(-5 * t));
      },
    });
    b.summary({ best_acc: Number((1 - finalLoss / 2).toFixed(4)), final_loss: Number(finalLoss.toFixed(4)) })
      .exit(failed ? 1 : 0)
      .write();
    keys.push(runKey(project, id));
    newestName = name;
  }
  return { dir, project, keys, newestName };
}

export interface ChartRun {
  readonly key: RunKey;
  readonly name: string;
  readonly steps: number;
  readonly metrics: number;
}

/** One finished run of `metrics` metrics (`metric_0`…) × `steps` steps, streamed to disk. */
export function writeChartRun(dir: string, project: string, id: string, steps: number, metrics: number): ChartRun {
  const name = `${id}-${metrics}x${steps}`;
  new RunBuilder(dir, project, id)
    .init({ name, meta: { host: 'bench', program: 'train.py' } })
    .config({ lr: 0.001, steps })
    .write()
    .writeHistoryBulk({ steps, metrics, dt: 0.01 });
  new RunBuilder(dir, project, id).at(FIXTURE_T0 + steps * 0.01 + 10).exit(0).write();
  return { key: runKey(project, id), name, steps, metrics };
}

/** Builds (or brings up to date) the store's index, as the editor would on open; returns ms. */
export function indexStore(dir: string): number {
  const t0 = performance.now();
  const store = Store.open(dir);
  store.close();
  return performance.now() - t0;
}

/** Median ms of an ingest pass that finds nothing new (what each fs event and poll costs the editor). */
export function syncPass(dir: string, rounds = 5): number {
  const store = Store.open(dir);
  try {
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      store.sync();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  } finally {
    store.close();
  }
}

export function storeIn(workspace: string): string {
  return join(workspace, '.runlog');
}
