// Media records (format v1.1) through ingest into the index and out of RunlogStore, and the
// table pages the run page reads (core/media/tableData).

import * as assert from 'node:assert/strict';
import { MAX_BOXES, readBoxLayers, readMaskLayers } from '../../../src/core/media/overlays';
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

describe('image overlays (core/media/overlays)', () => {
  it('reads W&B box sets into corners (both position forms), names classes, and leaves malformed boxes out, counted', () => {
    const layers = readBoxLayers({
      pred: {
        box_data: [
          { position: { minX: 0.1, minY: 0.2, maxX: 0.5, maxY: 0.6 }, class_id: 0, box_caption: '<b>cat</b>', scores: { p: 0.5, bad: 'x' } },
          { position: { middle: [30, 20], width: 10, height: 8 }, domain: 'pixel', class_id: 4 },
          { position: { minX: 0.5, minY: 0, maxX: 0.1, maxY: 1 }, class_id: 0 },
          { position: { x: 1 } },
          { position: { minX: 0, minY: 0, maxX: 1, maxY: 1 }, class_id: -1 },
        ],
        class_labels: { 0: 'cat', 1: 'dog', x: 'bad' },
      },
      broken: { boxes: [] },
      gt: { box_data: [{ position: { minX: 0, minY: 0, maxX: 1, maxY: 1 } }] },
    });
    assert.deepEqual(layers, [
      { name: 'gt', classes: [{ id: 0, name: 'class_0' }], boxes: [{ minX: 0, minY: 0, maxX: 1, maxY: 1, pixel: false, classId: 0 }], skipped: 0 },
      {
        name: 'pred',
        classes: [{ id: 0, name: 'cat' }, { id: 1, name: 'dog' }, { id: 4, name: 'class_4' }],
        boxes: [
          { minX: 0.1, minY: 0.2, maxX: 0.5, maxY: 0.6, pixel: false, classId: 0, caption: '<b>cat</b>', scores: { p: 0.5 } },
          { minX: 25, minY: 16, maxX: 35, maxY: 24, pixel: true, classId: 4 },
        ],
        skipped: 3,
      },
    ]);
    assert.deepEqual(readBoxLayers('nope'), []);
    assert.equal(readBoxLayers({ many: { box_data: Array.from({ length: MAX_BOXES + 5 }, () => ({ position: { minX: 0, minY: 0, maxX: 1, maxY: 1 } })) } })[0]!.skipped, 5);
  });

  it('reads masks with their path and named classes; a mask without a path is left out', () => {
    assert.deepEqual(readMaskLayers({ seg: { path: 'media/m.png', width: 4, height: 3, class_labels: { 2: 'sky', 1: 'road' } }, nopath: { class_labels: {} } }), [
      { name: 'seg', path: 'media/m.png', classes: [{ id: 1, name: 'road' }, { id: 2, name: 'sky' }] },
    ]);
  });
});
