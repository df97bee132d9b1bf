// The history a run page receives, against a real store: a bounded number of points whatever
// the run's length, tails that re-send only the bucket still filling, spikes never lost.
import * as assert from 'node:assert/strict';
import { applySeriesTail, type WireSeries } from '../../../src/common/wire';
import type { MetricKeyInfo } from '../../../src/core/model';
import type { Store } from '../../../src/core/store/Store';
import { HistoryFeed } from '../../../src/extension/runPage/HistoryFeed';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';

const KEY = 'proj/feed0001';

function span(store: Store, metric: string): MetricKeyInfo {
  const m = store.getRun(KEY)!.metrics.find((x) => x.key === metric);
  assert.ok(m, `metric ${metric}`);
  return m;
}

function max(series: WireSeries): number {
  return series.values.reduce((a, b) => (b > a ? b : a), -Infinity);
}

function ascending(series: WireSeries): boolean {
  for (let i = 1; i < series.steps.length; i++) if (series.steps[i]! < series.steps[i - 1]!) return false;
  return true;
}

describe('history feed of a run page', function () {
  this.timeout(180_000);
  let dir: string;
  let store: Store;

  before(() => {
    dir = makeStore();
    new RunBuilder(dir, 'proj', 'feed0001')
      .init()
      .write()
      .writeHistoryBulk({ steps: 200_000, metrics: ['loss'], value: (s) => (s === 150_123 ? 50 : Math.sin(s / 1000)) })
      .writeHistoryBulk({ steps: 100, metrics: ['val/acc'], startStep: 0, value: (s) => s / 100 });
    store = openTestStore(dir);
  });
  after(() => {
    store.close();
    removeStores();
  });

  it('sends a long series as about a thousand min/max buckets with its spike', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q));
    const whole = feed.whole(span(store, 'loss'));
    assert.ok(whole.downsampled);
    assert.ok(whole.steps.length <= 2000 && whole.steps.length > 1000, `${whole.steps.length} points`);
    assert.equal(whole.totalPoints, 200_000);
    assert.equal(max(whole), 50);
    assert.equal(whole.steps[0], 0);
    assert.equal(whole.steps[whole.steps.length - 1], 199_999);
  });

  it('sends a short series row by row, then only the new rows', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q));
    const whole = feed.whole(span(store, 'val/acc'));
    assert.equal(whole.downsampled, false);
    assert.equal(whole.steps.length, 100);
    assert.equal(feed.update(span(store, 'val/acc')), undefined, 'nothing new');

    new RunBuilder(dir, 'proj', 'feed0001').writeHistoryBulk({ steps: 50, metrics: ['val/acc'], startStep: 100, value: (s) => s / 100 });
    store.sync();
    const update = feed.update(span(store, 'val/acc'), 100);
    assert.equal(update?.kind, 'tail');
    if (update?.kind !== 'tail') return;
    assert.equal(update.tail.fromStep, 100);
    assert.deepEqual([...update.tail.steps], Array.from({ length: 50 }, (_, i) => 100 + i));
    const merged = applySeriesTail(whole, update.tail);
    assert.deepEqual([...merged.steps], Array.from({ length: 150 }, (_, i) => i));
    assert.equal(merged.totalPoints, 150);
  });

  it('sends the bucket still filling plus new ones as a run grows, spikes included', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q));
    const whole = feed.whole(span(store, 'loss'));
    const lastSent = whole.steps[whole.steps.length - 1]!;
    new RunBuilder(dir, 'proj', 'feed0001').writeHistoryBulk({ steps: 30_000, metrics: ['loss'], startStep: 200_000, value: (s) => (s === 222_222 ? 80 : Math.sin(s / 1000)) });
    store.sync();
    const update = feed.update(span(store, 'loss'), 200_000);
    assert.equal(update?.kind, 'tail');
    if (update?.kind !== 'tail') return;
    assert.ok(update.tail.fromStep <= lastSent, 're-sends the partial last bucket');
    assert.ok(update.tail.fromStep > lastSent - 1000, 'and not much more');
    assert.ok(update.tail.steps.length < 400, `${update.tail.steps.length} points in the tail`);
    assert.equal(max(update.tail), 80);
    const merged = applySeriesTail(whole, update.tail);
    assert.ok(ascending(merged));
    assert.equal(max(merged), 80);
    assert.ok(merged.values.includes(50), 'the old spike is still there');
    assert.equal(merged.steps[merged.steps.length - 1], 229_999);
    assert.equal(merged.totalPoints, 230_000);
  });

  it('starts over on a coarser grid once the run has doubled', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q));
    feed.whole(span(store, 'loss'));
    new RunBuilder(dir, 'proj', 'feed0001').writeHistoryBulk({ steps: 300_000, metrics: ['loss'], startStep: 230_000 });
    store.sync();
    const update = feed.update(span(store, 'loss'), 230_000);
    assert.equal(update?.kind, 'whole');
    if (update?.kind !== 'whole') return;
    assert.ok(update.series.steps.length <= 2000, `${update.series.steps.length} points`);
    assert.equal(update.series.steps[update.series.steps.length - 1], 529_999);
    assert.equal(max(update.series), 80);
  });

  it('re-sends from a rewritten step (rewind) rather than appending', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q), 1000);
    const whole = feed.whole(span(store, 'val/acc'));
    const update = feed.update(span(store, 'val/acc'), 40);
    assert.equal(update?.kind, 'tail');
    if (update?.kind !== 'tail') return;
    assert.equal(update.tail.fromStep, 40);
    const merged = applySeriesTail(whole, update.tail);
    assert.deepEqual([...merged.steps], [...whole.steps]);
  });

  it('ignores metrics the page never asked for', () => {
    const feed = new HistoryFeed((m, q) => store.getHistory(KEY, m, q));
    assert.equal(feed.update(span(store, 'loss'), 0), undefined);
  });
});
