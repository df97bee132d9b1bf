// Experiment, not part of `npm run bench`: the 10k-run window's scale figures alone, with the
// store kept in /tmp/runlog-exp-scale between runs (build a variant of src/, then rerun).
// `npx tsx bench/experiments/scale.ts` (EXP_LIVE=1 adds live latency).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { indexStore, storeIn, writeScaleRuns } from '../stores';
import { bundleProbe, withBenchSession } from '../ui/session';
import { compareOpen, explorerCost, explorerFirstExpand, filterQuery, liveLatency, openStore } from '../ui/ui.bench';

async function main() {
  const ws = '/tmp/runlog-exp-scale';
  const store = storeIn(ws);
  if (!existsSync(join(store, 'index.sqlite'))) {
    mkdirSync(ws, { recursive: true });
    writeScaleRuns(store, 10_000);
    console.log('index ms', indexStore(store));
  }
  await bundleProbe();
  await withBenchSession({ name: 'exp-scale', workspace: ws }, async (s) => {
    console.log('openStore ms', (await openStore(s)).toFixed(0));
    console.log('explorer first expand ms', (await explorerFirstExpand(s, 'sweep-9999')).toFixed(0));
    console.log('explorer cost', JSON.stringify(await explorerCost(s)));
    console.log('filter', JSON.stringify(await filterQuery(s, 'state:finished tag:sweep config.lr>0.001 best_acc>0.5')));
    const c: number[] = [];
    for (let i = 0; i < 3; i++) c.push(await compareOpen(s, 'scale'));
    console.log('compare ms', c.map(Math.round).join(' '));
    if (process.env.EXP_LIVE) {
      const r = await liveLatency(s, store, 200, 20);
      console.log(`live p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)}`);
    }
  });
}
void main();
