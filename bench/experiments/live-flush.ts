// Experiment, not part of `npm run bench`: live latency on a 100-run store with the SDK flushed
// every EXP_FLUSH ms besides its own 1 s flusher (0 = as shipped), to see what a shorter SDK flush
// interval would give. `EXP_FLUSH=0,50 npx tsx bench/experiments/live-flush.ts`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexStore, storeIn, writeScaleRuns } from '../stores';
import { bundleProbe, withBenchSession } from '../ui/session';
import { liveLatency } from '../ui/ui.bench';

async function main() {
  const ws = mkdtempSync(join(tmpdir(), 'runlog-exp-'));
  writeScaleRuns(storeIn(ws), 100);
  indexStore(storeIn(ws));
  await bundleProbe();
  const variants = (process.env.EXP_FLUSH ?? '0,50').split(',').map(Number);
  await withBenchSession({ name: 'exp', workspace: ws }, async (s) => {
    for (const flush of variants) {
      process.env.BENCH_LIVE_FLUSH_MS = String(flush);
      const r = await liveLatency(s, storeIn(ws), 200, 20);
      console.log(`sdk extra flush ${flush} ms: p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)} missing ${r.missing}`);
    }
  });
  rmSync(ws, { recursive: true, force: true });
}
void main();
