// Path containment for file actions a webview asks for: whatever the message says, nothing
// outside the run directory is opened, revealed or copied. Real files and symlinks on disk.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInside } from '../../../src/extension/runPage/runFiles';

describe('run file paths from a webview', () => {
  let root: string;
  let runDir: string;
  let outside: string;

  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'runlog-files-')));
    runDir = join(root, 'store', 'projects', 'p', 'runs', 'r1');
    mkdirSync(join(runDir, 'files', 'ckpt'), { recursive: true });
    writeFileSync(join(runDir, 'files', 'ckpt', 'model.pt'), 'weights');
    writeFileSync(join(runDir, 'output.jsonl'), '{}\n');
    outside = join(root, 'secret.txt');
    writeFileSync(outside, 'secret');
    mkdirSync(join(root, 'store', 'projects', 'p', 'runs', 'r10'), { recursive: true });
    writeFileSync(join(root, 'store', 'projects', 'p', 'runs', 'r10', 'x.txt'), 'sibling');
    symlinkSync(outside, join(runDir, 'files', 'link-out.txt'));
    symlinkSync(root, join(runDir, 'files', 'dir-out'));
    symlinkSync(join(runDir, 'files', 'ckpt', 'model.pt'), join(runDir, 'files', 'link-in.pt'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('resolves files inside the run directory', async () => {
    assert.deepEqual(await resolveInside(runDir, 'files/ckpt/model.pt'), { ok: true, path: join(runDir, 'files', 'ckpt', 'model.pt') });
    assert.deepEqual(await resolveInside(runDir, 'output.jsonl'), { ok: true, path: join(runDir, 'output.jsonl') });
    assert.deepEqual(await resolveInside(runDir, 'files\\ckpt\\model.pt'), { ok: true, path: join(runDir, 'files', 'ckpt', 'model.pt') });
  });

  it('follows a symlink that stays inside', async () => {
    assert.deepEqual(await resolveInside(runDir, 'files/link-in.pt'), { ok: true, path: join(runDir, 'files', 'ckpt', 'model.pt') });
  });

  for (const [what, path] of [
    ['.. segments', '../../../../secret.txt'],
    ['.. in the middle', 'files/../../r10/x.txt'],
    ['an absolute path', '/etc/passwd'],
    ['an absolute path to a file that exists', '/tmp'],
    ['a Windows drive path', 'C:\\Windows\\win.ini'],
    ['a UNC path', '\\\\server\\share\\x'],
    ['a NUL byte', 'files/model.pt\u0000.txt'],
    ['an empty path', ''],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const result = await resolveInside(runDir, path);
      assert.equal(result.ok, false);
    });
  }

  it('refuses a symlink to a file outside', async () => {
    const result = await resolveInside(runDir, 'files/link-out.txt');
    assert.deepEqual(result, { ok: false, reason: '"files/link-out.txt" is a link that points outside the run directory.' });
  });

  it('refuses a path through a symlinked folder outside', async () => {
    const result = await resolveInside(runDir, 'files/dir-out/secret.txt');
    assert.equal(result.ok, false);
  });

  it('refuses a sibling run whose name starts the same', async () => {
    const result = await resolveInside(runDir, '../r10/x.txt');
    assert.equal(result.ok, false);
  });

  it('refuses a file that does not exist', async () => {
    assert.deepEqual(await resolveInside(runDir, 'files/none.bin'), { ok: false, reason: '"files/none.bin" does not exist in the run directory.' });
  });
});
