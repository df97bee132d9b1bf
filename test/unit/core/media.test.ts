// Media records (format v1.1) through ingest into the index and out of RunlogStore, and the
// table pages the run page reads (core/media/tableData).

import * as assert from 'node:assert/strict';
import { parseTable, TableQuery } from '../../../src/core/media/tableData';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore, recordChanges } from '../../fixtures/storeSnapshot';

const KEY = 'proj/run00001';

function image(step: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'media', ts: 1764158400 + step, key: 'pred', step, kind: 'image', path: `media/${'a'.repeat(63)}${step}.png`, size: 10, sha256: 'a'.repeat(64), width: 4, height: 3, caption: `<b>step ${step}</b>`, ...extra };
}

describe('media records', function () {
  this.timeout(20_000);
  afterEach(removeStores);

  it('are indexed with their fields and listed by key and step; a rewind drops the later ones', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init().history(0, { loss: 1 })
      .record(image(0)).record(image(1)).record(image(1, { index: 1, caption: 'second' }))
      .record({ type: 'media', ts: 1764158410, key: 'w', step: 2, kind: 'histogram', bins: [0, 1, 2], counts: [3, 4] })
      .record({ type: 'media', ts: 1764158411, key: 'preds', step: 2, kind: 'table', path: 'media/t.table.json', size: 5, sha256: 'b'.repeat(64), columns: ['a'], rows: 1 })
      .write();
    const store = openTestStore(dir);
    assert.deepEqual(store.listMediaKeys(KEY), [
      { key: 'pred', kind: 'image', count: 3, firstStep: 0, lastStep: 1 },
      { key: 'preds', kind: 'table', count: 1, firstStep: 2, lastStep: 2 },
      { key: 'w', kind: 'histogram', count: 1, firstStep: 2, lastStep: 2 },
    ]);
    const at1 = store.listMedia(KEY, { key: 'pred', step: 1 });
    assert.deepEqual(at1.map((m) => [m.index, m.fields.caption, m.fields.width]), [[0, '<b>step 1</b>', 4], [1, 'second', 4]]);
    assert.deepEqual(store.listMedia(KEY, { kind: 'histogram' })[0]!.fields, { bins: [0, 1, 2], counts: [3, 4] });
    assert.equal(store.listMedia(KEY, { kind: 'histogram' })[0]!.path, '');
    const changes = recordChanges(store);
    b.rewind(0).write();
    store.sync();
    assert.deepEqual(store.listMedia(KEY).map((m) => `${m.key}@${m.step}`), ['pred@0']);
    assert.ok(changes.flat().some((c) => c.kind === 'media' && c.run === KEY));
  });

  it('refuses a media record whose path leaves the run folder, naming its key and step, and keeps the rest', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init()
      .record(image(0, { path: '../../../etc/passwd' }))
      .record(image(1, { path: '/etc/passwd' }))
      .record({ type: 'media', ts: 1764158402, key: 'h', step: 2, kind: 'histogram', bins: [0, 1], counts: [1, 2] })
      .record({ type: 'media', ts: 1764158403, key: 'nopath', step: 3, kind: 'image' })
      .record(image(4))
      .write();
    const store = openTestStore(dir);
    assert.deepEqual(store.listMedia(KEY).map((m) => `${m.key}@${m.step}`), ['pred@4']);
    const messages = store.getRun(KEY)!.problems.map((p) => p.message);
    assert.ok(messages.some((m) => /path` "..\/..\/..\/etc\/passwd" must stay inside the run folder.*\(key "pred", step 0\)/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /"\/etc\/passwd" must stay inside the run folder.*\(key "pred", step 1\)/.test(m)));
    assert.ok(messages.some((m) => /one more edge than counts \(key "h", step 2\)/.test(m)));
    assert.ok(messages.some((m) => /a "image" needs a `path` \(key "nopath", step 3\)/.test(m)));
  });

  it('pages a table filtered and sorted (numbers before strings, stable), and says what is wrong with a bad file', () => {
    const t = new TableQuery(parseTable(JSON.stringify({ columns: ['id', 'label', 'score'], data: [[0, 'cat', 0.5], [1, 'dog', NaN], [2, 'cat', 0.9], [3, 'Cat<b>', 'n/a']] }).replace('null', 'NaN')));
    assert.deepEqual(t.page(null, '', 0, 2), { total: 4, rows: [[0, 'cat', 0.5], [1, 'dog', null]] });
    assert.deepEqual(t.page({ column: 2, descending: true }, 'cat', 0, 10).rows.map((r) => r[0]), [3, 2, 0]);
    assert.deepEqual(t.page({ column: 2, descending: false }, '', 0, 10).rows.map((r) => r[0]), [0, 2, 3, 1]);
    assert.throws(() => parseTable('{"columns": [1], "data": []}'), /`columns` must be a list of strings/);
    assert.throws(() => parseTable('{"columns": ["a"], "data": {}}'), /`data` must be a list of rows/);
    assert.throws(() => parseTable('{'), /not JSON/);
  });

  it('pages a table of 100,000 rows sorted by a column', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `row ${i}`, (i * 7919) % 1000]);
    const t = new TableQuery(parseTable(JSON.stringify({ columns: ['i', 's', 'v'], data: rows })));
    const page = t.page({ column: 2, descending: true }, '', 0, 3);
    assert.equal(page.total, 100_000);
    assert.deepEqual(page.rows.map((r) => r[2]), [999, 999, 999]);
  });
});
