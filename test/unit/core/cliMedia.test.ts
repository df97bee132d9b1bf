// `runlog media` and `runlog export --key` over a run with media records and a table file.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';

async function cli(args: string[], dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--dir', dir], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: dir });
  return { code, stdout, stderr };
}

describe('CLI: media', function () {
  this.timeout(30_000);
  afterEach(removeStores);

  function write(): string {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'p', 'run00001').init();
    mkdirSync(join(b.dir, 'media'), { recursive: true });
    writeFileSync(join(b.dir, 'media', 't1.table.json'), JSON.stringify({ columns: ['id', 'img', 'note, "quoted"'], data: [[1, { _type: 'image-file', path: 'media/a.png' }, 'a,b'], [2, null, 'line\nbreak']] }));
    b.record({ type: 'media', ts: 1, key: 'img', step: 0, kind: 'image', path: 'media/a.png', size: 3, sha256: 'f'.repeat(64), width: 4, height: 2, caption: 'hi' })
      .record({ type: 'media', ts: 2, key: 'preds', step: 1, kind: 'table', path: 'media/t1.table.json', size: 9, sha256: 'e'.repeat(64), columns: ['id', 'img', 'note, "quoted"'], rows: 2 })
      .record({ type: 'media', ts: 3, key: 'w', step: 1, kind: 'histogram', bins: [0, 1, 2], counts: [1, 1] })
      .write();
    return dir;
  }

  it('lists a run\'s media with the kind\'s fields, one key with --key, as JSON with --json', async () => {
    const dir = write();
    const all = await cli(['media', 'run00001'], dir);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/)), [
      ['KEY', 'STEP', 'INDEX', 'KIND', 'PATH', 'FIELDS'],
      ['img', '0', '0', 'image', 'media/a.png', '4x2; "hi"'],
      ['preds', '1', '0', 'table', 'media/t1.table.json', '2 rows; columns id, img, note, "quoted"'],
      ['w', '1', '0', 'histogram', '-', '2 bins'],
    ]);
    const one = await cli(['media', 'run00001', '--key', 'w', '--json'], dir);
    const parsed = JSON.parse(one.stdout) as { key: string; fields: unknown; storePath: string }[];
    assert.deepEqual(parsed.map((m) => [m.key, m.fields]), [['w', { bins: [0, 1, 2], counts: [1, 1] }]]);
    const missing = await cli(['media', 'run00001', '--key', 'nope'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /has no media key "nope" \(media keys: img, preds, w\)/);
  });

  it('exports a table as CSV (image cells as their path), and says which steps exist', async () => {
    const dir = write();
    const out = await cli(['export', 'run00001', '--key', 'preds', '--format', 'csv'], dir);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'id,img,"note, ""quoted"""\n1,media/a.png,"a,b"\n2,,"line\nbreak"\n');
    const wrong = await cli(['export', 'run00001', '--key', 'preds', '--step', '5', '--format', 'csv'], dir);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /table "preds" of run p\/run00001 has no step 5 \(steps: 1\)/);
    const jsonl = await cli(['export', 'run00001', '--key', 'preds', '--format', 'jsonl'], dir);
    assert.equal(jsonl.code, 1);
    assert.match(jsonl.stderr, /a table \(--key\) exports as --format csv/);
  });
});
