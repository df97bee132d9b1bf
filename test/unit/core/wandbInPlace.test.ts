import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importRuns } from '../../../src/core/sources/importer';
import { readFrames } from '../../../src/core/sources/wandb/logFormat';
import { InPlaceRuns } from '../../../src/core/sources/inPlace';
import { WandbSource } from '../../../src/core/sources/wandb/WandbSource';
import { Store } from '../../../src/core/store/Store';
import { appendWandbRecords, copyWandbFixtures, rec, removeWandbTemps, tempDir, writeWandbRun } from '../../fixtures/wandbFiles';

/** Every file under `dir`, relative to it, with its size. */
function tree(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = statSync(join(e.parentPath, e.name)).size;
  }
  return out;
}

/** The files of each run folder of the store (`project/id` → names). */
function runFolders(store: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const project of readdirSync(join(store, 'projects'))) {
    for (const id of readdirSync(join(store, 'projects', project, 'runs'))) {
      out[`${project}/${id}`] = readdirSync(join(store, 'projects', project, 'runs', id), { recursive: true }).map(String).sort();
    }
  }
  return out;
}

const historyRows = (s: Store, key: string, metric: string): number[] => Array.from(s.getHistory(key, metric).steps);

describe('W&B runs read in place (index only, no copy in the store)', function () {
  this.timeout(60_000);
  after(removeWandbTemps);

  it('indexes every fixture run from its .wandb file; after a notes and tags edit the store holds only source.json and edits.jsonl', () => {
    const { root, wandbDir, folder } = copyWandbFixtures();
    const storeDir = join(root, '.runlog');
    const before = tree(wandbDir);
    const linked = new InPlaceRuns(new WandbSource(), storeDir).link([wandbDir]);
    assert.equal(linked.changed.length, 6);
    const s = Store.open(storeDir);
    try {
      const basics = s.getRun('fixtures/basics01');
      assert.ok(basics, 'basics01 is in the index');
      assert.deepEqual([basics.name, basics.state, basics.source?.label], ['calm-river-1', 'finished', 'W&B']);
      assert.equal(s.hasSourcedRuns(), true, 'a W&B run is in the store (the walkthrough checks its step off)');
      assert.deepEqual([...basics.tags].sort(), ['baseline', 'näive']);
      assert.equal(basics.config['model/depth'], 4);
      assert.equal(basics.summary.best_acc, 0.91);
      assert.deepEqual(historyRows(s, 'fixtures/basics01', 'train/loss'), [0, 1, 2, 3, 4]);
      assert.deepEqual(Array.from(s.getHistory('fixtures/basics01', 'val/loss').values), [null]);
      assert.equal(s.getHistory('fixtures/basics01', 'val/acc').values[0], Infinity);
      assert.ok(s.readOutput('fixtures/basics01', 0, 100).some((l) => l.text.includes('warning at epoch 4')));
      assert.deepEqual([s.getRun('fixtures/failed05')?.state, s.getRun('fixtures/failed05')?.exitCode], ['failed', 3]);
      assert.deepEqual(historyRows(s, 'fixtures/resume04', 'loss'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.ok((s.getRun('fixtures/system03')?.systemMetrics.length ?? 0) > 0, 'system03 has system metrics');
      const killed = s.getRun('wandb/killed06');
      assert.equal(killed?.state, 'crashed');
      assert.ok(killed?.alerts.some((a) => a.level === 'WARN' && /only W&B's file header/.test(a.text)), 'killed06 carries a note saying why it is empty');
      // Media: indexed with W&B's own paths, served from the W&B folder's files/ (nothing linked or copied).
      const media = s.getRun('fixtures/media002')!;
      const [wandbRun] = folder('media002');
      assert.deepEqual(media.fileRoots, [join(storeDir, 'projects', 'fixtures', 'runs', 'media002'), wandbRun, join(wandbRun!, 'files')]);
      // The compare page's media roots for the project: every W&B folder its runs read in place, from one SQL read.
      const expected = new Set(s.listRuns('fixtures').flatMap((r) => s.getRun(r.key)!.fileRoots?.slice(1) ?? []));
      assert.ok(expected.has(wandbRun!));
      assert.deepEqual(new Set(s.sourceFileRoots('fixtures')), expected);
      assert.deepEqual(s.sourceFileRoots('no-such-project'), []);
      const items = s.listMedia('fixtures/media002').filter((m) => m.kind !== 'histogram');
      assert.ok(items.length >= 4);
      for (const item of items) {
        const found: string | undefined = media.fileRoots!.map((d) => join(d, item.path)).find((p) => statSync(p, { throwIfNoEntry: false }));
        assert.ok(found?.startsWith(wandbRun!), `${item.path} is read from the W&B folder`);
        assert.equal(statSync(found!).size, item.size);
      }

      // The Files tab lists W&B's record file (found in the W&B folder) and W&B's saved files.
      const basicsFiles = s.getRun('fixtures/basics01')!.files.map((f) => f.path);
      assert.ok(basicsFiles.includes('run-basics01.wandb'), basicsFiles.join(', '));
      assert.ok(basicsFiles.includes('files/requirements.txt'), basicsFiles.join(', '));
      for (const path of basicsFiles) {
        assert.ok(s.getRun('fixtures/basics01')!.fileRoots!.some((d) => statSync(join(d, path), { throwIfNoEntry: false })), `${path} resolves against the run's folders`);
      }

      s.setNotes('fixtures/basics01', 'read in place');
      s.setTags('fixtures/basics01', ['mine']);
      s.sync();
      assert.deepEqual([s.getRun('fixtures/basics01')?.notes, s.getRun('fixtures/basics01')?.tags], ['read in place', ['mine']]);
    } finally {
      s.close();
    }
    const folders = runFolders(storeDir);
    assert.equal(Object.keys(folders).length, 6);
    for (const [key, names] of Object.entries(folders)) {
      assert.deepEqual(names, key === 'fixtures/basics01' ? ['edits.jsonl', 'source.json'] : ['source.json'], `${key} holds no copied record or file`);
    }
    assert.deepEqual(tree(wandbDir), before, "W&B's files are never written");
    // A reopen reads nothing twice, and the edits stay Runlog's.
    const again = Store.open(storeDir);
    try {
      assert.deepEqual(historyRows(again, 'fixtures/basics01', 'train/loss'), [0, 1, 2, 3, 4]);
      assert.equal(again.getRun('fixtures/basics01')?.notes, 'read in place');
    } finally {
      again.close();
    }
  });

  it('a grown .wandb adds only its new rows, across reopens of the store (the cursor is committed with the rows)', () => {
    const root = tempDir();
    const wandb = join(root, 'wandb');
    const storeDir = join(root, '.runlog');
    const { file, log } = writeWandbRun(wandb, 'grow0001', [rec.run({ id: 'grow0001', project: 'p' }), rec.history(0, { loss: '1' }), rec.output('stdout', 'epoch 0\n')]);
    const runs = new InPlaceRuns(new WandbSource(), storeDir);
    runs.link([wandb]);
    let s = Store.open(storeDir);
    assert.deepEqual(historyRows(s, 'p/grow0001', 'loss'), [0]);
    assert.equal(s.getRun('p/grow0001')?.outputLines, 1);
    s.close();

    appendWandbRecords(file, log, [rec.history(1, { loss: '0.5' }), rec.output('stdout', 'epoch 1\n'), rec.history(2, { loss: '0.25' })]);
    assert.deepEqual(runs.link([wandb]).changed, ['p/grow0001']);
    s = Store.open(storeDir);
    assert.deepEqual(historyRows(s, 'p/grow0001', 'loss'), [0, 1, 2]);
    assert.deepEqual(s.readOutput('p/grow0001', 0, 10).map((l) => l.text), ['epoch 0', 'epoch 1']);
    s.close();

    appendWandbRecords(file, log, [rec.history(3, { loss: '0.125' }), rec.exit(0)]);
    s = Store.open(storeDir);
    s.syncRuns(['p/grow0001']);
    assert.deepEqual(historyRows(s, 'p/grow0001', 'loss'), [0, 1, 2, 3]);
    assert.equal(s.getRun('p/grow0001')?.state, 'finished');
    assert.equal(s.getHistory('p/grow0001', 'loss').values.length, 4, 'no step read twice');
    s.close();
    s = Store.open(storeDir, { openPass: 'all' });
    assert.deepEqual(historyRows(s, 'p/grow0001', 'loss'), [0, 1, 2, 3]);
    assert.equal(s.getRun('p/grow0001')?.outputLines, 2);
    s.close();
    assert.deepEqual(runFolders(storeDir), { 'p/grow0001': ['source.json'] });
  });

  it('a corrupt chunk and a half-written record give one note each on the run, never a crash; rechecks add no second note', () => {
    const root = tempDir();
    const wandb = join(root, 'wandb');
    const storeDir = join(root, '.runlog');
    const records = [rec.run({ id: 'dmg00001', project: 'p' })];
    for (let i = 0; i < 5; i++) records.push(rec.history(i, { loss: String(1 / (i + 1)) }));
    const { file } = writeWandbRun(wandb, 'dmg00001', records);
    const bytes = readFileSync(file);
    // Flip a byte inside the third history record's payload, and cut the last record in half.
    const frames = readFrames(bytes.subarray(7), 7);
    let at = 7;
    for (let i = 0; i < 3; i++) at += 7 + frames.records[i]!.length;
    bytes[at + 7 + 3] = bytes[at + 7 + 3]! ^ 0xff;
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    new InPlaceRuns(new WandbSource(), storeDir).link([wandb]);
    let clock = Date.now() / 1000 + 3600; // an hour later: the writer is gone
    const s = Store.open(storeDir, { env: { now: () => clock } });
    try {
      const notes = (): string[] => s.getRun('p/dmg00001')!.alerts.filter((a) => a.title === 'Read from W&B').map((a) => a.text);
      assert.deepEqual(historyRows(s, 'p/dmg00001', 'loss'), [0, 1, 3]);
      assert.equal(s.getRun('p/dmg00001')?.state, 'crashed');
      assert.equal(notes().filter((t) => /1 corrupt chunk skipped/.test(t)).length, 1, notes().join('\n'));
      assert.equal(notes().filter((t) => /ends inside a record/.test(t)).length, 1, notes().join('\n'));
      assert.equal(notes().filter((t) => /checksum mismatch/.test(t)).length, 1, notes().join('\n'));
      const before = notes();
      clock += 60; // past the recheck: the file is read again from the cursor
      s.syncRuns(['p/dmg00001']);
      s.sync();
      assert.deepEqual(notes(), before);
      assert.deepEqual(historyRows(s, 'p/dmg00001', 'loss'), [0, 1, 3]);
    } finally {
      s.close();
    }
  });

  it('a run the earlier live mirror copied into the store is converted: its copy goes, its edits stay, nothing doubles; an explicit import stays a copy', () => {
    const { root, wandbDir } = copyWandbFixtures('basics01', 'failed05');
    const storeDir = join(root, '.runlog');
    const source = new WandbSource();
    importRuns(source, [wandbDir], storeDir);
    // The earlier mirror wrote the same marker as `runlog import`, with no mode.
    const basicsDir = join(storeDir, 'projects', 'fixtures', 'runs', 'basics01');
    const marker = JSON.parse(readFileSync(join(basicsDir, 'source.json'), 'utf8')) as Record<string, unknown>;
    delete marker.mode;
    writeFileSync(join(basicsDir, 'source.json'), JSON.stringify(marker));
    let s = Store.open(storeDir);
    s.setNotes('fixtures/basics01', 'noted on the copy');
    assert.deepEqual(historyRows(s, 'fixtures/basics01', 'train/loss'), [0, 1, 2, 3, 4]);
    s.close();

    const linked = new InPlaceRuns(source, storeDir).link([wandbDir]);
    assert.deepEqual(linked.converted, ['fixtures/basics01']);
    assert.deepEqual(runFolders(storeDir)['fixtures/basics01'], ['edits.jsonl', 'source.json']);
    assert.ok(runFolders(storeDir)['fixtures/failed05']!.includes('events.jsonl'), 'the import made on purpose keeps its copy');
    s = Store.open(storeDir);
    try {
      const basics = s.getRun('fixtures/basics01');
      assert.deepEqual([basics?.name, basics?.state, basics?.notes], ['calm-river-1', 'finished', 'noted on the copy']);
      assert.deepEqual(historyRows(s, 'fixtures/basics01', 'train/loss'), [0, 1, 2, 3, 4]);
      assert.equal(s.readOutput('fixtures/basics01', 0, 1000).filter((l) => l.text.includes('warning at epoch 4')).length, 1, 'output not doubled');
      assert.equal(basics?.alerts.filter((a) => a.title === 'Read from W&B').length, 0);
      assert.deepEqual([s.getRun('fixtures/failed05')?.state, s.getRun('fixtures/failed05')?.exitCode], ['failed', 3]);
    } finally {
      s.close();
    }
  });
});
