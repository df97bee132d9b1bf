// The 100,000-run store, outside the editor: what the store costs the extension host for each
// figure the explorer, the filter box and a live chart ask of it, beside the same on a 100-run
// store (same run). The store files are cached (bench/bigStore.ts); the index is built here.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/core/store/Store';
import { INDEX_FILE } from '../src/core/store/indexFile';
import { ensureScaleStore } from './bigStore';
import { latencyOf, median, type LatencyResult } from './figures';
import { startLiveScript } from './live/liveScript';
import { idleBlock, measureOpenBlock, type OpenBlock } from './openBlock';

export interface StoreFigures {
  readonly runs: number;
  /** Store.open with no index: every run folder read into a new index. */
  readonly buildMs: number;
  /** Store.open with a current index (a window opening): the whole-store pass finds nothing new. */
  readonly openMs: number;
  /** The editor's open (background: bench/openBlock.ts) and, before it, the synchronous listing open. */
  readonly editorOpen: OpenBlock;
  readonly listingOpen: OpenBlock;
  /** The longest gap of the same timer over 3 s with nothing running (the machine's noise). */
  readonly idleBlockMs: number;
  /** What the explorer asks on first expand: projects, the project's count, its newest 100 runs (median of 9). */
  readonly firstPageMs: number;
  /** The filter box's query: the first 100 matches and their count (median of 9). */
  readonly filterMs: number;
  readonly filterMatches: number;
  /** A whole-store pass that finds nothing new (sync(), median of 3). */
  readonly fullPassMs: number;
  /** A poll tick that finds nothing new: live runs + the rolling slice (median of 9). */
  readonly tickMs: number;
  /** One log() of the Python SDK → the point returned by getHistory in a watching store. */
  readonly live: LatencyResult;
  /** RSS of this process (MB): before opening the store, and with it open after the above. */
  readonly rssBeforeMb: number;
  readonly rssOpenMb: number;
}

const time = (fn: () => unknown): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const medianOf = (n: number, fn: () => unknown): number => median(Array.from({ length: n }, () => time(fn)));

export async function measureStore(runs: number, filter: string, livePoints: number, liveIntervalMs: number): Promise<StoreFigures> {
  const scale = ensureScaleStore(runs);
  const dir = scale.dir;
  rmSync(join(dir, 'projects', 'live'), { recursive: true, force: true }); // a cut-off earlier bench's live run
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, INDEX_FILE + suffix), { force: true });
  global.gc?.();
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const buildMs = time(() => Store.open(dir).close());
  let store: Store | undefined;
  const idleBlockMs = await idleBlock(3000);
  const listingOpen = await measureOpenBlock(dir, 'listing');
  const editorOpen = await measureOpenBlock(dir, 'background');
  const openMs = time(() => (store = Store.open(dir)));
  const s = store!;
  try {
    const firstPageMs = medianOf(9, () => {
      s.listProjects();
      s.count(scale.project);
      s.listRuns(scale.project, { limit: 100 });
    });
    let filterMatches = 0;
    const filterMs = medianOf(9, () => {
      s.listRuns(scale.project, { filter, limit: 100 });
      filterMatches = s.count(scale.project, filter);
    });
    const fullPassMs = medianOf(3, () => s.sync());
    const tick = () => (s as unknown as { syncScope(scope: { kind: 'tick' }): void }).syncScope({ kind: 'tick' });
    const tickMs = medianOf(9, tick);
    s.watch(1000);
    const live = await liveToQuery(s, dir, livePoints, liveIntervalMs);
    global.gc?.();
    const rssOpenMb = process.memoryUsage().rss / 2 ** 20;
    return { runs, buildMs, openMs, editorOpen, listingOpen, idleBlockMs, firstPageMs, filterMs, filterMatches, fullPassMs, tickMs, live, rssBeforeMb, rssOpenMb };
  } finally {
    s.close();
    rmSync(join(dir, 'projects', 'live'), { recursive: true, force: true });
  }
}

/**
 * The SDK's log() (bench/live/live_run.py, a real Python process) → that step returned by
 * getHistory in `store`, which learns of it only from its watcher (fs events, the 1 s poll).
 */
async function liveToQuery(store: Store, dir: string, points: number, intervalMs: number): Promise<LatencyResult> {
  const live = await startLiveScript(dir, points, intervalMs);
  const key = live.key;
  const seen: { step: number; at: number }[] = [];
  try {
    let last = -1;
    const sub = store.onDidChange((changes) => {
      if (!changes.some((c) => c.kind === 'history' && c.run === key)) return;
      const steps = store.getHistory(key, 'live', { fromStep: last + 1 }).steps;
      const top = steps.length > 0 ? steps[steps.length - 1]! : -1;
      if (top > last) {
        last = top;
        seen.push({ step: top, at: performance.timeOrigin + performance.now() });
      }
    });
    try {
      return latencyOf(await live.go(), seen);
    } finally {
      sub.dispose();
    }
  } finally {
    live.dispose();
  }
}

if (process.argv[1]?.endsWith('bigStore.bench.ts')) {
  const runs = Number(process.argv[2] ?? 100_000);
  void measureStore(runs, 'state:finished tag:sweep config.lr>0.001 best_acc>0.5', 100, 20).then((r) => console.log(JSON.stringify({ ...r, live: { ...r.live, latencies: undefined } })));
}
