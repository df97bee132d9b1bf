// What the metric lenses above log( calls read from the store (src/extension/codelens/
// metricLensReads.ts), over a real store: read once per file, again only after a store change.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { MetricLensReads } from '../../../src/extension/codelens/metricLensReads';
import { FIXTURE_T0, RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { countingReads } from '../../fixtures/countingStore';
import { openTestStore, recordChanges } from '../../fixtures/storeSnapshot';

describe('code lens: what a file\'s metric lenses read', () => {
  afterEach(removeStores);

  it('reads a file once while the store is unchanged, and again after a change', () => {
    const dir = makeStore();
    const script = join(dir, 'train.py');
    const run = new RunBuilder(dir, 'p', 'lens0001').init()
      .record({ type: 'callsite', ts: FIXTURE_T0, file: script, line: 7, keys: ['loss', 'acc'] })
      .history(0, { loss: 4, acc: 0.1 }).history(1, { loss: 3, acc: 0.2 }).write();
    const store = openTestStore(dir);
    const batches = recordChanges(store);
    try {
      store.sync();
      const { reads, count } = countingReads(store, 'callsitesInFile', 'getRun', 'getHistory');
      const lenses = new MetricLensReads(() => reads);

      const first = lenses.read(script);
      assert.ok(first);
      assert.equal(first.run.key, 'p/lens0001');
      assert.deepEqual(first.shown.lines, [{ line: 6, keys: ['acc', 'loss'] }]);
      assert.equal(first.metrics.get('loss')?.last, 3);
      const trend = first.trend('loss');
      assert.ok(trend.length > 0);
      assert.equal(first.trend('loss'), trend);
      assert.deepEqual(count, { callsitesInFile: 1, getRun: 1, getHistory: 1 }, 'a trend is read once');
      assert.equal(lenses.read(script), first, 'a second lens refresh of an unchanged store reads nothing');
      assert.equal(lenses.read(join(dir, 'other.py')), undefined);
      assert.equal(lenses.read(join(dir, 'other.py')), undefined);
      assert.deepEqual(count, { callsitesInFile: 2, getRun: 1, getHistory: 1 }, 'a file no run logged from is looked up once too');

      lenses.storeChanged([{ kind: 'output', run: 'p/lens0001', fromLine: 0 }, { kind: 'alert', run: 'p/lens0001', alert: { title: 't', text: 'x', level: 'INFO', ts: FIXTURE_T0 } }]);
      assert.equal(lenses.read(script), first, 'printed output and alerts change no lens');

      run.history(2, { loss: 1.5, acc: 0.3 }).write();
      batches.length = 0;
      store.sync();
      assert.ok(batches.length > 0);
      for (const changes of batches) lenses.storeChanged(changes);
      const second = lenses.read(script);
      assert.notEqual(second, first);
      assert.equal(second?.metrics.get('loss')?.last, 1.5, 'the store change is read');
      assert.deepEqual(count, { callsitesInFile: 3, getRun: 2, getHistory: 1 });

      lenses.clear();
      lenses.read(script);
      assert.deepEqual(count, { callsitesInFile: 4, getRun: 3, getHistory: 1 }, 'another store: read again');
    } finally {
      store.close();
    }
  });
});
