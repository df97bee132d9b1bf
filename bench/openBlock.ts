// How long the editor's event loop is held while a store opens: the longest gap between the
// beats of a 5 ms timer (what every other extension, command and view waits for at worst) and
// the open's total time, for the background open (the editor's) and the synchronous listing open.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Store } from '../src/core/store/Store';

export interface OpenBlock {
  /** Store.open returned until the open pass ended (ms). */
  readonly totalMs: number;
  /** The longest time the event loop could not run a timer (ms): a beat's gap less its 5 ms. */
  readonly longestBlockMs: number;
  /** monitorEventLoopDelay's max over the same span (ms), as a second opinion. */
  readonly delayMaxMs: number;
}

const BEAT_MS = 5;

/** A 5 ms timer whose longest gap between beats (less the 5 ms) is the event loop's longest block. */
function beats(): { reset(): void; longest(): number; stop(): void } {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - BEAT_MS);
    last = now;
  }, BEAT_MS);
  return { reset: () => void (longest = 0), longest: () => Math.max(0, longest), stop: () => clearInterval(timer) };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The longest gap of the same timer over `ms` with nothing to do: the machine's own noise (a loaded machine preempts the process). */
export async function idleBlock(ms: number): Promise<number> {
  const beat = beats();
  await settle(50);
  beat.reset();
  await settle(ms);
  beat.stop();
  return beat.longest();
}

export async function measureOpenBlock(dir: string, openPass: 'background' | 'listing'): Promise<OpenBlock> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const beat = beats();
  // Let the timer settle before the open starts.
  await settle(50);
  histogram.enable();
  beat.reset();
  const t0 = performance.now();
  let store: Store | undefined;
  try {
    store = Store.open(dir, { openPass });
    await store.opened;
    const totalMs = performance.now() - t0;
    // One more beat, so a block that ended the open is counted.
    await settle(2 * BEAT_MS);
    histogram.disable();
    return { totalMs, longestBlockMs: beat.longest(), delayMaxMs: histogram.max / 1e6 };
  } finally {
    beat.stop();
    store?.close();
  }
}
