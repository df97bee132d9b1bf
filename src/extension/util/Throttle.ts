// One way the editor side limits how often a busy store makes it recompute: the run and compare
// pages' live ticks, the sweeps view, the notebook output and the Problems entries.

/** The timers a Throttle runs on: the real ones, or a test's clock that it advances itself. */
export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An interval that follows the flush's cost (see Throttle's constructor). */
export interface AdaptiveInterval {
  readonly minMs: number;
  readonly maxMs: number;
  readonly costFactor: number;
}

/**
 * Runs `flush` at most once per `intervalMs`, however often `schedule()` is called: the first
 * call after a quiet period flushes on the next tick, later calls join the pending flush (which
 * reads the state as it is then, so a burst ends in one flush of its final state).
 */
export class Throttle {
  private _timer: unknown;
  private _last = Number.NEGATIVE_INFINITY;
  private _disposed = false;
  private _intervalMs: number;

  /**
   * `interval`: a fixed interval (ms), or one that follows what a flush costs: `costFactor` times
   * the last flush's duration, within `minMs`…`maxMs` (a cheap flush runs often, so live points
   * show soon; an expensive one keeps to a share of the time).
   */
  constructor(
    private readonly _interval: number | AdaptiveInterval,
    private readonly _flush: () => void,
    private readonly _clock: ThrottleClock = realClock,
  ) {
    this._intervalMs = typeof _interval === 'number' ? _interval : _interval.minMs;
  }

  /** The interval now (ms). */
  get intervalMs(): number {
    return this._intervalMs;
  }

  /** A flush is scheduled and has not run yet. */
  get pending(): boolean {
    return this._timer !== undefined;
  }

  schedule(): void {
    if (this._disposed || this._timer !== undefined) return;
    const wait = Math.max(0, this._last + this._intervalMs - this._clock.now());
    this._timer = this._clock.setTimeout(() => {
      this._timer = undefined;
      this._last = this._clock.now();
      if (this._disposed) return;
      this._flush();
      if (typeof this._interval !== 'number') {
        const { minMs, maxMs, costFactor } = this._interval;
        this._intervalMs = Math.min(maxMs, Math.max(minMs, (this._clock.now() - this._last) * costFactor));
      }
    }, wait);
  }

  dispose(): void {
    this._disposed = true;
    if (this._timer !== undefined) this._clock.clearTimeout(this._timer);
    this._timer = undefined;
  }
}
