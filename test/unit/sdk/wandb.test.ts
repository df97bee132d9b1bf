// The W&B dialect of the SDK (issue 10): init() keywords, config forms, Settings, reinit, modes,
// WANDB_* variables, W&B's names, log() of text, define_metric, run.dir, save/restore/log_code, and
// forked children. Each case runs a real python3 against W&B's documented behaviour.

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, Workspace, type PyResult } from '../../harness/python';
import type { JsonRecord } from '../../harness/jsonl';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stdout}\n${result.stderr}`);
}

function history(ws: Workspace, dir: string): [number, JsonRecord][] {
  return ws.events(dir, 'history').map((r) => [r.step as number, r.data as JsonRecord]);
}

describe('SDK: W&B dialect', function () {
  this.timeout(60_000);
  afterEach(cleanTemps);

  it('init() takes every keyword wandb.init documents, and warns once about one it does not know', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
for i in range(2):
    run = runlog.init(entity="team", project="p", dir=None, id="every%d" % i, name="n", notes="x", tags=["t"],
        config={"a": 1}, config_exclude_keys=None, config_include_keys=None, allow_val_change=True,
        group="g", job_type="train", mode="online", force=False, anonymous="never", reinit="finish_previous",
        resume=None, resume_from=None, fork_from=None, save_code=False, tensorboard=False,
        sync_tensorboard=False, monitor_gym=False, settings=None, future_keyword=1)
    run.finish()
print("done")
`);
    ok(result);
    assert.deepEqual(ws.runIds('p'), ['every0', 'every1']);
    assert.equal(result.stderr.match(/future_keyword/g)?.length, 1, result.stderr);
  });

  it('accepts ids and project names as W&B does: capitals, dots, spaces in projects; shown as given', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrun = runlog.init(project="My Project (v2)", id="ResNet.50-A")\nprint(run.path)\nrun.finish()\n'));
    const dir = ws.runDir('My Project (v2)', 'ResNet.50-A');
    const init = ws.events(dir, 'init')[0]!;
    assert.equal(init.project, 'My Project (v2)');
    assert.equal(init.id, 'ResNet.50-A');
    // A name W&B allows but some file system refuses gets a safe folder; the record keeps the name.
    ok(await ws.py('import runlog\nrunlog.init(project="a|b*", id="x1").finish()\n'));
    assert.equal(ws.events(ws.runDir('a-b-', 'x1'), 'init')[0]!.project, 'a|b*');
  });

  it('config= is a dict, Namespace, SimpleNamespace, dataclass, YAML or JSON path, filtered by include/exclude keys', async () => {
    const ws = new Workspace();
    ws.script('wandb_version: 1\nlr:\n  desc: learning rate\n  value: 0.01\nlayers: [64, 32]\noptimizer:\n  name: adam\n  betas:\n    - 0.9\n    - 0.99\n', 'config.yaml');
    ws.script('{"epochs": 3, "seed": 7}', 'config.json');
    const result = await ws.py(`
import argparse, dataclasses, types, runlog

@dataclasses.dataclass
class Cfg:
    lr: float = 0.1
    depth: int = 4

forms = [
    ("ns", argparse.Namespace(lr=0.2, batch=8), {}),
    ("simple", types.SimpleNamespace(lr=0.3, batch=16), {"config_exclude_keys": ["batch"]}),
    ("dc", Cfg(), {"config_include_keys": ["depth"]}),
    ("yaml", "config.yaml", {}),
    ("json", "config.json", {}),
]
for run_id, config, extra in forms:
    runlog.init(project="p", id=run_id, config=config, **extra).finish()
`);
    ok(result);
    const config = (id: string) => Object.assign({}, ...ws.events(ws.runDir('p', id), 'config').map((r) => r.data as JsonRecord));
    assert.deepEqual(config('ns'), { lr: 0.2, batch: 8 });
    assert.deepEqual(config('simple'), { lr: 0.3 });
    assert.deepEqual(config('dc'), { depth: 4 });
    assert.deepEqual(config('yaml'), { lr: 0.01, layers: [64, 32], optimizer: { name: 'adam', betas: [0.9, 0.99] } });
    assert.deepEqual(config('json'), { epochs: 3, seed: 7 });
  });

  it('Settings takes W&B fields (start_method, silent, console, x_disable_stats) and setup() gives defaults', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
runlog.setup(settings=runlog.Settings(console="off"))
run = runlog.init(project="p", settings=runlog.Settings(start_method="thread", x_disable_stats=True, silent=True))
print("captured?", run.settings.capture_output, run.settings.start_method, run.settings.system_interval, run.settings.quiet)
run.finish()
`, { RUNLOG_QUIET: '' });
    ok(result);
    assert.match(result.stdout, /captured\? False thread 0\.0 True/);
    assert.deepEqual(ws.output(ws.onlyRun('p')), [], 'console="off" from setup() captures nothing');
  });

  it('reinit: create_new keeps the outer run open and logging; the default returns the run in progress', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
outer = runlog.init(project="p", id="outer")
outer.log({"a": 1})
inner = runlog.init(project="p", id="inner", reinit="create_new")
inner.log({"b": 1})
outer.log({"a": 2})
print("global is outer:", runlog.run is outer)
runlog.log({"a": 3})
inner.finish()
again = runlog.init(project="p", id="ignored")
print("returned previous:", again is outer)
new = runlog.init(project="p", id="fresh", reinit=True)
print("outer finished:", outer.finished, "current is new:", runlog.run is new)
new.finish()
`);
    ok(result);
    assert.match(result.stdout, /global is outer: True/);
    assert.match(result.stdout, /returned previous: True/);
    assert.match(result.stdout, /outer finished: True current is new: True/);
    assert.deepEqual(history(ws, ws.runDir('p', 'outer')).map(([, d]) => d.a), [1, 2, 3]);
    assert.deepEqual(ws.events(ws.runDir('p', 'outer'), 'exit').length, 1);
    assert.deepEqual(history(ws, ws.runDir('p', 'inner')), [[0, { b: 1 }]]);
    assert.deepEqual(ws.runIds('p'), ['fresh', 'inner', 'outer']);
  });

  it('mode="disabled" (and WANDB_MODE / WANDB_DISABLED) gives a run that accepts every call and writes nothing', async () => {
    const ws = new Workspace();
    const code = `
import os, runlog
run = runlog.init(project="p", config={"lr": 1}, **({"mode": "disabled"} if os.environ.get("ARG") else {}))
run.log({"x": 1}); run.config.update({"b": 2}); run.config.c = 3; run.summary["s"] = 1
run.define_metric("x", summary="max"); run.save("nothing"); run.alert("t"); run.watch(object()); run.log_artifact("x")
open(os.path.join(run.dir, "f.txt"), "w").write("ok")
runlog.log({"y": 2})
print(run.disabled, run.mode, run.config.lr, run.config.c, run.url)
run.finish()
`;
    for (const env of [{ ARG: '1' }, { WANDB_MODE: 'disabled' }, { WANDB_DISABLED: 'true' }]) {
      const result = await ws.py(code, env);
      ok(result);
      assert.match(result.stdout, /True disabled 1 3 None/);
    }
    assert.equal(existsSync(join(ws.store, 'projects')), false, 'nothing written to the store');
  });

  it('WANDB_* variables set project, entity, name, notes, tags, group, job type; RUNLOG_* wins', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrunlog.init().finish()\n', {
      WANDB_PROJECT: 'wproj', WANDB_ENTITY: 'went', WANDB_NAME: 'wname', WANDB_NOTES: 'wnotes', WANDB_TAGS: 'a,b',
      WANDB_RUN_GROUP: 'wg', WANDB_JOB_TYPE: 'wj', WANDB_RUN_ID: 'wid', RUNLOG_GROUP: 'rg',
    }));
    const init = ws.events(ws.runDir('wproj', 'wid'), 'init')[0]!;
    assert.deepEqual(
      [init.entity, init.name, init.notes, init.tags, init.group, init.job_type],
      ['went', 'wname', 'wnotes', ['a', 'b'], 'rg', 'wj'],
    );
    // WANDB_DIR is where W&B keeps its wandb/ folder: the store is .runlog inside it; RUNLOG_DIR wins.
    const wandbDir = join(ws.dir, 'wdir');
    mkdirSync(wandbDir);
    ok(await ws.py('import runlog\nrunlog.init(project="w", id="in-wandb-dir").finish()\n', { RUNLOG_DIR: '', WANDB_DIR: wandbDir }));
    assert.equal(existsSync(join(wandbDir, '.runlog', 'projects', 'w', 'runs', 'in-wandb-dir', 'events.jsonl')), true);
    ok(await ws.py('import runlog\nrunlog.init(project="w", id="in-runlog-dir").finish()\n', { WANDB_DIR: wandbDir }));
    assert.deepEqual(ws.runIds('w'), ['in-runlog-dir']);
  });

  it('WANDB_RUN_ID + WANDB_RESUME continue one run instead of making two; WANDB_SILENT quiets the report', async () => {
    const ws = new Workspace();
    const env = { WANDB_RUN_ID: 'resumable', WANDB_RESUME: 'allow', WANDB_SILENT: 'true', RUNLOG_QUIET: '' };
    const code = 'import runlog\nrun = runlog.init(project="p")\nrun.log({"loss": run.step})\nrun.finish()\n';
    const first = await ws.py(code, env);
    ok(first);
    ok(await ws.py(code, env));
    assert.deepEqual(ws.runIds('p'), ['resumable']);
    assert.deepEqual(history(ws, ws.runDir('p', 'resumable')), [[0, { loss: 0 }], [1, { loss: 1 }]]);
    assert.equal(first.stderr, '');
  });

  it('resume="auto" (or True) without an id continues the run this folder left unfinished, and starts a new one after a finished run', async () => {
    const ws = new Workspace();
    const code = `
import sys, runlog
run = runlog.init(project="p", resume=True)
print(run.id, run.resumed, run.step)
run.log({"loss": 1.0})
if sys.argv[-1] == "crash":
    sys.exit(3)
run.finish()
`;
    const path = ws.script(code);
    const crashed = await ws.run([path, 'crash']);
    assert.equal(crashed.code, 3, crashed.stderr);
    const [firstId, firstResumed] = crashed.stdout.trim().split(' ');
    assert.equal(firstResumed, 'False');
    const resumed = await ws.run([path, 'ok']);
    ok(resumed);
    assert.equal(resumed.stdout.trim(), `${firstId} True 1`);
    const fresh = await ws.run([path, 'ok']);
    ok(fresh);
    const [freshId, freshResumed] = fresh.stdout.trim().split(' ');
    assert.notEqual(freshId, firstId);
    assert.equal(freshResumed, 'False');
    assert.deepEqual(ws.runIds('p').sort(), [firstId, freshId].sort());
    assert.deepEqual(history(ws, ws.runDir('p', firstId!)), [[0, { loss: 1 }], [1, { loss: 1 }]]);
  });

  it('log() keeps strings and JSON values, skips the rest with a warning, and never writes an empty step', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
run.log({"loss": 1.0, "phase": "warmup"})
run.log({"caption": "only text"})
run.log({})
run.log({"obj": object()})
run.log({"tokens": ["a", "b"], "none": None})
run.log({"loss": 0.5})
print(run.summary["phase"], run.step)
run.finish()
`);
    ok(result);
    assert.deepEqual(history(ws, ws.onlyRun('p')), [
      [0, { loss: 1, phase: 'warmup' }],
      [1, { caption: 'only text' }],
      [2, { tokens: ['a', 'b'], none: null }],
      [3, { loss: 0.5 }],
    ]);
    assert.match(result.stdout, /warmup 4/);
    assert.match(result.stderr, /log\(\) ignores 'obj'/);
  });

  it('a step that holds only media writes its media records and no empty history row, and a resumed run goes on after it', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import numpy as np, runlog
run = runlog.init(project="p", id="media-only")
run.log({"loss": 1.0})
run.log({"img": runlog.Image(np.zeros((4, 4, 3), dtype=np.uint8))})
run.log({"img": runlog.Image(np.ones((4, 4, 3), dtype=np.uint8))})
run.finish()
run = runlog.init(project="p", id="media-only", resume="allow")
print("resumed at", run.step)
run.log({"loss": 0.5})
run.finish()
`);
    ok(result);
    const dir = ws.runDir('p', 'media-only');
    assert.deepEqual(history(ws, dir), [[0, { loss: 1 }], [3, { loss: 0.5 }]]);
    assert.deepEqual(ws.events(dir, 'media').map((r) => [r.key, r.step]), [['img', 1], ['img', 2]]);
    assert.match(result.stdout, /resumed at 3/);
  });

  it('define_metric writes a metric record, syncs its x axis into rows, and shapes run.summary as W&B does', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
run.define_metric("epoch", hidden=True)
m = run.define_metric("val/*", step_metric="epoch", summary="min,max", goal="minimize")
run.define_metric("acc", summary="best", goal="maximize")
run.define_metric("lr", summary="none")
for e, loss in enumerate([3.0, 1.0, 2.0]):
    run.log({"epoch": e, "acc": 0.5 + e / 10, "lr": 0.1})
    run.log({"val/loss": loss})
print(m.name, m.step_metric, m.summary)
print(sorted(run.summary.keys()), run.summary["val/loss"], run.summary["acc"])
live = {k: run.summary[k] for k in run.summary}
run.finish()
read = {k: v for k, v in runlog.Api().run("p/" + run.id).summary.items() if not k.startswith("_")}
print(read == live, "lr" in read)
`, { RUNLOG_QUIET: '' });
    ok(result);
    const dir = ws.onlyRun('p');
    const metrics = ws.events(dir, 'metric').map(({ ts: _ts, ...r }) => r);
    assert.deepEqual(metrics, [
      { type: 'metric', name: 'epoch', hidden: true },
      { type: 'metric', name: 'val/*', step_metric: 'epoch', step_sync: true, goal: 'minimize', summary: ['min', 'max'] },
      { type: 'metric', name: 'acc', goal: 'maximize', summary: ['best'] },
      { type: 'metric', name: 'lr', summary: ['none'] },
    ]);
    const rows = history(ws, dir).filter(([, d]) => 'val/loss' in d).map(([, d]) => [d['val/loss'], d.epoch]);
    assert.deepEqual(rows, [[3, 0], [1, 1], [2, 2]], 'step_sync puts the last epoch beside each val/loss');
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], "val/* epoch ('min', 'max')");
    assert.equal(lines[1], "['acc', 'epoch', 'val/loss'] {'min': 1.0, 'max': 3.0} {'best': 0.7}");
    assert.equal(lines[2], 'True False', 'Api().run().summary reads back what run.summary showed');
    // The end-of-run report's summary is run.summary's: <key>/<op> per rule, "none" left out.
    const report = result.stderr.slice(result.stderr.indexOf('Run summary:')).split('\n').map((l) => l.replace(/^runlog:\s*/, '').trim());
    assert.ok(report.includes('val/loss/min 1') && report.includes('val/loss/max 3') && report.includes('acc/best 0.7'), result.stderr);
    assert.ok(!report.some((l) => l.startsWith('lr ')), result.stderr);
  });

  it('W&B names exist: login, setup, require, term*, util, errors, sdk typing modules, join, run URLs and attributes', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
from runlog.sdk.wandb_run import Run
from runlog.sdk.wandb_settings import Settings
from runlog.errors import CommError, UsageError, Error
assert runlog.login(key="x") is True and runlog.login() is True
runlog.require("service"); runlog.setup()
runlog.termlog("hello"); runlog.termwarn("careful"); runlog.termerror("bad")
uid = runlog.util.generate_id()
assert len(uid) == 8 and issubclass(CommError, Error) and issubclass(UsageError, Error)
run = runlog.init(project="p", id=uid, entity="me")
assert isinstance(run, Run) and isinstance(run.settings, Settings)
print(run.url.startswith("file://"), run.get_url() == run.url, run.get_project_url().endswith("/projects/p"))
print(run.sweep_id, run.get_sweep_url(), run.path == "me/p/" + uid, run.entity, run.step, run.resumed, run.offline)
print(run.start_time > 0, run.id == uid, run.project, run.notes == "", run.tags, run.group, run.job_type)
run.mark_preempting()
runlog.join()
print(run.finished)
`, { RUNLOG_QUIET: '' });
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      'True True True',
      'None None True me 0 False False',
      'True True p True () None None',
      'True',
    ]);
    assert.match(result.stderr, /runlog: hello\nrunlog: WARNING careful\nrunlog: ERROR bad/);
    assert.ok(ws.output(ws.onlyRun('p')).some((r) => /marked as preempting/.test(String(r.text))));
  });

  it('run.dir is a files/ folder kept with the run; save() policies, restore() and log_code() act as in W&B', async () => {
    const ws = new Workspace();
    mkdirSync(join(ws.dir, 'src'));
    writeFileSync(join(ws.dir, 'src', 'model.py'), 'print(1)\n');
    writeFileSync(join(ws.dir, 'src', 'notes.md'), 'no\n');
    const result = await ws.py(`
import os, runlog
run = runlog.init(project="p", id="files1")
with open(os.path.join(run.dir, "events.jsonl"), "w") as f:
    f.write("mine")  # cannot clash with the run's own events.jsonl
print(run.save("later.bin"))  # live: not there yet, kept when the run ends
with open("later.bin", "w") as f:
    f.write("late")
print(run.save("src/*.py", policy="end"))
art = run.log_code("src")
print(art.type, sorted(os.listdir(art.files_dir)))
run.finish()
run2 = runlog.init(project="p", id="files2")
print(run2.restore("later.bin", run_path="p/files1").read())
try:
    run2.restore("missing.txt", run_path="p/files1")
except ValueError as e:
    print("ValueError", e)
run2.finish()
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 4), ['[]', '[]', "code ['model.py']", 'late']);
    assert.match(lines[4]!, /^ValueError runlog: restore\(\): file 'missing.txt' not found in run files1/);
    const dir = ws.runDir('p', 'files1');
    assert.notEqual(readFileSync(join(dir, 'events.jsonl'), 'utf8').slice(0, 10), 'mine');
    assert.equal(readFileSync(join(dir, 'files', 'events.jsonl'), 'utf8'), 'mine');
    const files = ws.events(dir, 'file').map((r) => r.path).sort();
    assert.deepEqual(files, ['files/events.jsonl', 'files/later.bin', 'files/src/model.py']);
    assert.equal(readFileSync(join(ws.runDir('p', 'files2'), 'files', 'later.bin'), 'utf8'), 'late');
  });

  it('a fork child (multiprocessing) logs to the inherited run in whole lines, its output captured; spawn gets a clear error', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import multiprocessing as mp, runlog

def work(rank):
    print("worker %d up" % rank)
    for i in range(50):
        runlog.log({"worker%d/loss" % rank: i, "pad": "x" * 500})

def spawned():
    try:
        runlog.log({"x": 1})
    except RuntimeError as e:
        print("spawn:", e)

if __name__ == "__main__":
    run = runlog.init(project="p")
    run.log({"main": 0})
    procs = [mp.get_context("fork").Process(target=work, args=(r,)) for r in range(4)]
    for p in procs: p.start()
    for i in range(50):
        run.log({"main": i})
    for p in procs: p.join()
    s = mp.get_context("spawn").Process(target=spawned)
    s.start(); s.join()
    run.finish()
`);
    ok(result);
    const dir = ws.onlyRun('p');
    const text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    const lines = text.split('\n').filter((l) => l);
    for (const line of lines) JSON.parse(line); // every line whole
    const rows = history(ws, dir).map(([, d]) => d);
    for (let r = 0; r < 4; r++) assert.equal(rows.filter((d) => `worker${r}/loss` in d).length, 50, `worker ${r}`);
    assert.equal(rows.filter((d) => 'main' in d).length, 51);
    assert.equal(ws.events(dir, 'exit').length, 1, 'children never end the run');
    const out = ws.output(dir).map((r) => String(r.text)).join('');
    for (let r = 0; r < 4; r++) assert.match(out, new RegExp(`worker ${r} up`));
    assert.match(result.stdout, /spawn: runlog\.log\(\): call runlog\.init\(\) first \(this process was started with the 'spawn' or 'forkserver' method/);
    assert.deepEqual(readdirSync(join(ws.store, 'projects', 'p', 'runs')).length, 1);
  });
});
