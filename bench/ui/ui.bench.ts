// The UI figures, measured in the real VS Code of bench/ui/session.ts. Every clock is the
// machine's wall clock in epoch ms (the host's, the page's and the webviews' agree: one machine):
// a command's clock starts in the extension host right before the command is issued, and the
// end is a timestamp the page itself recorded (`body[data-first-chart-at]`, written by the run
// and compare pages when their first chart is drawn), so Playwright's polling adds nothing.
import { appendFileSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencyOf, type LatencyResult } from '../figures';
import { startLiveScript } from '../live/liveScript';
import type { BenchSession } from './session';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ActivationInfo {
  readonly activationMs: number | null;
  readonly activatedAtStartup: boolean;
  readonly requireMs: number[];
  readonly memory: { rss: number; heapUsed: number };
}

export async function activation(s: BenchSession): Promise<ActivationInfo> {
  return s.probe<ActivationInfo>('info');
}

/** Opens the store in the host if nothing has yet, so the figures after it do not pay for that. */
export async function openStore(s: BenchSession): Promise<number> {
  return (await s.probe<{ ms: number }>('openStore')).ms;
}

/**
 * Clicks the Runlog icon of the activity bar (the view has never been shown in this window) and
 * times, in the page, from the mousedown to the frame that first shows the row of `runName`.
 */
export async function explorerFirstExpand(s: BenchSession, runName: string): Promise<number> {
  const page = s.page;
  await page.evaluate(() => {
    const w = globalThis as unknown as { __benchDown?: number; addEventListener: (t: string, f: () => void, c: boolean) => void };
    w.__benchDown = 0;
    w.addEventListener('mousedown', () => (w.__benchDown ||= performance.timeOrigin + performance.now()), true);
  });
  const item = page.locator('.part.activitybar [aria-label^="Runlog"]').first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  const shown = page.waitForFunction(
    (name: string) => {
      const d = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } };
      const rows = d.document.querySelectorAll('.part.sidebar .pane-body .monaco-list-row');
      for (let i = 0; i < rows.length; i++) if ((rows[i]!.getAttribute('aria-label') ?? '').startsWith(`${name},`)) return performance.timeOrigin + performance.now();
      return 0;
    },
    runName,
    { polling: 'raf', timeout: 60_000 },
  );
  await item.click();
  const at = (await (await shown).jsonValue()) as number;
  const down = await page.evaluate(() => (globalThis as unknown as { __benchDown: number }).__benchDown);
  if (!down) throw new Error('the click on the activity bar was not seen');
  return at - down;
}

/** What the extension itself spends to fill the explorer (in-host, after the view is shown). */
export async function explorerCost(s: BenchSession): Promise<{ refreshMs: number; treeItemsMs: number; nodes: number }> {
  return s.probe('explorerCost');
}

/** Waits for the newest webview's first chart and returns its timestamp (epoch ms). */
async function firstChartAt(s: BenchSession, timeoutMs = 60_000): Promise<number> {
  const body = s.webviewFrame().locator('body[data-first-chart-at]');
  await body.waitFor({ state: 'attached', timeout: timeoutMs });
  return Number(await body.getAttribute('data-first-chart-at'));
}

/** Issues a command in the host and times it to the first chart drawn by the webview it opens. */
async function commandToFirstChart(s: BenchSession, id: string, args: unknown[]): Promise<number> {
  const { t0 } = await s.probe<{ t0: number }>('command', { id, args });
  const at = await firstChartAt(s);
  await s.probe('closeAll');
  return at - t0;
}

export async function compareOpen(s: BenchSession, project: string): Promise<number> {
  return commandToFirstChart(s, 'runlog.compareRuns', [project]);
}

export async function runPageFirstPaint(s: BenchSession, key: string): Promise<number> {
  return commandToFirstChart(s, 'runlog.openRun', [key]);
}

export async function filterQuery(s: BenchSession, filter: string): Promise<{ median: number; matches: number; runs: number }> {
  return s.probe('filter', { filter, repeat: 9 });
}

export interface MemoryResult {
  /** Extension host RSS before opening pages, and with `keys` open (bytes, no forced GC). */
  readonly before: number;
  readonly withPages: number;
  /** After each open/close cycle, once two full collections ran: RSS and the JS heap in use (bytes). */
  readonly rss: number[];
  readonly heap: number[];
}

/** Host memory before, with `keys` open as run pages, and after each of `cycles` open/close cycles. */
export async function memoryCycles(s: BenchSession, keys: readonly string[], cycles: number): Promise<MemoryResult> {
  type Memory = { rss: number; heapUsed: number };
  await s.probe('closeAll');
  const before = (await s.probe<Memory>('memory', { settleMs: 500 })).rss;
  await s.probe('openPages', { keys });
  const withPages = (await s.probe<Memory>('memory', { settleMs: 500 })).rss;
  await s.probe('closeAll');
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < cycles; i++) {
    await s.probe('openPages', { keys });
    await s.probe('closeAll');
    const m = await s.probe<Memory>('memory', { settleMs: 200, gc: true });
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }
  return { before, withPages, rss, heap };
}

/**
 * A Python script logs `points` points `intervalMs` apart while its run page is open; the page
 * records, for each history message, the next animation frame after it was handled (the chart's
 * own frame callback, queued first, has drawn by then). Latency of a point: from right before
 * its log() call to the first frame drawn with a step at or past it.
 */
export async function liveLatency(s: BenchSession, store: string, points: number, intervalMs: number): Promise<LatencyResult> {
  const live = await startLiveScript(store, points, intervalMs);
  const key = live.key;
  try {
    // The run reaches the index through the store's watcher; open its page once it is there.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await s.probe<{ matches: number }>('filter', { filter: 'name:live-bench', repeat: 1 });
      if (r.matches > 0) break;
      if (Date.now() > deadline) throw new Error('the live run never reached the index');
      await sleep(100);
    }
    await s.probe('command', { id: 'runlog.openRun', args: [key] });
    await firstChartAt(s);
    const frame = s.webviewFrame();
    await frame.locator('body').evaluate((_body, metric) => {
      // Steps arrive as a Float64Array, or (messages packed into one buffer, src/common/wire.ts)
      // as an { $f64: [offset, length] } marker into the message's $f64buffer.
      type Steps = ArrayLike<number> | { $f64: [number, number] };
      type Series = { key: string; steps: Steps };
      const w = globalThis as unknown as {
        __live: { step: number; at: number }[];
        addEventListener(type: 'message', f: (e: { data: unknown }) => void): void;
        requestAnimationFrame(f: () => void): void;
      };
      w.__live = [];
      w.addEventListener('message', (e) => {
        const d = e.data as { type?: string; scope?: string; series?: Series[]; tails?: Series[]; $f64buffer?: ArrayLike<number> } | null;
        if (!d || d.scope !== 'history' || (d.type !== 'series' && d.type !== 'seriesTail')) return;
        let last = -Infinity;
        for (const series of (d.type === 'series' ? d.series : d.tails) ?? []) {
          if (series.key !== metric) continue;
          const steps = series.steps;
          if ('$f64' in steps) {
            const [offset, length] = steps.$f64;
            if (length > 0 && d.$f64buffer) last = Math.max(last, d.$f64buffer[offset + length - 1]!);
          } else if (steps.length > 0) {
            last = Math.max(last, steps[steps.length - 1]!);
          }
        }
        if (last === -Infinity) return;
        w.requestAnimationFrame(() => w.__live.push({ step: last, at: performance.timeOrigin + performance.now() }));
      });
    }, 'live');
    const sent = await live.go();
    // Points still on their way count with their real latency: wait (bounded) for the last one.
    const lastStep = sent[sent.length - 1]?.[0] ?? 0;
    const readSeen = () => frame.locator('body').evaluate(() => (globalThis as unknown as { __live: { step: number; at: number }[] }).__live);
    let seen = await readSeen();
    for (const until = Date.now() + 20_000; !seen.some((r) => r.step >= lastStep) && Date.now() < until; seen = await readSeen()) await sleep(200);
    await s.probe('closeAll');
    if (seen.length === 0) throw new Error('the run page drew none of the live points (did the history messages change shape?)');
    return latencyOf(sent, seen);
  } finally {
    live.dispose();
  }
}

/** Baseline of live latency: a file append to its fs.watch notification, in this process. */
export async function watchLatency(points: number, intervalMs: number): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-bench-watch-'));
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, '');
  const seen: { step: number; at: number }[] = [];
  let step = 0;
  const watcher = watch(dir, { persistent: true }, () => seen.push({ step, at: performance.timeOrigin + performance.now() }));
  try {
    await sleep(100);
    const sent: [number, number][] = [];
    for (let i = 1; i <= points; i++) {
      step = i;
      const t = performance.timeOrigin + performance.now();
      appendFileSync(file, `{"type":"history","ts":${t / 1000},"step":${i},"data":{"live":${Math.sin(i)}}}\n`);
      sent.push([i, t]);
      await sleep(intervalMs);
    }
    await sleep(200);
    return latencyOf(sent, seen);
  } finally {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
