// Artifact objects as W&B documents them (https://docs.wandb.ai/ref/python/artifact/): building
// (add_file, add_dir, new_file, add_reference), aliases, and reading back with use_artifact.

import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

describe('SDK: Artifact objects', function () {
  this.timeout(30_000);
  afterEach(cleanTemps);

  it('stores add_file/add_dir/new_file/file:// references with description and metadata; other URIs are recorded', async () => {
    const ws = new Workspace();
    mkdirSync(join(ws.dir, 'data', 'sub'), { recursive: true });
    writeFileSync(join(ws.dir, 'data', 'a.csv'), 'A');
    writeFileSync(join(ws.dir, 'data', 'sub', 'b.csv'), 'BB');
    writeFileSync(join(ws.dir, 'model.pt'), 'weights');
    const result = await ws.py(`
import os, runlog
run = runlog.init(project="p", id="maker")
art = runlog.Artifact("mnist", type="dataset", description="the digits", metadata={"rows": 3})
art.add_dir("data", name="raw")
art.add_file("model.pt", name="ckpt/model.ckpt")
with art.new_file("labels.txt") as f:
    f.write("0,1,2")
art.add_reference("file://" + os.path.abspath("data/a.csv"), name="ref/a.csv")
art.add_reference("s3://bucket/big.bin")
print(art.name, art.version, art.state)
logged = run.log_artifact(art, aliases=["best", "candidate"])
print(logged is art, art.name, art.version, art.state, art.aliases)
try:
    art.add_file("model.pt")
except ValueError as e:
    print("ValueError", e)
run.finish()
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), ['mnist None PENDING', "True mnist:v0 v0 COMMITTED ['latest', 'best', 'candidate']"]);
    assert.match(lines[2]!, /^ValueError runlog: Artifact.add_file: mnist:v0 is already stored and cannot change/);
    const vdir = join(ws.store, 'projects', 'p', 'artifacts', 'mnist', 'v0');
    const manifest = JSON.parse(readFileSync(join(vdir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.description, 'the digits');
    assert.deepEqual(manifest.metadata, { rows: 3 });
    assert.deepEqual((manifest.files as { path: string }[]).map((f) => f.path), ['ckpt/model.ckpt', 'labels.txt', 'raw/a.csv', 'raw/sub/b.csv', 'ref/a.csv']);
    assert.match(String((manifest.files as { ref?: string }[])[4]!.ref), /^file:\/\/.*data\/a\.csv$/);
    assert.deepEqual(manifest.references, [{ path: 'big.bin', ref: 's3://bucket/big.bin' }]);
    assert.equal(readFileSync(join(vdir, 'files', 'labels.txt'), 'utf8'), '0,1,2');
    assert.equal(readFileSync(join(vdir, 'files', 'ckpt', 'model.ckpt'), 'utf8'), 'weights');
    const [record] = ws.events(ws.runDir('p', 'maker'), 'artifact');
    assert.deepEqual(record!.aliases, ['best', 'candidate']);
  });

  it('use_artifact("entity/project/name:alias") reads back latest, vN and moved user aliases, and downloads', async () => {
    const ws = new Workspace();
    writeFileSync(join(ws.dir, 'w.txt'), 'one');
    const result = await ws.py(`
import os, runlog
run = runlog.init(project="zoo", id="maker")
a = runlog.Artifact("weights", type="model", metadata={"epoch": 1}); a.add_file("w.txt")
run.log_artifact(a, aliases=["best"])
open("w.txt", "w").write("two")
b = runlog.Artifact("weights", type="model", metadata={"epoch": 2}); b.add_file("w.txt")
run.log_artifact(b)
open("w.txt", "w").write("three")
c = runlog.Artifact("weights", type="model"); c.add_file("w.txt")
run.log_artifact(c, aliases="best")
run.finish()
run = runlog.init(project="other", id="user")
for ref in ("me/zoo/weights:v0", "zoo/weights:v1", "zoo/weights:latest", "zoo/weights:best"):
    art = run.use_artifact(ref, type="model")
    print(ref, art.version, art.aliases, art.metadata, open(art.file(root="out-" + art.version)).read())
art = run.use_artifact("zoo/weights:v0")
print(sorted(os.listdir(art.download("dl"))), art.get_path("w.txt").download("x"), [f.name for f in art.files()])
try:
    run.use_artifact("zoo/weights:nope")
except LookupError as e:
    print("LookupError", e)
run.finish()
`);
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      "me/zoo/weights:v0 v0 [] {'epoch': 1} one",
      "zoo/weights:v1 v1 [] {'epoch': 2} two",
      "zoo/weights:latest v2 ['latest', 'best'] {} three",
      "zoo/weights:best v2 ['latest', 'best'] {} three",
      "['w.txt'] x/w.txt ['w.txt']",
      "LookupError runlog: artifact 'weights' has no version 'nope' (versions: v0, v1, v2, best)",
    ]);
    const inputs = ws.events(ws.runDir('other', 'user'), 'artifact');
    assert.deepEqual(inputs.map((r) => `${r.direction} ${r.name}:${r.version} ${r.path}`).slice(0, 2), [
      'input weights:v0 projects/zoo/artifacts/weights/v0',
      'input weights:v1 projects/zoo/artifacts/weights/v1',
    ]);
  });

  it('refuses bad names, aliases and paths with a message naming them', async () => {
    const ws = new Workspace();
    writeFileSync(join(ws.dir, 'w.txt'), 'x');
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
for make in (lambda: runlog.Artifact("bad name", type="model"),
             lambda: runlog.Artifact("ok", type=""),
             lambda: runlog.Artifact("ok", type="model").add_file("missing.bin"),
             lambda: runlog.Artifact("ok", type="model").add_file("w.txt", name="../escape"),
             lambda: run.log_artifact("w.txt", name="ok", aliases=["has space"])):
    try:
        make()
        print("no error")
    except (ValueError, OSError) as e:
        print(type(e).__name__, e)
run.finish()
`);
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      "ValueError runlog: invalid artifact name 'bad name': use 1-128 characters of A-Z a-z 0-9 . _ -",
      "ValueError runlog: Artifact type must be a non-empty string, got ''",
      `FileNotFoundError runlog: Artifact.add_file: no such file: '${join(ws.dir, 'missing.bin')}'`,
      "ValueError runlog: invalid path inside an artifact: '../escape'",
      "ValueError runlog: invalid artifact alias 'has space': use 1-128 characters of A-Z a-z 0-9 . _ - (not 'vN', which names a version)",
    ]);
  });
});
