import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore, recordChanges, snapshot } from '../../fixtures/storeSnapshot';
import type { Store } from '../../../src/core/store/Store';

function buildStore(): string {
  const dir = makeStore();
  const a = new RunBuilder(dir, 'proj', 'run00001').init({ name: 'alpha', tags: ['x'] }).config({ lr: 0.1 });
  for (let s = 0; s < 300; s++) a.history(s, { loss: 1 / (s + 1), acc: s % 7 === 0 ? NaN : s / 300 });
  a.output('stdout', 'hello\n').system({ 'cpu/percent': 3 }).summary({ best: 1 }).alert('done', 'ok').exit(0).write();
  new RunBuilder(dir, 'other', 'run00002').init({ name: 'beta' }).history(0, { loss: 5 }).exit(2, 'failed').write();
  return dir;
}

function reopenAfter(dir: string, damage: (indexPath: string) => void): { store: Store; reason: string | undefined } {
  damage(join(dir, 'index.sqlite'));
  const store = openTestStore(dir);
  const changes = recordChanges(store);
  store.sync();
  const rebuilt = changes.flat().find((c) => c.kind === 'rebuilt');
  return { store, reason: rebuilt?.kind === 'rebuilt' ? rebuilt.reason : undefined };
}

describe('rebuilding the index from the run folders', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('a deleted index comes back with the same content', () => {
    const dir = buildStore();
    const first = openTestStore(dir);
    first.rename('proj/run00001', 'renamed');
    first.setNotes('proj/run00001', 'edited notes');
    first.setTags('proj/run00001', ['kept', ' kept ', 'new']);
    first.markState('other/run00002', 'killed');
    const before = snapshot(first);
    first.close();
    const { store, reason } = reopenAfter(dir, (path) => rmSync(path));
    assert.equal(reason, 'the index did not exist');
    assert.deepEqual(snapshot(store), before);
    const run = store.getRun('proj/run00001')!;
    assert.equal(run.name, 'renamed'); // edits live in edits.jsonl, so they survive
    assert.equal(run.notes, 'edited notes');
    assert.deepEqual(run.tags, ['kept', 'new']);
    assert.equal(store.getRun('other/run00002')!.state, 'failed'); // the exit record wins over the edit
    store.close();
  });

  for (const [what, damage] of [
    ['truncated', (path: string) => truncateSync(path, Math.floor(statSync(path).size / 2))],
    ['garbage', (path: string) => writeFileSync(path, Buffer.from('this is not an SQLite database, just some text '.repeat(200)))],
    ['of an unknown schema version', (path: string) => {
      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
    }],
  ] as const) {
    it(`an index that is ${what} is set aside and rebuilt with the same content`, () => {
      const dir = buildStore();
      const first = openTestStore(dir);
      const before = snapshot(first);
      first.close();
      const { store, reason } = reopenAfter(dir, damage);
      assert.match(reason ?? '', /the index could not be used \(.+\); the old file was kept as .*index\.sqlite\.corrupt-/);
      assert.deepEqual(snapshot(store), before);
      assert.ok(readdirSync(dir).some((f) => f.startsWith('index.sqlite.corrupt-')));
      store.close();
    });
  }

  it('rebuild() on request keeps the content and says why', () => {
    const dir = buildStore();
    const store = openTestStore(dir);
    const before = snapshot(store);
    store.sync();
    const changes = recordChanges(store);
    store.rebuild('asked by the user');
    assert.deepEqual(changes, [[{ kind: 'rebuilt', reason: 'asked by the user' }, { kind: 'projects' }]]);
    assert.deepEqual(snapshot(store), before);
    assert.ok(!readdirSync(dir).some((f) => f.startsWith('index.sqlite.corrupt-')));
    store.close();
  });

  it('reindex() rebuilds a slice at a time with progress, and a cancelled one keeps every run', async () => {
    const dir = buildStore();
    for (let i = 0; i < 600; i++) new RunBuilder(dir, 'many', `m${String(i).padStart(7, '0')}`).init().config({ i }).history(0, { loss: i }).exit(0).write();
    const store = openTestStore(dir);
    const before = snapshot(store);
    // A run the old index got wrong (its rows edited behind the store's back) is right again after.
    const db = new Database(join(dir, 'index.sqlite'));
    db.prepare("UPDATE runs SET name = 'wrong' WHERE id IN ('run00001', 'm0000599')").run();
    db.close();
    store.sync();
    const changes = recordChanges(store);
    const seen: [number, number][] = [];
    const result = await store.reindex('asked by the user', { onProgress: (done, total) => seen.push([done, total]) });
    assert.deepEqual({ ...result, failures: undefined }, { done: 602, total: 602, cancelled: false, failures: undefined });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(seen[0], [0, 602]);
    assert.deepEqual(seen[seen.length - 1], [602, 602]);
    assert.ok(seen.length >= 4, `progress reported ${seen.length} times`);
    assert.deepEqual(changes, [[{ kind: 'rebuilt', reason: 'asked by the user' }, { kind: 'projects' }]]);
    assert.deepEqual(snapshot(store), before);

    // Cancelled after the first slice: the runs reached are rebuilt, the rest keep their rows.
    const again = new Database(join(dir, 'index.sqlite'));
    again.prepare("UPDATE runs SET name = 'wrong'").run();
    again.close();
    let slices = 0;
    const cancelled = await store.reindex('asked by the user', { onProgress: () => slices++, cancelled: () => slices >= 2 });
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.done > 0 && cancelled.done < 602, `stopped after ${cancelled.done}`);
    assert.equal(store.count(), 602, 'a cancelled rebuild loses no run');
    const last = changes[changes.length - 1]!.find((c) => c.kind === 'rebuilt');
    assert.match(last?.kind === 'rebuilt' ? last.reason : '', new RegExp(`cancelled after ${cancelled.done} of 602 runs`));
    const stillWrong = store.listRuns(undefined).filter((r) => r.name === 'wrong').length;
    assert.equal(stillWrong, 602 - cancelled.done, 'the runs reached are rebuilt, the others as they were');
    store.close();
  });

  it('a read-only store reads the index without writing to the folder', () => {
    const dir = buildStore();
    openTestStore(dir).close();
    const eventsBefore = readFileSync(join(dir, 'projects/proj/runs/run00001/events.jsonl'));
    const store = openTestStore(dir, { readonly: true });
    assert.equal(store.listRuns('proj').length, 1);
    assert.throws(() => store.rename('proj/run00001', 'x'), /read-only/);
    assert.ok(!existsSync(join(dir, 'projects/proj/runs/run00001/edits.jsonl')));
    assert.deepEqual(readFileSync(join(dir, 'projects/proj/runs/run00001/events.jsonl')), eventsBefore);
    store.close();
  });
});
