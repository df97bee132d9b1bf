// The code a run ran: the SDK records its git commit and working-tree diff at init() (real git,
// real repositories), and the editor's side rebuilds it: two runs' differences, a checkout.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutRunCode, codeDifferences, readRunCode, sortedJson } from '../../../src/extension/code/runCode';
import { cleanTemps, tempDir, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
}

const TRAIN = 'import runlog\nrun = runlog.init(project="p", config={"lr": LR})\nrun.log({"loss": 1.0})\nrun.finish()\n';

/** A workspace that is a git repository with train.py and a helper module committed. */
function repoWorkspace(python?: string): Workspace {
  const ws = new Workspace(python);
  git(ws.dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(ws.dir, 'train.py'), TRAIN.replace('LR', '0.1'));
  writeFileSync(join(ws.dir, 'model.py'), 'LAYERS = 2\n');
  writeFileSync(join(ws.dir, '.gitignore'), '*.ckpt\n');
  git(ws.dir, 'add', '.');
  git(ws.dir, 'commit', '-q', '-m', 'first');
  return ws;
}

describe('SDK: the code a run ran', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('records the commit and the working-tree diff with small untracked text files, and nothing else', async () => {
    const ws = repoWorkspace();
    const commit = git(ws.dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(ws.dir, 'model.py'), 'LAYERS = 4  # deeper\n');
    writeFileSync(join(ws.dir, 'notes with space.txt'), 'try a deeper model');
    writeFileSync(join(ws.dir, 'weights.bin'), Buffer.from([1, 0, 2, 0]));
    writeFileSync(join(ws.dir, 'big.txt'), 'x'.repeat(200 * 1024));
    writeFileSync(join(ws.dir, 'model.ckpt'), 'ignored by .gitignore');
    ok(await ws.run(['train.py']));
    const runDir = ws.onlyRun('p');
    const info = JSON.parse(readFileSync(join(runDir, 'code', 'code.json'), 'utf8'));
    assert.equal(info.commit, commit);
    assert.equal(info.branch, 'main');
    assert.equal(info.diff, 'diff.patch');
    assert.deepEqual(info.untracked, ['notes with space.txt']);
    assert.deepEqual(info.skipped.map((s: { path: string; why: string }) => `${s.path}: ${s.why}`), ['big.txt: larger than 102400 bytes', 'weights.bin: binary']);
    const patch = readFileSync(join(runDir, 'code', 'diff.patch'), 'utf8');
    assert.match(patch, /^-LAYERS = 2$/m);
    assert.match(patch, /^\+LAYERS = 4 {2}# deeper$/m);
    assert.match(patch, /^\+try a deeper model$/m);
    assert.doesNotMatch(patch, /ignored by \.gitignore/);
    assert.doesNotMatch(patch, /events\.jsonl/, 'the run store inside the repository is not code');

    // Checked out into a new folder: the commit plus the diff, exactly the files the run saw.
    const dest = join(tempDir(), 'restored');
    const code = readRunCode(runDir)!;
    const count = await checkoutRunCode(code, dest);
    assert.equal(readFileSync(join(dest, 'model.py'), 'utf8'), 'LAYERS = 4  # deeper\n');
    assert.equal(readFileSync(join(dest, 'notes with space.txt'), 'utf8'), 'try a deeper model');
    assert.equal(readFileSync(join(dest, 'train.py'), 'utf8'), TRAIN.replace('LR', '0.1'));
    assert.ok(!existsSync(join(dest, 'weights.bin')) && !existsSync(join(dest, 'model.ckpt')));
    assert.equal(count, 4, 'train.py, model.py, .gitignore, the untracked note');
    // The user's tree is untouched, and a folder that has files is refused.
    assert.deepEqual(git(ws.dir, 'status', '--porcelain').split('\n').filter(Boolean), [' M model.py', '?? big.txt', '?? "notes with space.txt"', '?? store/', '?? weights.bin']);
    await assert.rejects(checkoutRunCode(code, dest), /is not empty; choose a new or empty folder/);
  });

  it('shows what changed between two runs, committed or not, and their configs as sorted JSON', async () => {
    const ws = repoWorkspace();
    ok(await ws.run(['train.py']));
    // Second run: a commit changes train.py, and an uncommitted edit changes model.py.
    writeFileSync(join(ws.dir, 'train.py'), TRAIN.replace('LR', '0.05'));
    git(ws.dir, 'commit', '-q', '-am', 'lower lr');
    writeFileSync(join(ws.dir, 'model.py'), 'LAYERS = 3\n');
    mkdirSync(join(ws.dir, 'data'));
    writeFileSync(join(ws.dir, 'data', 'prep.py'), 'print("new")\n');
    ok(await ws.run(['train.py']));
    const [first, second] = ws.runIds('p').map((id) => readRunCode(ws.runDir('p', id))!).sort((a, b) => (a.patch ? 1 : 0) - (b.patch ? 1 : 0));
    assert.equal(first!.patch, undefined, 'the first run ran a clean tree');
    const diffs = await codeDifferences(first!, second!);
    assert.deepEqual(diffs.map((d) => d.path), ['data/prep.py', 'model.py', 'train.py']);
    const byPath = Object.fromEntries(diffs.map((d) => [d.path, d]));
    assert.deepEqual([byPath['model.py']!.left, byPath['model.py']!.right], ['LAYERS = 2\n', 'LAYERS = 3\n']);
    assert.equal(byPath['data/prep.py']!.left, undefined);
    assert.match(byPath['train.py']!.right!, /"lr": 0\.05/);
    assert.equal(sortedJson({ lr: 0.1, a: { z: 1, b: [2, { d: 1, c: 0 }] } }), '{\n  "a": {\n    "b": [\n      2,\n      {\n        "c": 0,\n        "d": 1\n      }\n    ],\n    "z": 1\n  },\n  "lr": 0.1\n}\n');
  });

  it('records nothing, and still starts the run, when off, outside a repository or without git', async () => {
    const ws = repoWorkspace();
    ok(await ws.run(['train.py'], { RUNLOG_CODE: '0' }));
    assert.ok(!existsSync(join(ws.onlyRun('p'), 'code')), 'RUNLOG_CODE=0 records no code');
    const plain = new Workspace();
    writeFileSync(join(plain.dir, 'train.py'), TRAIN.replace('LR', '1'));
    ok(await plain.run(['train.py']));
    assert.ok(!existsSync(join(plain.onlyRun('p'), 'code')), 'no repository, no code record');
    // PATH holds no git (the interpreter is named by its full path).
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const noGit = repoWorkspace(python);
    ok(await noGit.run(['train.py'], { PATH: tempDir() }));
    assert.ok(!existsSync(join(noGit.onlyRun('p'), 'code')), 'git missing: no code record');
  });
});
