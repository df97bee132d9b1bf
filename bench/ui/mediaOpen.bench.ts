// The run page in a real VS Code (bench/ui/session.ts) on a run with N logged images, beside the
// same run without media: from the Open Run command (clock started in the extension host) to the
// first chart the page draws (`body[data-first-chart-at]`), and from a click on the Media tab to
// its first image loaded (`body[data-first-image-at]`; the click's clock is taken in Node right
// before Playwright clicks, so it includes Playwright's dispatch, a few ms).
// Run alone after a build: node --import tsx bench/ui/mediaOpen.bench.ts [N=1000] [rounds=3]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../figures';
import { openStore, runPageFirstPaint } from './ui.bench';
import { bundleProbe, withBenchSession, type BenchSession } from './session';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const SDK = resolve(__dirname, '..', '..', 'sdk', 'python');
const PYTHON = process.env.RUNLOG_TEST_SYSTEM_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import sys, numpy as np, runlog
n = int(sys.argv[1])
rng = np.random.default_rng(0)
run = runlog.init(project="bench", id="media", name="with-media")
for step in range(n):
    run.log({"img": runlog.Image(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)), "loss": 1.0 / (step + 1)})
run.finish()
plain = runlog.init(project="bench", id="plain", name="without-media")
for step in range(n):
    plain.log({"loss": 1.0 / (step + 1)})
plain.finish()
`;

async function mediaTabFirstImage(s: BenchSession, key: string): Promise<number> {
  await s.probe('command', { id: 'runlog.openRun', args: [key] });
  const frame = s.webviewFrame();
  await frame.locator('body[data-first-chart-at]').waitFor({ state: 'attached', timeout: 60_000 });
  const tab = frame.getByRole('tab', { name: /^Media/ });
  await tab.waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  await tab.click();
  const body = frame.locator('body[data-first-image-at]');
  await body.waitFor({ state: 'attached', timeout: 60_000 });
  const at = Number(await body.getAttribute('data-first-image-at'));
  await s.probe('closeAll');
  return at - t0;
}

async function main(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'runlog-bench-media-'));
  try {
    const t0 = Date.now();
    const py = spawnSync(PYTHON, ['-c', SCRIPT, String(N)], {
      env: { ...process.env, PYTHONPATH: SDK, RUNLOG_DIR: join(ws, '.runlog'), RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0' },
      encoding: 'utf8',
    });
    if (py.status !== 0) throw new Error(py.stderr);
    console.log(`SDK wrote ${N} images + ${N} steps of loss (and a run without media) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await bundleProbe();
    await withBenchSession({ name: 'media-open', workspace: ws }, async (s) => {
      await openStore(s);
      const paint = { media: [] as number[], plain: [] as number[] };
      const image: number[] = [];
      // Alternated, so both see the same machine; the first round warms the page's bundle.
      await runPageFirstPaint(s, 'bench/plain');
      for (let i = 0; i < ROUNDS; i++) {
        paint.plain.push(await runPageFirstPaint(s, 'bench/plain'));
        paint.media.push(await runPageFirstPaint(s, 'bench/media'));
        image.push(await mediaTabFirstImage(s, 'bench/media'));
      }
      console.log(`Open Run → first chart, run with ${N} images: median ${median(paint.media)} ms (${paint.media.join(', ')})`);
      console.log(`Open Run → first chart, run without media: median ${median(paint.plain)} ms (${paint.plain.join(', ')})`);
      console.log(`Media tab click → first image, run with ${N} images: median ${median(image)} ms (${image.join(', ')})`);
    });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
