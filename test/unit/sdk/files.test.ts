// run.save(), artifacts (log_artifact / use_artifact) and alerts.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cleanTemps, Workspace, type PyResult } from '../../harness/python';
import type { JsonRecord } from '../../harness/jsonl';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

const sha = (data: string): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

describe('SDK: files, artifacts, alerts', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('save() copies a file into <run>/files keeping its relative name and records it', async () => {
    const ws = new Workspace();
    mkdirSync(join(ws.dir, 'ckpt'));
    writeFileSync(join(ws.dir, 'ckpt', 'model.pt'), 'weights');
    writeFileSync(join(ws.dir, 'notes.txt'), 'hello');
    const result = await ws.py(`
import os, runlog
run = runlog.init(project="p")
print(run.save("ckpt/model.pt"))
print(run.save(os.path.abspath("notes.txt")))
print(run.save("ckpt/*.pt"))
run.finish()
`);
    ok(result);
    // As W&B: a relative path keeps its path, an absolute one keeps one folder level.
    const top = basename(ws.dir);
    assert.equal(result.stdout, `['files/ckpt/model.pt']\n['files/${top}/notes.txt']\n['files/ckpt/model.pt']\n`);
    const dir = ws.onlyRun('p');
    assert.equal(readFileSync(join(dir, 'files', 'ckpt', 'model.pt'), 'utf8'), 'weights');
    assert.equal(readFileSync(join(dir, 'files', top, 'notes.txt'), 'utf8'), 'hello');
    const files = ws.events(dir, 'file').map(({ ts: _ts, ...r }) => r as JsonRecord);
    assert.deepEqual(files, [
      { type: 'file', path: 'files/ckpt/model.pt', size: 7 },
      { type: 'file', path: `files/${top}/notes.txt`, size: 5 },
      { type: 'file', path: 'files/ckpt/model.pt', size: 7 },
    ]);
  });

  it('save() refuses a path that would escape the files folder, and says why', async () => {
    const ws = new Workspace();
    mkdirSync(join(ws.dir, 'sub'));
    writeFileSync(join(ws.dir, 'secret.txt'), 'x');
    const result = await ws.py(`
import os, runlog
os.chdir("sub")
run = runlog.init(project="p")
for path, base in (("../secret.txt", None), ("../secret.txt", "."), ("missing.bin", None)):
    try:
        run.save(path, base_path=base, policy="now")
        print("saved", path)
    except (ValueError, FileNotFoundError) as e:
        print(type(e).__name__, e)
run.finish()
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ValueError runlog: save\(\) refuses '\.\.\/secret\.txt': .*would escape the run's files folder/);
    assert.match(lines[1]!, /^ValueError runlog: save\(\) refuses '\.\.\/secret\.txt'/);
    assert.match(lines[2]!, /^FileNotFoundError runlog: save\(\): no such file: 'missing\.bin'/);
    const dir = ws.onlyRun('p');
    assert.equal(existsSync(join(dir, 'secret.txt')), false);
    assert.deepEqual(ws.events(dir, 'file'), []);
  });

  it('log_artifact() stores files and folders content-addressed, versions changes and reuses identical content', async () => {
    const ws = new Workspace();
    mkdirSync(join(ws.dir, 'data', 'sub'), { recursive: true });
    writeFileSync(join(ws.dir, 'data', 'a.csv'), 'A');
    writeFileSync(join(ws.dir, 'data', 'sub', 'b.csv'), 'BB');
    writeFileSync(join(ws.dir, 'model.bin'), 'v0');
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", id="producer")
def show(a): print(a.name, a.version, a.digest, a.size)
show(run.log_artifact("data", name="dataset"))
show(run.log_artifact("data", name="dataset"))          # same content: same version
show(run.log_artifact("model.bin", type="model"))      # name defaults to the file name
open("model.bin", "w").write("v1")
show(run.log_artifact("model.bin", name="model.bin", type="model"))
show(run.log_artifact("model.bin", name="model.bin", type="model"))
run.finish()
`);
    ok(result);
    const folderDigest = sha(`a.csv\0${sha('A')}\nsub/b.csv\0${sha('BB')}\n`);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `dataset:v0 v0 ${folderDigest} 3`,
      `dataset:v0 v0 ${folderDigest} 3`,
      `model.bin:v0 v0 ${sha('v0')} 2`,
      `model.bin:v1 v1 ${sha('v1')} 2`,
      `model.bin:v1 v1 ${sha('v1')} 2`,
    ]);
    const base = join(ws.store, 'projects', 'p', 'artifacts');
    assert.deepEqual(readdirSync(join(base, 'dataset')), ['v0'], 'no staging folder is left behind');
    assert.deepEqual(readdirSync(join(base, 'model.bin')).sort(), ['v0', 'v1']);
    const manifest = JSON.parse(readFileSync(join(base, 'dataset', 'v0', 'manifest.json'), 'utf8')) as JsonRecord;
    assert.equal(manifest.name, 'dataset');
    assert.equal(manifest.type, 'dataset');
    assert.equal(manifest.version, 'v0');
    assert.equal(manifest.digest, folderDigest);
    assert.equal(manifest.size, 3);
    assert.equal(manifest.run, 'producer');
    assert.equal(typeof manifest.created, 'number');
    assert.deepEqual(manifest.files, [
      { path: 'a.csv', digest: sha('A'), size: 1 },
      { path: 'sub/b.csv', digest: sha('BB'), size: 2 },
    ]);
    assert.equal(readFileSync(join(base, 'dataset', 'v0', 'files', 'sub', 'b.csv'), 'utf8'), 'BB');
    assert.equal(readFileSync(join(base, 'model.bin', 'v1', 'files', 'model.bin'), 'utf8'), 'v1');

    const records = ws.events(ws.runDir('p', 'producer'), 'artifact').map(({ ts: _ts, ...r }) => r as JsonRecord);
    assert.equal(records.length, 5);
    assert.deepEqual(records[0], {
      type: 'artifact', direction: 'output', name: 'dataset', artifact_type: 'dataset', version: 'v0',
      digest: folderDigest, size: 3, path: 'projects/p/artifacts/dataset/v0',
    });
    assert.deepEqual(records.map((r) => `${r.name}:${r.version}:${r.artifact_type}`), [
      'dataset:v0:dataset', 'dataset:v0:dataset', 'model.bin:v0:model', 'model.bin:v1:model', 'model.bin:v1:model',
    ]);
  });

  it('claims a new version atomically when two processes log different content at once', async () => {
    const ws = new Workspace();
    const script = ws.script(`
import sys, time, runlog
open(sys.argv[1], "w").write(sys.argv[1] * 1000)
run = runlog.init(project="p")
time.sleep(max(0, float(sys.argv[2]) - time.time()))
print(run.log_artifact(sys.argv[1], name="shared").version)
run.finish()
`);
    const at = String(Date.now() / 1000 + 1.5);
    const results = await Promise.all(['x', 'y', 'z'].map((n) => ws.run([script, n, at])));
    for (const r of results) ok(r);
    const versions = results.map((r) => r.stdout.trim()).sort();
    assert.deepEqual(versions, ['v0', 'v1', 'v2']);
  });

  it('use_artifact() records the input and returns the stored Artifact (a path-like of its files folder) for name, name:latest or name:vN', async () => {
    const ws = new Workspace();
    writeFileSync(join(ws.dir, 'w.txt'), 'one');
    const result = await ws.py(`
import os, runlog
run = runlog.init(project="p", id="maker")
run.log_artifact("w.txt", name="weights", type="model")
open("w.txt", "w").write("two")
run.log_artifact("w.txt", name="weights", type="model")
run.finish()
run = runlog.init(project="p", id="user")
for ref in ("weights:v0", "weights:latest", "weights"):
    path = run.use_artifact(ref)
    print(ref, os.fspath(path), open(os.path.join(path, "w.txt")).read())
for ref in ("nothing", "weights:v9", "weights:vX"):
    try:
        run.use_artifact(ref)
    except LookupError as e:
        print("LookupError", e)
run.finish()
`);
    ok(result);
    const base = join(ws.store, 'projects', 'p', 'artifacts', 'weights');
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      `weights:v0 ${join(base, 'v0', 'files')} one`,
      `weights:latest ${join(base, 'v1', 'files')} two`,
      `weights ${join(base, 'v1', 'files')} two`,
    ]);
    assert.match(lines[3]!, /^LookupError runlog: no artifact named 'nothing' in project 'p'/);
    assert.match(lines[4]!, /^LookupError runlog: artifact 'weights' has no version 'v9' \(versions: v0, v1\)/);
    assert.match(lines[5]!, /^LookupError runlog: artifact 'weights' has no version 'vX'/);
    const inputs = ws.events(ws.runDir('p', 'user'), 'artifact');
    assert.deepEqual(inputs.map((r) => [r.direction, r.name, r.version, r.artifact_type, r.path]), [
      ['input', 'weights', 'v0', 'model', 'projects/p/artifacts/weights/v0'],
      ['input', 'weights', 'v1', 'model', 'projects/p/artifacts/weights/v1'],
      ['input', 'weights', 'v1', 'model', 'projects/p/artifacts/weights/v1'],
    ]);
  });

  it('alert() records title, text and level (case-insensitive); an unknown level is a clear error', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
run.alert("Loss spike", "loss went up to 9.1", level="warn")
run.alert("Done", "all good")
run.alert("Broken", "NaN loss", level=runlog.AlertLevel.ERROR)
try:
    run.alert("x", "y", level="LOUD")
except ValueError as e:
    print("ValueError", e)
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, "ValueError runlog: alert level must be one of INFO, WARN, ERROR; got 'LOUD'\n");
    const alerts = ws.events(ws.onlyRun('p'), 'alert').map(({ ts: _ts, ...r }) => r as JsonRecord);
    assert.deepEqual(alerts, [
      { type: 'alert', title: 'Loss spike', text: 'loss went up to 9.1', level: 'WARN' },
      { type: 'alert', title: 'Done', text: 'all good', level: 'INFO' },
      { type: 'alert', title: 'Broken', text: 'NaN loss', level: 'ERROR' },
    ]);
  });
});
