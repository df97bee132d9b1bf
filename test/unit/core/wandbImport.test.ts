import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { Store } from '../../../src/core/store/Store';
import { appendWandbRecords, copyWandbFixtures, rec, removeWandbTemps, tempDir, writeWandbRun } from '../../fixtures/wandbFiles';

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd });
  return { code, stdout, stderr };
}

const lineCount = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

describe('runlog import (W&B runs into the store)', function () {
  this.timeout(60_000);
  after(removeWandbTemps);

  it('imports every fixture run as an ordinary Runlog run, and a second import adds nothing', async () => {
    const { root, wandbDir, folder } = copyWandbFixtures();
    const store = join(root, '.runlog');
    const first = await cli(['--dir', store, 'import', wandbDir], root);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /imported 6 W&B runs into .*: 6 new, 0 grown, 0 unchanged/);
    assert.match(first.stdout, /note: wandb\/killed06: .*only W&B's file header/);
    const runDir = join(store, 'projects', 'fixtures', 'runs', 'basics01');
    const sizes = ['events.jsonl', 'output.jsonl', 'system.jsonl'].map((f) => lineCount(join(runDir, f)));

    const s = Store.open(store);
    try {
      const basics = s.getRun('fixtures/basics01');
      assert.ok(basics, 'basics01 is in the index');
      assert.equal(basics.name, 'calm-river-1');
      assert.equal(basics.state, 'finished');
      assert.equal(basics.source?.label, 'W&B');
      assert.match(basics.source?.path ?? '', /offline-run-\d{8}_\d{6}-basics01$/);
      assert.deepEqual([...basics.tags].sort(), ['baseline', 'näive']);
      assert.equal(basics.config['model/depth'], 4);
      assert.equal(basics.summary.best_acc, 0.91);
      const loss = s.getHistory('fixtures/basics01', 'train/loss');
      assert.deepEqual(Array.from(loss.steps), [0, 1, 2, 3, 4]);
      const nan = s.getHistory('fixtures/basics01', 'val/loss');
      assert.deepEqual([Array.from(nan.steps), Array.from(nan.values)], [[5], [null]]); // the index reads NaN back as null
      assert.match(readFileSync(join(runDir, 'events.jsonl'), 'utf8'), /"val\/loss":NaN,"val\/acc":Infinity/);
      assert.equal(s.getHistory('fixtures/basics01', 'val/acc').values[0], Infinity);
      assert.ok(s.readOutput('fixtures/basics01', 0, 100).some((l) => l.text.includes('warning at epoch 4')));
      const failed = s.getRun('fixtures/failed05');
      assert.deepEqual([failed?.state, failed?.exitCode], ['failed', 3]);
      const resumed = s.getHistory('fixtures/resume04', 'loss');
      assert.deepEqual(Array.from(resumed.steps), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // The header-only run exists, crashed: its note is dated by its last record, not by the import.
      assert.equal(s.getRun('wandb/killed06')?.state, 'crashed');
      // W&B's media: indexed as media records naming files under the run's media/ (not copied twice into files/).
      const mediaDir = join(store, 'projects', 'fixtures', 'runs', 'media002');
      assert.deepEqual(
        s.listMediaKeys('fixtures/media002').map((k) => [k.key, k.kind, k.count, k.firstStep, k.lastStep]),
        [['predictions', 'table', 1, 3, 3], ['sample', 'image', 3, 0, 2], ['weights', 'histogram', 3, 0, 2]],
      );
      for (const item of s.listMedia('fixtures/media002')) {
        if (item.kind === 'histogram') continue;
        assert.equal(statSync(join(mediaDir, item.path)).size, item.size, `${item.path} is copied whole`);
      }
      assert.deepEqual(s.listMedia('fixtures/media002', { key: 'predictions' })[0]?.fields.columns, ['id', 'label', 'score', 'image']);
      assert.equal(existsSync(join(mediaDir, 'files', 'media')), false);
      // Stored once: media files (named by content, never rewritten) are hard links to W&B's on one file system; other files are copies.
      const [wandbRun] = folder('media002');
      const image = s.listMedia('fixtures/media002', { key: 'sample' })[0]!;
      assert.equal(statSync(join(mediaDir, image.path)).ino, statSync(join(wandbRun!, 'files', image.path)).ino);
      assert.notEqual(statSync(join(mediaDir, 'files', 'requirements.txt')).ino, statSync(join(wandbRun!, 'files', 'requirements.txt')).ino);
    } finally {
      s.close();
    }

    const second = await cli(['--dir', store, 'import', wandbDir], root);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /0 new, 0 grown, 6 unchanged \(0 records written\)/);
    assert.deepEqual(['events.jsonl', 'output.jsonl', 'system.jsonl'].map((f) => lineCount(join(runDir, f))), sizes);
  });

  it('a grown source adds only what is new; a Runlog run of the same id and a non-W&B path are skipped with a reason', async () => {
    const dir = tempDir();
    const wandb = join(dir, 'wandb');
    const { file, log } = writeWandbRun(wandb, 'grow0001', [rec.run({ id: 'grow0001', project: 'p' }), rec.history(0, { loss: '1' })]);
    const store = join(dir, '.runlog');
    assert.equal((await cli(['--dir', store, 'import', wandb], dir)).code, 0);
    appendWandbRecords(file, log, [rec.history(1, { loss: '0.5' }), rec.history(2, { loss: '0.25' }), rec.exit(0)]);
    const again = await cli(['--dir', store, 'import', file], dir);
    assert.match(again.stdout, /0 new, 1 grown, 0 unchanged \(3 records written\)/);
    const events = readFileSync(join(store, 'projects', 'p', 'runs', 'grow0001', 'events.jsonl'), 'utf8');
    assert.equal(events.split('\n').filter((l) => l.includes('"history"')).length, 3);
    const other = await cli(['--dir', store, 'import', join(dir, 'nothing-here.txt')], dir);
    assert.equal(other.code, 1);
    assert.match(other.stdout, /nothing-here\.txt: cannot be read \(ENOENT\)/);
  });
});
