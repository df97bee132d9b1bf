// The run page in a real VS Code (bench/ui/session.ts) on a run the SDK wrote with N images and a
// table of R rows (issue 12), beside the same page on a run without media:
// - Open Run → first chart (the clock starts in the extension host right before the command; the
//   end is `body[data-first-chart-at]`, written by the page);
// - Media tab click → first image loaded, and → first row of the table drawn, each from the
//   click's own timestamp in the page (the mousedown event's `timeStamp`, so a busy page's
//   queueing counts) to the page's marks (`data-first-image-at`, `data-first-table-row-at`);
//   baseline: the same click on the run without media → its Media tab drawn (`data-media-shown-at`).
// The click comes as soon as the first chart is there, as fast as a script can click.
// In `npm run bench` (bench/main.ts); alone after a build:
//   node --import tsx bench/ui/mediaOpen.bench.ts [images=1000] [rows=100000] [rounds=3]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, type Figure } from '../figures';
import { openStore, runPageFirstPaint } from './ui.bench';
import { bundleProbe, withBenchSession, type BenchSession } from './session';

export interface MediaOpenSizes {
  readonly images: number;
  readonly rows: number;
  readonly rounds: number;
}

/** Page-side times of one Media tab click, ms from the click. */
export interface MediaTabTimes {
  /** The tab's first frame with its content (the empty state on a run without media). */
  readonly shown: number;
  readonly image?: number;
  readonly rows?: number;
  /** When the media index and the first table page reached the page (before the click: negative). */
  readonly indexIn?: number;
  readonly pageIn?: number;
}

export interface MediaOpenResult {
  readonly sizes: MediaOpenSizes;
  readonly sdkSeconds: number;
  readonly paint: { readonly media: number[]; readonly plain: number[] };
  readonly media: MediaTabTimes[];
  readonly plain: MediaTabTimes[];
  /** 1-minute load average before each round. */
  readonly load: number[];
}

const SDK = resolve(__dirname, '..', '..', 'sdk', 'python');
const PYTHON = process.env.RUNLOG_TEST_SYSTEM_PYTHON ?? '/usr/bin/python3';

// As a user logs them: an image per step beside the loss, and an evaluation table at the last step.
const SCRIPT = `
import sys, numpy as np, runlog
n, rows = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
labels = ["cat", "dog", "bird", "car", "ship"]
scores = rng.random(rows).round(4).tolist()
table = runlog.Table(columns=["id", "label", "predicted", "score", "correct"],
                     data=[[i, labels[i % 5], labels[(i * 7) % 5], scores[i], i % 5 == (i * 7) % 5] for i in range(rows)])
run = runlog.init(project="bench", id="media", name="with-media")
for step in range(n):
    row = {"img": runlog.Image(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)), "loss": 1.0 / (step + 1)}
    if step == n - 1:
        row["eval"] = table
    run.log(row)
run.finish()
plain = runlog.init(project="bench", id="plain", name="without-media")
for step in range(n):
    plain.log({"loss": 1.0 / (step + 1)})
plain.finish()
`;

/** Writes the two runs into `workspace/.runlog` with the SDK; returns the seconds it took. */
export function writeMediaRuns(workspace: string, sizes: MediaOpenSizes): number {
  const t0 = Date.now();
  const py = spawnSync(PYTHON, ['-c', SCRIPT, String(sizes.images), String(sizes.rows)], {
    env: { ...process.env, PYTHONPATH: SDK, RUNLOG_DIR: join(workspace, '.runlog'), RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0' },
    encoding: 'utf8',
  });
  if (py.status !== 0) throw new Error(`the SDK could not write the media runs: ${py.stderr || py.error?.message}`);
  const events = readFileSync(join(workspace, '.runlog', 'projects', 'bench', 'runs', 'media', 'events.jsonl'), 'utf8');
  if (!events.includes('"kind":"table"')) throw new Error(`the SDK logged no table: ${py.stderr}`);
  return (Date.now() - t0) / 1000;
}

async function mediaTabClick(s: BenchSession, key: string, want: { image: boolean; rows: boolean }): Promise<MediaTabTimes> {
  await s.probe('command', { id: 'runlog.openRun', args: [key] });
  const frame = s.webviewFrame();
  const body = frame.locator('body');
  await frame.locator('body[data-first-chart-at]').waitFor({ state: 'attached', timeout: 60_000 });
  const tab = frame.getByRole('tab', { name: /^Media/ });
  await tab.waitFor({ timeout: 30_000 });
  await body.evaluate(() => {
    const w = globalThis as unknown as { __benchDown?: number; document: { addEventListener(t: string, f: (e: { timeStamp: number }) => void, c: boolean): void } };
    w.__benchDown = 0;
    w.document.addEventListener('mousedown', (e) => (w.__benchDown ||= performance.timeOrigin + e.timeStamp), true);
  });
  await tab.click();
  const marks = ['data-media-shown-at', ...(want.image ? ['data-first-image-at'] : []), ...(want.rows ? ['data-first-table-row-at'] : [])];
  for (const m of marks) await frame.locator(`body[${m}]`).waitFor({ state: 'attached', timeout: 60_000 });
  const at = await body.evaluate((b) => ({ down: (globalThis as unknown as { __benchDown: number }).__benchDown, ...b.dataset }));
  await s.probe('closeAll');
  if (!at.down) throw new Error('the click on the Media tab was not seen');
  const since = (v: string | undefined) => (v === undefined ? undefined : Math.round(Number(v) - at.down));
  return { shown: since(at.mediaShownAt)!, image: since(at.firstImageAt), rows: since(at.firstTableRowAt), indexIn: since(at.mediaIndexAt), pageIn: since(at.tablePageAt) };
}

/** Opens both runs' pages `rounds` times each, alternated, in one real VS Code on `workspace`. */
export async function measureMediaOpen(workspace: string, sizes: MediaOpenSizes): Promise<Omit<MediaOpenResult, 'sdkSeconds'>> {
  await bundleProbe();
  return withBenchSession({ name: 'media-open', workspace }, async (s) => {
    await openStore(s);
    const paint = { media: [] as number[], plain: [] as number[] };
    const media: MediaTabTimes[] = [];
    const plain: MediaTabTimes[] = [];
    const load: number[] = [];
    // The first opens warm the page's bundle and VS Code's webview machinery.
    await runPageFirstPaint(s, 'bench/plain');
    await mediaTabClick(s, 'bench/media', { image: true, rows: true });
    for (let i = 0; i < sizes.rounds; i++) {
      load.push(loadavg()[0]!);
      paint.plain.push(await runPageFirstPaint(s, 'bench/plain'));
      paint.media.push(await runPageFirstPaint(s, 'bench/media'));
      plain.push(await mediaTabClick(s, 'bench/plain', { image: false, rows: false }));
      media.push(await mediaTabClick(s, 'bench/media', { image: true, rows: true }));
    }
    return { sizes, paint, media, plain, load };
  });
}

const list = (xs: readonly (number | undefined)[]) => JSON.stringify(xs.map((x) => (x === undefined ? null : Math.round(x))));

/** The figures of bench/main.ts's table. */
export function mediaOpenFigures(r: MediaOpenResult): Omit<Figure, 'ratio'>[] {
  const { images, rows } = r.sizes;
  const what = `${images} images + a ${rows / 1000}k-row table`;
  const load = `load average ${Math.min(...r.load).toFixed(1)}–${Math.max(...r.load).toFixed(1)} on this machine`;
  const empty = median(r.plain.map((t) => t.shown));
  const emptyLabel = 'same click, run without media → its Media tab drawn';
  const firstImage = median(r.media.map((t) => t.image!));
  const firstRows = median(r.media.map((t) => t.rows!));
  return [
    {
      name: `media: run page first paint, ${what}`,
      value: median(r.paint.media),
      unit: 'ms',
      baseline: median(r.paint.plain),
      baselineLabel: 'same page, run without media',
      target: 'report',
      met: null,
      note: `Open Run → first chart, median of ${r.paint.media.length}: ${list(r.paint.media)} vs ${list(r.paint.plain)}; ${load}`,
    },
    {
      name: `media: Media tab → first image, ${images} images`,
      value: firstImage,
      unit: 'ms',
      baseline: empty,
      baselineLabel: emptyLabel,
      target: '< 300 ms',
      met: firstImage < 300,
      note: `click (mousedown in the page) → first image loaded, median of ${r.media.length}: ${list(r.media.map((t) => t.image))}; index in the page at ${list(r.media.map((t) => t.indexIn))} ms from the click; ${load}`,
    },
    {
      name: `media: Media tab → first table rows, ${rows / 1000}k-row table`,
      value: firstRows,
      unit: 'ms',
      baseline: empty,
      baselineLabel: emptyLabel,
      target: '< 300 ms',
      met: firstRows < 300,
      note: `click → row 0 drawn, median of ${r.media.length}: ${list(r.media.map((t) => t.rows))}; first page in the page at ${list(r.media.map((t) => t.pageIn))} ms from the click; ${load}`,
    },
  ];
}

async function main(): Promise<void> {
  const sizes = { images: Number(process.argv[2] ?? 1000), rows: Number(process.argv[3] ?? 100_000), rounds: Number(process.argv[4] ?? 3) };
  const ws = mkdtempSync(join(tmpdir(), 'runlog-bench-media-'));
  try {
    const sdkSeconds = writeMediaRuns(ws, sizes);
    console.log(`SDK wrote ${sizes.images} images + ${sizes.rows} table rows (and a run without media) in ${sdkSeconds.toFixed(1)} s`);
    const r = { ...(await measureMediaOpen(ws, sizes)), sdkSeconds };
    for (const f of mediaOpenFigures(r)) console.log(`${f.name}: ${Math.round(f.value)} ms | baseline ${Math.round(f.baseline ?? 0)} ms (${f.baselineLabel}) | ${f.met === null ? 'report' : f.met ? 'met' : 'MISSED'}\n  ${f.note}`);
    console.log(JSON.stringify({ media: r.media, plain: r.plain }));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
