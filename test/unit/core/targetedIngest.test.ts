import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { RunBuilder, makeStore, removeStores, runDir } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';
import type { StoreChange } from '../../../src/core/model';
import type { PassStats } from '../../../src/core/ingest/scan';
import type { Store } from '../../../src/core/store/Store';
import { LISTING_EVERY_S, ROLLING_RUNS_PER_TICK } from '../../../src/core/store/PassPlanner';

const RUNS = 300;

/** Resolves with what the pass that emitted the first matching change read (fails after 20 s). */
function passOf(store: Store, match: (c: StoreChange) => boolean): Promise<PassStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no matching change within 20 s'));
    }, 20_000);
    const sub = store.onDidChange((changes) => {
      if (!changes.some(match)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve({ ...store.lastPass! });
    });
  });
}

/** Resolves once a pass other than `before` ran (an empty folder changes nothing, so no change tells). */
async function nextPass(store: Store, before: PassStats | undefined): Promise<void> {
  for (let waited = 0; store.lastPass === before; waited += 10) {
    if (waited > 20_000) throw new Error('no pass within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A store of RUNS finished runs and one live run (pid 4321). */
function bigStore(clock: { now: number }): { dir: string; live: RunBuilder } {
  const dir = makeStore();
  for (let i = 0; i < RUNS; i++) {
    new RunBuilder(dir, 'proj', `done${String(i).padStart(4, '0')}`).init().config({ i }).history(0, { loss: 1 }).exit(0).write();
  }
  const live = new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 4321 }).history(0, { loss: 1 }).write();
  return { dir, live };
}

describe('targeted ingest: a pass reads only the folders that changed', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('the open reads every run folder; a watch event reads only the run it names', async () => {
    const clock = { now: Date.now() / 1000 };
    const { dir, live } = bigStore(clock);
    const store = openTestStore(dir, { clock, alive: new Set([4321]) });
    assert.deepEqual(store.lastPass, { full: true, foldersListed: 2, runsRead: RUNS + 1 });
    store.watch(3_600_000); // no poll tick within this test: only fs events drive the passes

    const appended = passOf(store, (c) => c.kind === 'history' && c.run === 'proj/live0001');
    live.history(1, { loss: 0.5 }).write();
    const read = await appended;
    assert.equal(read.full, false);
    assert.equal(read.foldersListed, 0, 'no folder is listed for an append');
    assert.ok(read.runsRead <= 2, `read ${read.runsRead} run folders for one append`);
    assert.deepEqual(store.getHistory('proj/live0001', 'loss').values, [1, 0.5]);

    const added = passOf(store, (c) => c.kind === 'runAdded' && c.run === 'proj/new00001');
    new RunBuilder(dir, 'proj', 'new00001').init().history(0, { acc: 0.25 }).exit(0).write();
    const addRead = await added;
    assert.equal(addRead.foldersListed, 0);
    assert.ok(addRead.runsRead <= 2, `read ${addRead.runsRead} run folders for one new run`);
    assert.deepEqual(store.getHistory('proj/new00001', 'acc').values, [0.25]);

    const removed = passOf(store, (c) => c.kind === 'runRemoved' && c.run === 'proj/done0007');
    rmSync(runDir(dir, 'proj', 'done0007'), { recursive: true });
    const removeRead = await removed;
    assert.ok(removeRead.runsRead <= 2, `read ${removeRead.runsRead} run folders for one deleted run`);
    assert.equal(store.runInfo('proj/done0007'), undefined);
    assert.equal(store.count('proj'), RUNS + 1);
    store.close();
  });

  it('a run folder made before its files is read again on each pass until they come', async () => {
    const clock = { now: Date.now() / 1000 };
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'done0001').init().exit(0).write();
    const store = openTestStore(dir, { clock, alive: new Set([4321]) });
    store.watch(3_600_000);
    // The SDK makes the folder (mkdir), then writes its files: their events come from a folder
    // no watcher is on, so a folder seen empty is read on every later pass until it has files.
    const before = store.lastPass;
    mkdirSync(runDir(dir, 'proj', 'late0001'), { recursive: true });
    await nextPass(store, before);
    const late = new RunBuilder(dir, 'proj', 'late0001').at(clock.now).init({ pid: 4321 }).history(0, { loss: 3 });
    late.write();
    const added = passOf(store, (c) => c.kind === 'runAdded' && c.run === 'proj/late0001');
    new RunBuilder(dir, 'proj', 'done0002').init().exit(0).write(); // another run's event makes a pass
    const read = await added;
    assert.ok(read.runsRead <= 3, `read ${read.runsRead} run folders`);
    assert.deepEqual(store.getHistory('proj/late0001', 'loss').values, [3]);
    store.close();
  });

  it('a poll tick reads the live runs and a rolling slice, and lists the folders only every LISTING_EVERY_S', () => {
    const clock = { now: Date.now() / 1000 };
    const { dir } = bigStore(clock);
    const store = openTestStore(dir, { clock, alive: new Set([4321]) });
    // What the watcher's poll timer calls (driven here by hand, so no fs event adds a pass).
    const tick = () => (store as unknown as { syncScope(scope: { kind: 'tick' }): void }).syncScope({ kind: 'tick' });
    tick();
    assert.equal(store.lastPass!.full, false);
    assert.equal(store.lastPass!.foldersListed, 0);
    assert.ok(store.lastPass!.runsRead <= ROLLING_RUNS_PER_TICK + 1, `a tick read ${store.lastPass!.runsRead} run folders`);
    // A finished run that gains bytes no event named (resumed elsewhere): the rolling slice reads it.
    new RunBuilder(dir, 'proj', 'done0003').at(clock.now).history(1, { loss: 0.25 }).write();
    tick();
    assert.deepEqual(store.getHistory('proj/done0003', 'loss').values, [1, 0.25]);
    // A run folder no event named (events missed): not listed until the listing is due.
    new RunBuilder(dir, 'other', 'miss0001').init().exit(0).write();
    tick();
    assert.equal(store.lastPass!.foldersListed, 0);
    assert.equal(store.runInfo('other/miss0001'), undefined);
    clock.now += LISTING_EVERY_S;
    tick();
    assert.ok(store.lastPass!.foldersListed >= 2, JSON.stringify(store.lastPass));
    assert.equal(store.runInfo('other/miss0001')?.state, 'finished');
    store.close();
  });

  it("the editor's open lists the run folders and reads the live runs, not every run's files", () => {
    const clock = { now: Date.now() / 1000 };
    const { dir, live } = bigStore(clock);
    openTestStore(dir, { clock, alive: new Set([4321]) }).close();
    live.history(1, { loss: 0.5 }).write();
    new RunBuilder(dir, 'proj', 'new00001').init().exit(0).write();
    rmSync(runDir(dir, 'proj', 'done0001'), { recursive: true });
    new RunBuilder(dir, 'proj', 'done0002').at(clock.now).history(1, { loss: 0.25 }).write(); // an ended run gains bytes
    const store = openTestStore(dir, { clock, alive: new Set([4321]), openPass: 'listing' });
    assert.deepEqual(store.lastPass, { full: false, foldersListed: 2, runsRead: 3 }, 'the live run, the new one and the gone one');
    assert.deepEqual(store.getHistory('proj/live0001', 'loss').values, [1, 0.5]);
    assert.equal(store.runInfo('proj/new00001')?.state, 'finished');
    assert.equal(store.runInfo('proj/done0001'), undefined);
    assert.deepEqual(store.getHistory('proj/done0002', 'loss').values, [1], 'not read at open');
    (store as unknown as { syncScope(scope: { kind: 'tick' }): void }).syncScope({ kind: 'tick' });
    assert.deepEqual(store.getHistory('proj/done0002', 'loss').values, [1, 0.25], 'read by the rolling check');
    store.close();
  });
});
