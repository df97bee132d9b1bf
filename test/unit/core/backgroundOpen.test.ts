import * as assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores, runDir } from '../../fixtures/runBuilder';
import { openTestStore, recordChanges } from '../../fixtures/storeSnapshot';
import type { OpenProgress, Store } from '../../../src/core/store/Store';

const OLD = 120;
const NEW = 400;

const oldId = (i: number) => `old${String(i).padStart(5, '0')}`;
const newId = (i: number) => `new${String(i).padStart(5, '0')}`;

/** OLD runs indexed by an earlier session, then NEW runs written while no Runlog watched. */
function storeWithNewRuns(): string {
  const dir = makeStore();
  for (let i = 0; i < OLD; i++) new RunBuilder(dir, 'proj', oldId(i)).init().config({ i }).history(0, { loss: i }).exit(0).write();
  openTestStore(dir).close();
  for (let i = 0; i < NEW; i++) new RunBuilder(dir, 'proj', newId(i)).init().config({ i }).history(0, { loss: i }).exit(0).write();
  return dir;
}

/** Counts the commits of each run's events.jsonl (a run read twice would commit it twice). */
function countingStore(dir: string, commits: Map<string, number>): Store {
  return openTestStore(dir, {
    openPass: 'background',
    ingest: { beforeCommit: (run, file) => file === 'events' && commits.set(run, (commits.get(run) ?? 0) + 1) },
  });
}

describe('opening a store in the background (the editor\'s open)', function () {
  this.timeout(120_000);
  afterEach(removeStores);

  it('indexes every new run exactly once, a slice at a time, while the runs indexed before answer', async () => {
    const dir = storeWithNewRuns();
    rmSync(runDir(dir, 'proj', oldId(7)), { recursive: true });
    const commits = new Map<string, number>();
    const store = countingStore(dir, commits);
    // Open returned at once: the earlier session's rows are there before the pass reads anything.
    assert.equal(store.runInfo(`proj/${oldId(3)}`)?.config.i, 3);
    const during: { progress: OpenProgress; count: number; old: unknown }[] = [];
    store.onOpenProgress((progress) => {
      if (progress?.phase === 'reading' && progress.done > 0 && progress.done < progress.total) {
        during.push({ progress, count: store.count('proj'), old: store.runInfo(`proj/${oldId(OLD - 1)}`)?.config.i });
      }
    });
    const result = await store.opened;
    assert.deepEqual(result, { done: NEW + 1, total: NEW + 1, cancelled: false }, 'the new runs and the one whose folder is gone');
    assert.equal(store.openProgress, undefined);
    assert.ok(during.length >= 2, `read in ${during.length + 1} slices`);
    for (const d of during) {
      assert.equal(d.old, OLD - 1, 'a run indexed before answers while the pass runs');
      assert.ok(d.count >= OLD - 1 && d.count < OLD + NEW - 1, `${d.count} runs while ${d.progress.done} of ${d.progress.total} were read`);
    }
    assert.equal(store.count('proj'), OLD - 1 + NEW);
    assert.equal(store.runInfo(`proj/${oldId(7)}`), undefined, 'the run whose folder is gone is forgotten');
    for (let i = 0; i < NEW; i++) assert.equal(commits.get(`proj/${newId(i)}`), 1, `${newId(i)} read once`);
    assert.equal([...commits.keys()].filter((k) => k.includes('/old')).length, 0, 'no run indexed before is read again');
    assert.deepEqual(store.listRuns('proj', { filter: `id:${newId(NEW - 1)}` }).map((r) => r.config.i), [NEW - 1]);
    store.close();
  });

  it('closing the store stops the pass between slices; every run indexed before and every slice read stay', async () => {
    const dir = storeWithNewRuns();
    const store = openTestStore(dir, { openPass: 'background' });
    let readAtClose = -1;
    store.onOpenProgress((progress) => {
      if (progress?.phase === 'reading' && progress.done > 0 && readAtClose < 0) {
        readAtClose = progress.done;
        store.close();
      }
    });
    const result = await store.opened;
    assert.equal(result.cancelled, true);
    assert.ok(readAtClose > 0 && readAtClose < NEW, `closed after ${readAtClose} of ${NEW}`);

    const after = openTestStore(dir, { readonly: true });
    assert.equal(after.count('proj'), OLD + readAtClose, 'the runs indexed before and the slice committed before the close');
    for (let i = 0; i < OLD; i++) assert.equal(after.runInfo(`proj/${oldId(i)}`)?.config.i, i);
    after.close();

    // The next open reads the rest, and only the rest.
    const commits = new Map<string, number>();
    const again = countingStore(dir, commits);
    assert.deepEqual(await again.opened, { done: NEW - readAtClose, total: NEW - readAtClose, cancelled: false });
    assert.equal(again.count('proj'), OLD + NEW);
    assert.equal(commits.size, NEW - readAtClose);
    again.close();
  });

  it('a missing index is built a slice at a time with progress; listeners hear the runs as they come', async () => {
    const dir = storeWithNewRuns();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `index.sqlite${suffix}`), { force: true });
    const store = openTestStore(dir, { openPass: 'background' });
    const changes = recordChanges(store);
    const totals = new Set<number>();
    store.onOpenProgress((p) => p?.phase === 'reading' && totals.add(p.total));
    assert.deepEqual(await store.opened, { done: OLD + NEW, total: OLD + NEW, cancelled: false });
    assert.deepEqual([...totals], [OLD + NEW]);
    assert.equal(store.count(), OLD + NEW);
    const added = new Set(changes.flat().flatMap((c) => (c.kind === 'runAdded' ? [c.run] : [])));
    assert.equal(added.size, OLD + NEW, 'each run was announced as it was indexed');
    assert.ok(changes.length >= 3, `${changes.length} batches`);
    assert.deepEqual(changes[changes.length - 1], [{ kind: 'rebuilt', reason: 'the index did not exist' }, { kind: 'projects' }]);
    store.close();
  });

  it('an index the worker finds damaged is set aside and rebuilt from the run folders in the background', async () => {
    const dir = storeWithNewRuns();
    const index = join(dir, 'index.sqlite');
    openTestStore(dir).close(); // every run indexed, the WAL checkpointed into the file
    // Garbage over every other page of the file's second half: the schema still reads, the data does not.
    const pageSize = 4096;
    const size = statSync(index).size;
    const fd = openSync(index, 'r+');
    for (let at = Math.ceil(size / 2 / pageSize) * pageSize; at < size; at += 2 * pageSize) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, at);
    closeSync(fd);
    const store = openTestStore(dir, { openPass: 'background' });
    const changes = recordChanges(store);
    const result = await store.opened;
    assert.deepEqual(result, { done: OLD + NEW, total: OLD + NEW, cancelled: false });
    assert.equal(store.count('proj'), OLD + NEW);
    const rebuilt = changes.flat().find((c) => c.kind === 'rebuilt');
    assert.match(rebuilt?.kind === 'rebuilt' ? rebuilt.reason : '', /the index could not be used \(quick_check: .+\); the old file was kept as .*index\.sqlite\.corrupt-/);
    store.close();
  });
});
