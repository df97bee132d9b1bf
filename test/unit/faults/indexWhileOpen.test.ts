// The index deleted, truncated, filled with garbage or replaced while a store has it open (the
// editor keeps its store open for the whole session): the next pass notices, rebuilds it from
// the run files with the same content, says why, and keeps ingesting. Two open stores on one
// folder (two windows) settle on one rebuilt index instead of rebuilding each other's.

import * as assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreChange } from '../../../src/core/model';
import { Store } from '../../../src/core/store/Store';
import { RunBuilder } from '../../fixtures/runBuilder';
import { openTestStore, snapshot } from '../../fixtures/storeSnapshot';
import { removeTemps, tempDir } from '../../faults/lib/sdk';

function buildStore(): { dir: string; live: RunBuilder } {
  const dir = tempDir();
  const a = new RunBuilder(dir, 'proj', 'run00001').init({ name: 'alpha', tags: ['x'] }).config({ lr: 0.1 });
  for (let s = 0; s < 3000; s++) a.history(s, { loss: 1 / (s + 1), acc: s / 3000 });
  a.output('stdout', 'hello\n').system({ 'cpu/percent': 3 }).summary({ best: 1 }).exit(0).write();
  new RunBuilder(dir, 'other', 'run00002').init({ name: 'beta' }).history(0, { loss: 5 }).exit(2, 'failed').write();
  const live = new RunBuilder(dir, 'proj', 'live0001').init({ name: 'live' }).history(0, { loss: 1 }).write();
  return { dir, live };
}

const DAMAGE: [string, (path: string) => void][] = [
  ['deleted', (path) => rmSync(path)],
  ['truncated to half', (path) => truncateSync(path, Math.floor(statSync(path).size / 2))],
  ['truncated to nothing', (path) => truncateSync(path, 0)],
  ['overwritten with garbage', (path) => writeFileSync(path, Buffer.from('garbage, not an SQLite database '.repeat(4000)))],
];

/** A synced store over a fresh folder, its content, and the reasons of the rebuilds it reports. */
function openWatched(): { dir: string; store: Store; before: unknown; reasons: string[] } {
  const { dir } = buildStore();
  const store = openTestStore(dir);
  store.sync();
  const reasons: string[] = [];
  store.onDidChange((c) => reasons.push(...c.flatMap((x) => (x.kind === 'rebuilt' ? [x.reason] : []))));
  return { dir, store, before: snapshot(store), reasons };
}

describe('faults: the index damaged while a store has it open', function () {
  this.timeout(180_000);
  after(removeTemps);

  for (const [what, damage] of DAMAGE) {
    it(`an index ${what} under an open store is rebuilt with the same content, and the store says so`, () => {
      const { dir, live } = buildStore();
      const store = openTestStore(dir);
      store.sync();
      const before = snapshot(store);
      const batches: StoreChange[][] = [];
      store.onDidChange((c) => batches.push([...c]));
      // Make sure the file on disk holds the data (a checkpoint), then damage it.
      (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
      damage(join(dir, 'index.sqlite'));
      store.sync();
      const rebuilt = batches.flat().find((c) => c.kind === 'rebuilt');
      assert.ok(rebuilt && rebuilt.kind === 'rebuilt', `no rebuilt change after the index was ${what}: ${JSON.stringify(batches)}`);
      assert.match(rebuilt.reason, /index/);
      assert.deepEqual(snapshot(store), before);
      // It keeps ingesting into the new file, and the file on disk is a good index.
      live.history(1, { loss: 0.5 }).write();
      store.sync();
      assert.deepEqual(store.getHistory('proj/live0001', 'loss').values, [1, 0.5]);
      store.close();
      const again = Store.open(dir, { readonly: true });
      assert.deepEqual(again.getHistory('proj/live0001', 'loss').values, [1, 0.5]);
      assert.equal(again.getHistory('proj/run00001', 'loss').steps.length, 3000);
      again.close();
    });
  }

  it('damaged in sequence (deleted, truncated, garbage, three times): every damage is rebuilt and said, the content unchanged', () => {
    const { dir, store, before, reasons } = openWatched();
    const path = join(dir, 'index.sqlite');
    for (let round = 0; round < 3; round++) {
      for (const [what, damage] of DAMAGE.filter(([w]) => w !== 'truncated to nothing')) {
        const seen = reasons.length;
        damage(path);
        store.sync();
        assert.equal(reasons.length, seen + 1, `round ${round + 1}, ${what}: ${JSON.stringify(reasons.slice(seen))}`);
        assert.deepEqual(snapshot(store), before, `round ${round + 1}, ${what}`);
      }
    }
    store.close();
  });

  it('a connection left closed by a damaged file is replaced by a rebuilt index, and the store says so', () => {
    const { store, before, reasons } = openWatched();
    // What a close that failed halfway on a damaged file leaves behind.
    (store as unknown as { db: { close(): void } }).db.close();
    store.sync();
    assert.deepEqual(reasons, ['the index connection was lost while the index file was damaged']);
    assert.deepEqual(snapshot(store), before);
    store.close();
  });

  it('two stores open on one folder: one rebuilds a damaged index, the other follows it without rebuilding again', () => {
    const { dir } = buildStore();
    const a = openTestStore(dir);
    const b = openTestStore(dir);
    a.sync();
    b.sync();
    const before = snapshot(a);
    const rebuilds = { a: 0, b: 0 };
    a.onDidChange((c) => (rebuilds.a += c.filter((x) => x.kind === 'rebuilt').length));
    b.onDidChange((c) => (rebuilds.b += c.filter((x) => x.kind === 'rebuilt').length));
    (a as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    writeFileSync(join(dir, 'index.sqlite'), Buffer.from('garbage '.repeat(5000)));
    a.sync();
    assert.equal(rebuilds.a, 1);
    const ino = statSync(join(dir, 'index.sqlite')).ino;
    for (let i = 0; i < 3; i++) {
      b.sync();
      a.sync();
    }
    assert.equal(statSync(join(dir, 'index.sqlite')).ino, ino, 'the stores kept replacing each other’s index');
    assert.equal(readdirSync(dir).filter((f) => /^index\.sqlite\.corrupt-[^.]*$/.test(f.replace(/-(wal|shm)$/, ''))).length >= 1, true);
    assert.deepEqual(snapshot(b), before);
    assert.deepEqual(snapshot(a), before);
    a.close();
    b.close();
  });
});
