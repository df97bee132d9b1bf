// Issue 14, item 3: the compare page holds pages of a project's runs, newest first, by keyset.
import * as assert from 'node:assert/strict';
import type { RunInfo, RunKey } from '../../../src/core/model';
import { CompareRows } from '../../../src/extension/comparePage/CompareRows';
import { sortRuns } from '../../../src/core/query/sort';
import { FIXTURE_T0, makeStore, removeStores, RunBuilder } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';

const id = (i: number): string => `run${String(i).padStart(5, '0')}`;

function write(dir: string, i: number, config: Record<string, unknown> = {}): void {
  new RunBuilder(dir, 'p', id(i)).at(FIXTURE_T0 + i * 10).init({ name: `r-${i}` }).config({ lr: i % 2 === 0 ? 0.1 : 0.001, ...config }).exit(0).write();
}

/** What the page holds, applied as the webview applies the host's messages. */
class Held {
  readonly rows = new Map<RunKey, RunInfo>();
  apply(read: { upserts?: readonly RunInfo[]; rows?: readonly RunInfo[]; removed?: readonly RunKey[] }): void {
    for (const k of read.removed ?? []) this.rows.delete(k);
    for (const r of [...(read.upserts ?? []), ...(read.rows ?? [])]) this.rows.set(r.key, r);
  }
  ids(): string[] {
    return [...this.rows.values()].sort((a, b) => b.startTime - a.startTime || a.id.localeCompare(b.id)).map((r) => r.id);
  }
}

describe('compare page rows: pages by keyset', () => {
  after(removeStores);

  it('holds the first page with the count, then each next page, every run once, also as runs start and go meanwhile', () => {
    const dir = makeStore();
    for (let i = 0; i < 25; i++) write(dir, i);
    const store = openTestStore(dir);
    const rows = new CompareRows('p', 10);
    const held = new Held();
    const first = rows.reset(store, '');
    held.apply(first);
    assert.equal(first.total, 25);
    assert.equal(first.hasMore, true);
    assert.deepEqual(held.ids(), Array.from({ length: 10 }, (_, i) => id(24 - i)));
    // Meanwhile a run starts and an unseen one and a held one are deleted.
    write(dir, 100);
    store.deleteRuns(['p/' + id(5), 'p/' + id(20)]);
    store.sync();
    held.apply(rows.refresh(store, 'range'));
    assert.equal(held.ids()[0], id(100), 'the new run is at the top');
    assert.ok(!held.ids().includes(id(20)), 'the deleted run is gone');
    let page = rows.next(store);
    held.apply(page);
    assert.equal(page.total, 24);
    while (page.hasMore) held.apply((page = rows.next(store)));
    const want = store.listRuns('p').map((r) => r.id);
    assert.deepEqual(held.ids(), want);
    assert.equal(want.length, 24);
    store.close();
  });

  it('re-reads a changed run alone, and under a filter the range held', () => {
    const dir = makeStore();
    for (let i = 0; i < 6; i++) write(dir, i);
    const store = openTestStore(dir);
    const rows = new CompareRows('p', 3);
    rows.reset(store, '');
    store.setTags('p/' + id(5), ['best']);
    const byKey = rows.refresh(store, new Set(['p/' + id(5), 'p/' + id(0)]));
    assert.deepEqual(byKey.upserts.map((r) => r.tags), [['best']], 'a run not held is not read');
    const filtered = new Held();
    filtered.apply(rows.reset(store, 'config.lr>0.01'));
    assert.deepEqual(filtered.ids(), [id(4), id(2), id(0)]);
    assert.equal(rows.count(store), 3);
    const bad = rows.reset(store, 'state:sleeping');
    assert.match(rows.filterError ?? '', /sleeping/);
    assert.equal(bad.total, 6, 'a filter that does not parse lists every run');
    store.close();
  });

  it('holds the runs to select further down, and pages on after them', () => {
    const dir = makeStore();
    for (let i = 0; i < 12; i++) write(dir, i);
    const store = openTestStore(dir);
    const rows = new CompareRows('p', 4);
    const held = new Held();
    held.apply(rows.reset(store, ''));
    held.apply({ rows: rows.include(store, ['p/' + id(2), 'p/' + id(10)]) });
    assert.deepEqual(held.ids(), Array.from({ length: 10 }, (_, i) => id(11 - i)));
    held.apply(rows.next(store));
    assert.deepEqual(held.ids(), store.listRuns('p').map((r) => r.id));
    assert.equal(rows.hasMore, false);
    store.close();
  });

  for (const descending of [true, false]) {
    it(`sorted by a column (${descending ? 'descending' : 'ascending'}), pages every run in that order (not only those held), missing values last, as runs start and go`, () => {
      const dir = makeStore();
      // Scores with ties, missing values and a text value (text after numbers, as the table sorts them).
      const score = (i: number): unknown => (i % 9 === 0 ? undefined : i % 11 === 0 ? 'n/a' : (i * 37) % 13);
      const writeScored = (i: number) => {
        const s = score(i);
        write(dir, i, s === undefined ? {} : { score: s });
      };
      for (let i = 0; i < 40; i++) writeScored(i);
      const store = openTestStore(dir);
      const want = () => sortRuns(store.listRuns('p'), 'config.score', descending).map((r) => r.id);
      const rows = new CompareRows('p', 7);
      const held = new Held();
      const first = rows.reset(store, '', { column: 'config.score', descending });
      held.apply(first);
      assert.deepEqual(first.rows.map((r) => r.id), want().slice(0, 7), 'the first page is the first 7 of every run in the order');
      assert.equal(first.total, 40);
      // Meanwhile a run starts (it comes in at its place in the range held, or waits for its page),
      // and a held run and one not yet seen go.
      writeScored(201);
      store.deleteRuns(['p/' + first.rows[1]!.id, 'p/' + want().at(-3)!]);
      store.sync();
      held.apply(rows.refresh(store, 'range'));
      let page = rows.next(store);
      held.apply(page);
      while (page.hasMore) held.apply((page = rows.next(store)));
      const all = want();
      assert.equal(all.length, 39);
      assert.equal(held.rows.size, all.length, 'every run once');
      assert.deepEqual(sortRuns([...held.rows.values()], 'config.score', descending).map((r) => r.id), all);
      store.close();
    });
  }

  it('sorted by a column, holds the runs to select further down', () => {
    const dir = makeStore();
    for (let i = 0; i < 30; i++) write(dir, i, { score: (i * 7) % 30 });
    const store = openTestStore(dir);
    const rows = new CompareRows('p', 5);
    const held = new Held();
    const order = { column: 'config.score', descending: true };
    held.apply(rows.reset(store, '', order));
    const all = sortRuns(store.listRuns('p'), 'config.score', true).map((r) => r.id);
    // The 20th run in the order, then the next page after it.
    held.apply({ rows: rows.include(store, ['p/' + all[19]!, 'p/' + all[2]!]) });
    assert.deepEqual(sortRuns([...held.rows.values()], 'config.score', true).map((r) => r.id), all.slice(0, 20));
    held.apply(rows.next(store));
    assert.deepEqual(sortRuns([...held.rows.values()], 'config.score', true).map((r) => r.id), all.slice(0, 25));
    // A column runs cannot be sorted by keeps newest first.
    assert.deepEqual(rows.reset(store, '', { column: 'bogus', descending: false }).rows.map((r) => r.id), store.listRuns('p', { limit: 5 }).map((r) => r.id));
    store.close();
  });
});
