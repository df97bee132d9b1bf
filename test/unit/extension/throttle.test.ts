// The editor's throttle of store-driven work (run and compare pages, sweeps, notebook output, the
// Problems entries), on a clock the test advances itself: no real timers, no timed assertions.

import * as assert from 'node:assert/strict';
import { Throttle, type ThrottleClock } from '../../../src/extension/util/Throttle';

/** A clock whose timers run only when the test advances it. */
class ManualClock implements ThrottleClock {
  private time = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Time passes inside a callback (a flush that costs `ms`), no timer runs. */
  spend(ms: number): void {
    this.time += ms;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves the clock forward, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

describe('Throttle: store-driven work at most once per interval', () => {
  it('coalesces a burst of changes into one flush that sees the final state', () => {
    const clock = new ManualClock();
    let state = 0;
    const flushed: number[] = [];
    const throttle = new Throttle(250, () => flushed.push(state), clock);
    for (let i = 1; i <= 50; i++) {
      state = i;
      throttle.schedule();
      clock.advance(i === 1 ? 0 : 1); // the first flush is due on the next tick; the burst goes on
    }
    assert.deepEqual(flushed, [1], 'the first change of a quiet period flushes at once');
    assert.equal(throttle.pending, true, 'the rest of the burst waits for one flush');
    clock.advance(200); // 249 ms since the first flush
    assert.deepEqual(flushed, [1], 'not before the interval since the last flush');
    clock.advance(1);
    assert.deepEqual(flushed, [1, 50], 'one flush for the rest of the burst, with its final state');
    assert.equal(throttle.pending, false);
    clock.advance(10_000);
    assert.deepEqual(flushed, [1, 50], 'nothing more without a change');
  });

  it('flushes a change after a quiet period on the next tick, and nothing after dispose', () => {
    const clock = new ManualClock();
    let flushes = 0;
    const throttle = new Throttle(1000, () => flushes++, clock);
    throttle.schedule();
    throttle.schedule();
    clock.advance(0);
    assert.equal(flushes, 1);
    clock.advance(5000);
    throttle.schedule();
    clock.advance(0);
    assert.equal(flushes, 2, 'a quiet period longer than the interval: no wait');
    throttle.schedule();
    throttle.dispose();
    assert.equal(clock.pendingTimers, 0, 'dispose clears the pending timer');
    clock.advance(5000);
    throttle.schedule();
    clock.advance(5000);
    assert.equal(flushes, 2);
  });

  it('with an adaptive interval, flushes as often as a cheap flush allows and less often as flushes cost more', () => {
    const clock = new ManualClock();
    let cost = 2;
    const at: number[] = [];
    const throttle = new Throttle({ minMs: 50, maxMs: 250, costFactor: 10 }, () => {
      at.push(clock.now());
      clock.spend(cost);
    }, clock);
    const busy = (ms: number) => {
      for (let t = 0; t < ms; t += 5) {
        throttle.schedule();
        clock.advance(5);
      }
    };
    busy(500);
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);
    assert.ok(gaps(at).every((g) => g >= 50 && g <= 55), `cheap flushes run every 50 ms: ${gaps(at)}`);
    assert.equal(throttle.intervalMs, 50);
    cost = 20; // a flush now costs 20 ms: 200 ms apart (a tenth of the time)
    at.length = 0;
    busy(1000);
    assert.equal(throttle.intervalMs, 200);
    assert.ok(gaps(at).slice(1).every((g) => g >= 200 && g <= 205), `costly flushes run every 200 ms: ${gaps(at)}`);
    cost = 100; // never more than 250 ms apart
    at.length = 0;
    busy(1000);
    assert.equal(throttle.intervalMs, 250);
    throttle.dispose();
  });
});
