import * as assert from 'node:assert/strict';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';
import { bucketLayout, MinMaxBuckets } from '../../../src/core/history/downsample';
import { LOD_LEVELS } from '../../../src/core/history/lod';
import type { HistorySeries } from '../../../src/core/model';
import type { Store } from '../../../src/core/store/Store';

const KEY = 'proj/big00001';
const STEPS = 1_000_000;
const SPIKE_UP = 654_321;
const SPIKE_DOWN = 123_457;
const value = (step: number) => (step === SPIKE_UP ? 1000 : step === SPIKE_DOWN ? -1000 : Math.sin(step / 5000) + ((step * 7919) % 13) / 100);

/** The same buckets computed the slow way, from every raw row. */
function reference(store: Store, from: number, to: number, buckets: number): HistorySeries {
  const raw = store.getHistory(KEY, 'loss', { fromStep: from, toStep: to });
  const layout = bucketLayout(from, to, buckets, LOD_LEVELS);
  const out = new MinMaxBuckets(layout.origin, layout.width, layout.count);
  for (let i = 0; i < raw.steps.length; i++) out.addPoint(raw.steps[i]!, raw.values[i]!, raw.times[i]!);
  return out.series('loss');
}

describe('history downsampling', function () {
  this.timeout(600_000);
  let store: Store;

  before(() => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'big00001').init().write().writeHistoryBulk({ steps: STEPS, metrics: ['loss'], value: (s) => value(s) });
    new RunBuilder(dir, 'proj', 'big00001').exit(0).write();
    store = openTestStore(dir);
  });
  after(() => {
    store.close();
    removeStores();
  });

  it('keeps a single spike of a million points in a 1000-bucket chart', () => {
    const series = store.getHistory(KEY, 'loss', { buckets: 1000 });
    assert.equal(series.downsampled, true);
    assert.equal(series.totalPoints, STEPS);
    assert.ok(series.steps.length <= 2000);
    assert.equal(series.values[series.steps.indexOf(SPIKE_UP)], 1000);
    assert.equal(series.values[series.steps.indexOf(SPIKE_DOWN)], -1000);
    assert.equal(Math.max(...(series.values as number[])), 1000);
    assert.equal(Math.min(...(series.values as number[])), -1000);
    for (let i = 1; i < series.steps.length; i++) assert.ok(series.steps[i]! > series.steps[i - 1]!, 'steps in order');
  });

  it('gives the same points as bucketing every row, over the whole run and over sub-ranges', () => {
    const ranges: [number, number, number][] = [[0, STEPS - 1, 1000], [500_001, 530_000, 100], [99, 70_000, 700]];
    for (const [from, to, buckets] of ranges) {
      const fast = store.getHistory(KEY, 'loss', { fromStep: from, toStep: to, buckets });
      const slow = reference(store, from, to, buckets);
      assert.deepEqual(fast, slow, `range ${from}..${to} in ${buckets}`);
      assert.ok(fast.steps[0]! >= from && fast.steps.at(-1)! <= to);
    }
  });

  it('returns raw rows when the range holds at most two points per bucket', () => {
    const series = store.getHistory(KEY, 'loss', { fromStep: 1000, toStep: 2999, buckets: 1000 });
    assert.equal(series.downsampled, false);
    assert.equal(series.steps.length, 2000);
    assert.equal(series.steps[0], 1000);
    assert.equal(series.values[5], value(1005));
    const wider = store.getHistory(KEY, 'loss', { fromStep: 1000, toStep: 3000, buckets: 1000 });
    assert.equal(wider.downsampled, true);
  });

  it('gives every point of a small run, at any bucket count', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'small001').init();
    for (let s = 0; s < 50; s++) b.history(s * 10, { acc: s });
    b.exit(0).write();
    const small = openTestStore(dir);
    const series = small.getHistory('proj/small001', 'acc', { buckets: 1000 });
    assert.equal(series.downsampled, false);
    assert.equal(series.steps.length, 50);
    assert.equal(series.steps[49], 490);
    small.close();
  });
});

describe('level-of-detail blocks under incremental ingest', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('stay exact through many small passes, rewritten steps and a rewind', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'inc00001').init().write();
    const store = openTestStore(dir);
    const wave = (s: number) => Math.sin(s / 37) * (s % 997 === 0 ? 50 : 1);
    for (let start = 0; start < 6000; start += 77) {
      for (let s = start; s < Math.min(start + 77, 6000); s++) b.history(s, { m: wave(s) });
      if (start === 2002) b.history(1500, { m: 123 }).history(40, { m: -77 }); // steps written again
      b.write();
      store.sync();
    }
    b.rewind(5000).write();
    for (let s = 5001; s < 7000; s++) b.history(s, { m: -wave(s) });
    b.exit(0).write();
    store.sync();
    for (const [from, to, buckets] of [[0, 6999, 50], [1000, 6500, 40], [33, 4567, 25]] as const) {
      const raw = store.getHistory('proj/inc00001', 'm', { fromStep: from, toStep: to });
      const layout = bucketLayout(from, to, buckets, LOD_LEVELS);
      const expected = new MinMaxBuckets(layout.origin, layout.width, layout.count);
      for (let i = 0; i < raw.steps.length; i++) expected.addPoint(raw.steps[i]!, raw.values[i]!, raw.times[i]!);
      const fast = store.getHistory('proj/inc00001', 'm', { fromStep: from, toStep: to, buckets });
      assert.equal(fast.downsampled, true);
      assert.deepEqual(fast, expected.series('m'), `${from}..${to}`);
    }
    const all = store.getHistory('proj/inc00001', 'm');
    assert.equal(all.values[1500], 123);
    assert.equal(all.values[40], -77);
    assert.equal(all.values[6000], -wave(6000));
    assert.deepEqual(store.failures, []);
    store.close();
  });
});

describe('system series', () => {
  afterEach(removeStores);

  it('indexes samples by order and keeps spikes when downsampled', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'sys00001').init();
    for (let i = 0; i < 500; i++) b.system({ 'cpu/percent': i === 321 ? 100 : 10, 'memory/used_bytes': i * 1e6 });
    b.exit(0).write();
    const store = openTestStore(dir);
    const raw = store.getSystem('proj/sys00001', 'cpu/percent');
    assert.equal(raw.steps.length, 500);
    assert.ok(raw.times[1]! > raw.times[0]!);
    const down = store.getSystem('proj/sys00001', 'cpu/percent', { buckets: 20 });
    assert.equal(down.downsampled, true);
    assert.ok(down.steps.length <= 40);
    assert.equal(down.values[down.steps.indexOf(321)], 100);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});
