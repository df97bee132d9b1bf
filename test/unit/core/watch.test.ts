import * as assert from 'node:assert/strict';
import { RunBuilder, makeStore, otherHost, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';
import type { StoreChange } from '../../../src/core/model';
import type { Store } from '../../../src/core/store/Store';

/** Resolves with the first batch that has a change matching `match` (fails after 10 s). */
function nextChange(store: Store, match: (c: StoreChange) => boolean): Promise<StoreChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no matching change within 10 s'));
    }, 10_000);
    const sub = store.onDidChange((changes) => {
      const found = changes.find(match);
      if (found) {
        clearTimeout(timer);
        sub.dispose();
        resolve(found);
      }
    });
  });
}

describe('watching the store', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('emits history, output and system changes for lines appended to a live run', async () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const b = new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 4321 }).history(0, { loss: 1 }).write();
    const store = openTestStore(dir, { clock, alive: new Set([4321]) });
    store.sync();
    store.watch(200);
    const history = nextChange(store, (c) => c.kind === 'history');
    b.history(1, { loss: 0.5, acc: 0.7 }).write();
    assert.deepEqual(await history, { kind: 'history', run: 'proj/live0001', keys: ['acc', 'loss'], fromStep: 1, toStep: 1 });

    const output = nextChange(store, (c) => c.kind === 'output');
    const system = nextChange(store, (c) => c.kind === 'system');
    b.output('stdout', 'line one\nline two\n').system({ 'cpu/percent': 5 }).write();
    assert.deepEqual(await output, { kind: 'output', run: 'proj/live0001', fromLine: 0 });
    assert.equal((await system).kind, 'system');

    const alert = nextChange(store, (c) => c.kind === 'alert');
    b.alert('NaN loss', 'loss became NaN', 'ERROR').write();
    assert.deepEqual(await alert, { kind: 'alert', run: 'proj/live0001', alert: { ts: b.time - 1, title: 'NaN loss', text: 'loss became NaN', level: 'ERROR' } });
    store.close();
  });

  it('reacts to fs events alone, long before the next poll', async () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const b = new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 4321 }).write();
    const store = openTestStore(dir, { clock, alive: new Set([4321]) });
    store.sync();
    store.watch(3_600_000); // the poll never comes within this test
    const history = nextChange(store, (c) => c.kind === 'history');
    b.history(0, { loss: 1 }).write();
    assert.deepEqual(await history, { kind: 'history', run: 'proj/live0001', keys: ['loss'], fromStep: 0, toStep: 0 });
    const added = nextChange(store, (c) => c.kind === 'runAdded');
    new RunBuilder(dir, 'proj', 'new00002').at(clock.now).init().write();
    assert.deepEqual(await added, { kind: 'runAdded', run: 'proj/new00002' });
    store.close();
  });

  it('picks up a new run and marks it crashed on the timer once its process is gone', async () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const alive = new Map([[4321, clock.now - 1]]);
    const store = openTestStore(dir, { clock, alive });
    store.sync();
    store.watch(100);
    const added = nextChange(store, (c) => c.kind === 'runAdded');
    new RunBuilder(dir, 'proj', 'new00001').at(clock.now).init({ pid: 4321, pid_start: clock.now - 1 }).heartbeat().write();
    assert.deepEqual(await added, { kind: 'runAdded', run: 'proj/new00001' });
    assert.equal(store.getRun('proj/new00001')!.state, 'running');
    const crashed = nextChange(store, (c) => c.kind === 'runUpdated');
    alive.delete(4321); // killed: no new bytes and no time passing, only the timer can notice
    await crashed;
    assert.equal(store.getRun('proj/new00001')!.state, 'crashed');
    store.close();
  });

  it('marks a run of another host crashed once 3 heartbeats are missed, never while they arrive', () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const b = new RunBuilder(dir, 'proj', 'far00001').at(clock.now).init(otherHost(10)).heartbeat().write();
    const store = openTestStore(dir, { clock });
    assert.equal(store.getRun('proj/far00001')!.state, 'running');
    for (let beat = 0; beat < 30; beat++) {
      clock.now += 10;
      b.at(clock.now).heartbeat().write();
      store.sync();
      assert.equal(store.getRun('proj/far00001')!.state, 'running', `after heartbeat ${beat}`);
    }
    clock.now += 30; // 3 heartbeats missed, within the slack: not yet
    store.sync();
    assert.equal(store.getRun('proj/far00001')!.state, 'running');
    const changes: StoreChange[] = [];
    store.onDidChange((batch) => changes.push(...batch));
    clock.now += 3; // past 3 intervals and the slack: no new bytes, the pass notices
    store.sync();
    assert.equal(store.getRun('proj/far00001')!.state, 'crashed');
    assert.ok(changes.some((c) => c.kind === 'runUpdated' && c.run === 'proj/far00001'));
    store.close();
  });

  it('a second store on the folder hears every change the first ingested, within a poll it never makes', async () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    // Two windows (or a window and the CLI), each with its own connection to one index.
    const first = openTestStore(dir, { clock, alive: new Set([4321]) });
    const second = openTestStore(dir, { clock, alive: new Set([4321]) });
    second.watch(60 * 60_000); // no poll within the test: only the index's change log can tell it
    const added = nextChange(second, (c) => c.kind === 'runAdded' && c.run === 'proj/live0001');
    const b = new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 4321 }).history(0, { loss: 1 }).write();
    first.sync(); // the first window ingests it before the second looks
    await added;
    assert.equal(second.getRun('proj/live0001')!.state, 'running');
    const history = nextChange(second, (c) => c.kind === 'history' && c.run === 'proj/live0001' && c.toStep === 1);
    b.history(1, { loss: 0.5 }).write();
    first.sync();
    assert.deepEqual(await history, { kind: 'history', run: 'proj/live0001', keys: ['loss'], fromStep: 1, toStep: 1 });
    assert.deepEqual(second.getHistory('proj/live0001', 'loss').values, [1, 0.5]);
    // Its own pass finds nothing new (the first took the bytes) and still reports the change.
    const ended = nextChange(second, (c) => c.kind === 'runUpdated' && c.run === 'proj/live0001');
    b.exit(0).write();
    first.sync();
    second.sync();
    await ended;
    assert.equal(second.getRun('proj/live0001')!.state, 'finished');
    // A read-only store (the CLI's `runlog ls`) hears it on sync.
    const reader = openTestStore(dir, { clock, readonly: true });
    const removed: StoreChange[] = [];
    reader.onDidChange((changes) => removed.push(...changes));
    first.deleteRuns(['proj/live0001']);
    reader.sync();
    assert.ok(removed.some((c) => c.kind === 'runRemoved' && c.run === 'proj/live0001'), JSON.stringify(removed));
    for (const store of [first, second, reader]) store.close();
  });

  it('a window hears what the CLI ingested when it opened the store and exited, though the CLI never emitted', async () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const window = openTestStore(dir, { clock, alive: new Set([4321]) });
    window.watch(60 * 60_000); // no poll within the test: only the change log can tell it
    const b = new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 4321 }).history(0, { loss: 1 }).write();
    const added = nextChange(window, (c) => c.kind === 'runAdded' && c.run === 'proj/live0001');
    // `runlog ls`: opens (its open pass reads the new run and takes its bytes), lists, closes.
    const cli = openTestStore(dir, { clock, alive: new Set([4321]) });
    assert.equal(cli.listRuns('proj').length, 1);
    cli.close();
    await added;
    assert.equal(window.getRun('proj/live0001')!.summary.loss, 1);
    // The last step, read by the CLI alone: the window's own pass finds no new bytes.
    const last = nextChange(window, (c) => c.kind === 'history' && c.run === 'proj/live0001' && c.toStep === 1);
    b.history(1, { loss: 0.5 }).write();
    openTestStore(dir, { clock, alive: new Set([4321]) }).close();
    window.sync();
    assert.deepEqual(await last, { kind: 'history', run: 'proj/live0001', keys: ['loss'], fromStep: 1, toStep: 1 });
    assert.deepEqual(window.getHistory('proj/live0001', 'loss').values, [1, 0.5]);
    window.close();
  });
});
