// The health checks' metric tails (src/core/health/runTails.ts) over a real store: read once per
// run, read again only after a store change names the run.

import * as assert from 'node:assert/strict';
import { RunTails } from '../../../src/core/health/runTails';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { countingReads } from '../../fixtures/countingStore';
import { openTestStore, recordChanges } from '../../fixtures/storeSnapshot';

describe('health: live runs\' metric tails', () => {
  afterEach(removeStores);

  it('reads a run\'s tails once, and again only after a change names the run', () => {
    const dir = makeStore();
    const a = new RunBuilder(dir, 'p', 'runa0001').init().history(0, { loss: 3, acc: 0.1 }).history(1, { loss: 2, acc: 0.2 }).write();
    new RunBuilder(dir, 'p', 'runb0001').init().history(0, { loss: 1 }).write();
    const store = openTestStore(dir);
    const batches = recordChanges(store);
    try {
      store.sync();
      const { reads, count } = countingReads(store, 'getRun', 'getHistory');
      const tails = new RunTails(() => reads);

      const first = tails.of('p/runa0001', 3);
      assert.deepEqual(first.map((t) => [t.key, t.values]), [['acc', [0.1, 0.2]], ['loss', [3, 2]]]);
      tails.of('p/runb0001', 3);
      assert.deepEqual(count, { getRun: 2, getHistory: 3 });
      assert.equal(tails.of('p/runa0001', 3), first, 'an unchanged store is not read again');
      assert.deepEqual(count, { getRun: 2, getHistory: 3 });

      a.history(2, { loss: 2.5 }).output('stdout', 'epoch 2\n').write();
      batches.length = 0;
      store.sync();
      assert.ok(batches.flat().some((c) => c.kind === 'history' && c.run === 'p/runa0001'), JSON.stringify(batches));
      for (const changes of batches) tails.storeChanged(changes);
      const second = tails.of('p/runa0001', 3);
      assert.deepEqual(second.find((t) => t.key === 'loss')?.values, [3, 2, 2.5], 'the change is read');
      assert.equal(second.find((t) => t.key === 'loss')?.lastStep, 2);
      assert.deepEqual(count, { getRun: 3, getHistory: 5 }, 'only the run the change named');
      tails.of('p/runb0001', 3);
      assert.deepEqual(count, { getRun: 3, getHistory: 5 }, 'the other run keeps its tails');

      tails.storeChanged([{ kind: 'output', run: 'p/runa0001', fromLine: 0 }, { kind: 'system', run: 'p/runa0001', fromTime: 0 }]);
      tails.of('p/runa0001', 3);
      assert.deepEqual(count, { getRun: 3, getHistory: 5 }, 'printed output and system metrics do not change a tail');

      tails.of('p/runa0001', 5);
      assert.deepEqual(count, { getRun: 4, getHistory: 7 }, 'a longer tail (other settings) is read again');
      tails.storeChanged([{ kind: 'rebuilt', reason: 'test' }]);
      tails.of('p/runb0001', 5);
      assert.deepEqual(count, { getRun: 5, getHistory: 8 }, 'a rebuilt index drops every tail');
      tails.keepOnly(new Set(['p/runb0001']));
      tails.of('p/runa0001', 5);
      assert.deepEqual(count, { getRun: 6, getHistory: 10 }, 'a run no longer live is forgotten');
    } finally {
      store.close();
    }
  });
});
