// run.log(), run.summary, run.config, notes / tags / name.

import * as assert from 'node:assert/strict';
import { cleanTemps, history, Workspace, type PyResult } from '../../harness/python';
import type { JsonRecord } from '../../harness/jsonl';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

/** RunlogWarning lines printed by the warnings module. */
function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.includes('RunlogWarning'));
}

describe('SDK: log, summary, config', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('auto-increments steps from 0, merges calls for the same explicit step, drops smaller ones with one warning', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
run.log({"a": 1})           # step 0
run.log({"a": 2})           # step 1
run.log({"a": 3}, step=5)   # step 5, written when a later step arrives (as in wandb)
print("step", run.step)
run.log({"b": 3}, step=5)   # merges into step 5
run.log({"a": 4}, step=2)   # dropped
run.log({"a": 5}, step=6)   # writes step 5; step 6 written by finish()
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, 'step 5\n');
    const rows = history(ws.events(ws.onlyRun('p')));
    assert.deepEqual(rows.map((r) => [r.step, r.data]), [[0, { a: 1 }], [1, { a: 2 }], [5, { a: 3, b: 3 }], [6, { a: 5 }]]);
    const warned = warnings(result.stderr);
    assert.equal(warned.length, 1, result.stderr);
    assert.match(warned[0]!, /script\.py:8: RunlogWarning: log\(step=2\) dropped: steps must increase and the current step is 5/);
  });

  it('merges commit=False calls into one step, committed by the next log', async () => {
    const ws = new Workspace();
    ok(await ws.py(`
import runlog
run = runlog.init(project="p")
run.log({"loss": 0.5}, commit=False)
run.log({"acc": 0.1}, commit=False)
run.log({"lr": 0.01})
run.log({"val": 1}, step=3, commit=False)
run.log({"val2": 2}, step=3, commit=False)
run.log({"next": 1}, step=4, commit=True)
run.log({"tail": 1}, commit=False)
run.finish()
`));
    const rows = history(ws.events(ws.onlyRun('p')));
    assert.deepEqual(rows, [
      { step: 0, data: { loss: 0.5, acc: 0.1, lr: 0.01 } },
      { step: 3, data: { val: 1, val2: 2 } },
      { step: 4, data: { next: 1 } },
      { step: 5, data: { tail: 1 } },
    ]);
  });

  it('flattens nested dicts to a/b keys, keeps unicode keys, ints, bools, NaN and ±Infinity', async () => {
    const ws = new Workspace();
    ok(await ws.py(`
import runlog
run = runlog.init(project="p")
run.log({"train": {"loss": 0.25, "deep": {"x": 1}}, "ok": True, "n": 7, "nan": float("nan"),
         "inf": float("inf"), "ninf": float("-inf"), "größe/μ": 2.5, "null": None})
run.finish()
`));
    const dir = ws.onlyRun('p');
    const [row] = history(ws.events(dir));
    assert.deepEqual(Object.keys(row!.data).sort(), ['inf', 'n', 'nan', 'ninf', 'null', 'ok', 'train/deep/x', 'train/loss', 'größe/μ'].sort());
    assert.equal(row!.data['train/loss'], 0.25);
    assert.equal(row!.data['train/deep/x'], 1);
    assert.equal(row!.data.ok, true);
    assert.equal(row!.data.n, 7);
    assert.ok(Number.isNaN(row!.data.nan));
    assert.equal(row!.data.inf, Infinity);
    assert.equal(row!.data.ninf, -Infinity);
    assert.equal(row!.data['größe/μ'], 2.5);
    assert.equal(row!.data.null, null);
    const { readFileSync } = await import('node:fs');
    const raw = readFileSync(`${dir}/events.jsonl`, 'utf8');
    assert.match(raw, /"nan":NaN/);
    assert.match(raw, /"inf":Infinity/);
    assert.match(raw, /"ninf":-Infinity/);
  });

  it('reads numpy/torch-like scalars through .item(), keeps strings and lists, and skips other values with one warning per key', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog

class Scalar:            # what numpy.float32(1.5) or torch.tensor(2) look like to the SDK
    def __init__(self, v): self.v = v
    def item(self): return self.v

class Matrix:            # a multi-element array: .item() raises
    def item(self): raise ValueError("can only convert an array of size 1")

run = runlog.init(project="p")
for i in range(3):
    run.log({"f32": Scalar(1.5), "i64": Scalar(2), "flag": Scalar(True), "text": "hello",
             "matrix": Matrix(), "list": [1, 2], "obj": Scalar("str"), "good": i})
run.finish()
print("survived")
`);
    ok(result);
    assert.equal(result.stdout, 'survived\n');
    const rows = history(ws.events(ws.onlyRun('p')));
    assert.equal(rows.length, 3);
    // Strings and lists are kept as W&B keeps them (shown as text); what is not JSON is skipped.
    for (const [i, row] of rows.entries()) assert.deepEqual(row.data, { f32: 1.5, i64: 2, flag: true, text: 'hello', list: [1, 2], good: i });
    const warned = warnings(result.stderr);
    assert.equal(warned.length, 2, result.stderr);
    for (const key of ['matrix', 'obj']) {
      assert.ok(warned.some((w) => w.includes(`log() ignores '${key}'`)), `a warning names ${key}`);
    }
  });

  it('warns once and writes nothing when log() is called after finish()', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
run.log({"a": 1})
run.finish()
run.log({"a": 2})
run.log({"a": 3})
run.finish()
`);
    ok(result);
    const records = ws.events(ws.onlyRun('p'));
    assert.equal(history(records).length, 1);
    assert.equal(records.filter((r) => r.type === 'exit').length, 1, 'a second finish() is a no-op');
    assert.equal(records[records.length - 1]!.type, 'exit');
    const warned = warnings(result.stderr);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /log\(\) after finish\(\) of run \w+ is ignored/);
  });

  it('is safe to call from many threads at once: every step once, every line whole', async () => {
    const ws = new Workspace();
    ok(await ws.py(`
import runlog, threading
run = runlog.init(project="p")
def work(t):
    for i in range(500):
        run.log({"thread": t, "i": i})
threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()
run.finish()
`));
    const rows = history(ws.events(ws.onlyRun('p')));
    assert.equal(rows.length, 2000);
    assert.deepEqual(rows.map((r) => r.step), Array.from({ length: 2000 }, (_, i) => i));
    for (let t = 0; t < 4; t++) {
      const mine = rows.filter((r) => r.data.thread === t).map((r) => r.data.i);
      assert.deepEqual(mine, Array.from({ length: 500 }, (_, i) => i));
    }
  });

  it('keeps last values as the summary; explicit summary values and update() write summary records', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p")
for i in range(5):
    run.log({"loss": 5 - i, "acc": [0.1, 0.9, 0.5, float("nan"), 0.3][i]})
print(run.summary["loss"], run.summary["acc"], run.summary.min("acc"), run.summary.max("acc"), run.summary.min("loss"))
run.summary["best_acc"] = 0.9
run.summary.update({"loss": 0.5, "eval": {"f1": 0.7}})
print(sorted(run.summary.keys()), run.summary["loss"])
run.finish()
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], '1 0.3 0.1 0.9 1');
    assert.equal(lines[1], "['acc', 'best_acc', 'eval', 'loss'] 0.5");
    const summaries = ws.events(ws.onlyRun('p'), 'summary').map((r) => r.data);
    assert.deepEqual(summaries, [{ best_acc: 0.9 }, { loss: 0.5, eval: { f1: 0.7 } }]);
  });

  it('gives run.config dict and attribute access; init config, item, attribute and update() changes are recorded', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import argparse, runlog
run = runlog.init(project="p", config={"lr": 0.01, "model": {"layers": 3}})
print(run.config.lr, run.config["model"]["layers"], "lr" in run.config, len(run.config))
run.config.epochs = 10
run.config["batch"] = 32
run.config.update({"model": {"width": 64}, "opt": "adam"})
run.config.update(argparse.Namespace(seed=1))
runlog.config.dropout = 0.1
print(sorted(run.config.keys()), run.config.model)
try:
    run.config.missing
except AttributeError as e:
    print("AttributeError", e)
run.finish()
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], '0.01 3 True 2');
    assert.equal(lines[1], "['batch', 'dropout', 'epochs', 'lr', 'model', 'opt', 'seed'] {'layers': 3, 'width': 64}");
    assert.match(lines[2]!, /^AttributeError .*'missing'/);
    const configs = ws.events(ws.onlyRun('p'), 'config').map((r) => r.data);
    assert.deepEqual(configs, [
      { lr: 0.01, model: { layers: 3 } },
      { epochs: 10 },
      { batch: 32 },
      { model: { width: 64 }, opt: 'adam' },
      { seed: 1 },
      { dropout: 0.1 },
    ]);
  });

  it('records notes, tags and name set on the run', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", name="first-name")
run.notes = "a description"
run.tags = ["x", "y"]
run.name = "second-name"
print(run.name, run.tags, run.notes)
try:
    run.tags = ["ok", 3]
except ValueError as e:
    print("ValueError", e)
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, "second-name ('x', 'y') a description\nValueError runlog: each tag must be a non-empty string, got 3\n");
    const records = ws.events(ws.onlyRun('p')).filter((r) => ['notes', 'tags', 'name'].includes(String(r.type)));
    assert.deepEqual(records.map(({ ts: _ts, ...rest }) => rest as JsonRecord), [
      { type: 'notes', text: 'a description' },
      { type: 'tags', tags: ['x', 'y'] },
      { type: 'name', name: 'second-name' },
    ]);
  });

  it('acts on the current run through module-level functions', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
print(runlog.run)
try:
    runlog.log({"a": 1})
except RuntimeError as e:
    print("RuntimeError", e)
run = runlog.init(project="p")
assert runlog.run is run
runlog.log({"a": 1})
runlog.summary["s"] = 1
runlog.alert("title", "text")
runlog.finish()
print(runlog.run)
`);
    ok(result);
    assert.equal(result.stdout, 'None\nRuntimeError runlog.log(): call runlog.init() first\nNone\n');
    const types = ws.events(ws.onlyRun('p')).map((r) => r.type);
    assert.deepEqual(types, ['header', 'init', 'history', 'callsite', 'summary', 'alert', 'exit']);
  });
});
