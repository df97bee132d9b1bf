// runlog.Api(): W&B's public API over the local store (https://docs.wandb.ai/ref/python/public-api/api/),
// and `python -m runlog`, both reading the run folders written by real SDK processes.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

const MAKE_RUNS = `
import runlog
for i, (lr, opt, tags) in enumerate([(0.1, "sgd", ["baseline"]), (0.01, "adam", ["tuned"]), (0.001, "adam", ["tuned", "best"])]):
    run = runlog.init(project="mnist", id="run%d" % i, name="trial-%d" % i, config={"lr": lr, "optim": {"name": opt}}, tags=tags)
    for step in range(20):
        run.log({"loss": lr * (20 - step), "acc": step / 20})
        if step % 5 == 0:
            run.log({"val/acc": step / 10}, commit=False)
    run.summary["best_acc"] = 0.5 + i / 10
    run.finish()
`;

describe('SDK: Api and python -m runlog', function () {
  this.timeout(150_000);
  afterEach(cleanTemps);

  it('runs() applies W&B filters (config, summary_metrics, tags, state, display_name, $and/$or/$in/$regex) and order', async () => {
    const ws = new Workspace();
    ok(await ws.py(MAKE_RUNS));
    const result = await ws.py(`
import runlog
api = runlog.Api()
def ids(**kw): return [r.id for r in api.runs("mnist", **kw)]
print(ids())
print(ids(filters={"config.lr": {"$lt": 0.05}}, order="+config.lr"))
print(ids(filters={"config.optim.name": "adam", "summary_metrics.best_acc": {"$gte": 0.65}}))
print(ids(filters={"$or": [{"tags": "baseline"}, {"tags": {"$in": ["best"]}}]}, order="+created_at"))
print(ids(filters={"$and": [{"state": "finished"}, {"display_name": {"$regex": "^trial-[12]$"}}]}, order="-summary_metrics.best_acc"))
print(ids(filters={"config.lr.value": 0.1}))
try:
    api.runs("mnist", filters={"tags": {"$size": 2}})
except ValueError as e:
    print("ValueError", e)
`);
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      "['run2', 'run1', 'run0']",
      "['run2', 'run1']",
      "['run2']",
      "['run0', 'run2']",
      "['run2', 'run1']",
      "['run0']",
      "ValueError runlog: Api filters: operator '$size' is not supported (supported: $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $regex, $options, $exists, $not, $and, $or, $nor)",
    ]);
  });

  it('run() gives config, summary, sampled history, scan_history, files and artifacts', async () => {
    const ws = new Workspace();
    ok(await ws.py(MAKE_RUNS + `
run = runlog.init(project="mnist", id="maker")
art = runlog.Artifact("weights", type="model"); 
with art.new_file("w.txt") as f: f.write("w")
run.log_artifact(art)
run.save("script.py")
run.finish()
`));
    const result = await ws.py(`
import runlog
api = runlog.Api()
r = api.run("mnist/run1")
print(r.id, r.name, r.state, r.config, r.tags, r.path)
print({k: r.summary[k] for k in ("loss", "acc", "val/acc", "best_acc", "_step")})
rows = r.history(keys=["val/acc"], pandas=False)
print([(row["_step"], row["val/acc"]) for row in rows])
print(len(r.history(samples=5, pandas=False)), r.history(samples=5, pandas=False)[-1]["_step"])
print([row for row in r.scan_history(keys=["acc"], min_step=17)])
print(r.lastHistoryStep, api.run("run1").id)
m = api.run("mnist/maker")
print([f.name for f in m.files() if f.name.startswith("files/")], [a.name for a in m.logged_artifacts()])
try:
    api.run("mnist/nothere")
except ValueError as e:
    print("ValueError", e)
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, /^run1 trial-1 finished \{'lr': 0.01, 'optim': \{'name': 'adam'\}\} \['tuned'\] \['', 'mnist', 'run1'\]$/);
    assert.equal(lines[1], "{'loss': 0.01, 'acc': 0.95, 'val/acc': 1.5, 'best_acc': 0.6, '_step': 19}");
    assert.equal(lines[2], '[(1, 0.0), (6, 0.5), (11, 1.0), (16, 1.5)]', 'commit=False lands in the next step, as in W&B');
    assert.equal(lines[3], '5 19');
    assert.equal(lines[4], "[{'_step': 17, 'acc': 0.85}, {'_step': 18, 'acc': 0.9}, {'_step': 19, 'acc': 0.95}]");
    assert.equal(lines[5], '19 run1');
    assert.equal(lines[6], "['files/script.py'] ['weights:v0']");
    assert.match(lines[7]!, /^ValueError runlog: no run 'mnist\/nothere' in store /);
  });

  it('update() writes name, notes, tags, config and summary to edits.jsonl, and the SDK reads them back', async () => {
    const ws = new Workspace();
    ok(await ws.py(MAKE_RUNS));
    const result = await ws.py(`
import runlog
api = runlog.Api()
r = api.run("mnist/run0")
r.name = "renamed"
r.notes = "the baseline"
r.tags.append("keep")
r.config["dataset"] = "mnist-v2"
r.summary["best_acc"] = 0.99
r.update()
r.summary.update({"checked": True})
again = api.run("mnist/run0")
print(again.name, again.notes, again.tags, again.config["dataset"], again.summary["best_acc"], again.summary["checked"])
resumed = runlog.init(project="mnist", id="run0", resume="must")
print(resumed.name, resumed.summary["best_acc"])
resumed.finish()
`);
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      "renamed the baseline ['baseline', 'keep'] mnist-v2 0.99 True",
      'renamed 0.99',
    ]);
    const edits = readFileSync(join(ws.runDir('mnist', 'run0'), 'edits.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(edits.map(({ ts: _ts, ...e }) => e), [
      { type: 'name', name: 'renamed' },
      { type: 'notes', text: 'the baseline' },
      { type: 'tags', tags: ['baseline', 'keep'] },
      { type: 'config', data: { dataset: 'mnist-v2' } },
      { type: 'summary', data: { best_acc: 0.99 } },
      { type: 'summary', data: { checked: true } },
    ]);
  });

  it('python -m runlog ls|show|tail read the same store, with the Node CLI\'s shapes and exit codes', async () => {
    const ws = new Workspace();
    ok(await ws.py(MAKE_RUNS + `
run = runlog.init(project="other", id="talker")
for i in range(30):
    print("line", i)
run.finish()
`));
    const ls = await ws.run(['-m', 'runlog', 'ls', 'mnist', '--filter', '{"config.lr": {"$lt": 0.05}}', '--sort', 'config.lr']);
    ok(ls);
    const rows = ls.stdout.trim().split('\n');
    assert.match(rows[0]!, /^PROJECT\s+ID\s+NAME\s+STATE\s+STEP\s+RUNTIME\s+STARTED$/);
    assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 5).join(' ')), ['mnist run2 trial-2 finished 19', 'mnist run1 trial-1 finished 19']);
    const json = await ws.run(['-m', 'runlog', 'ls', '--json']);
    ok(json);
    assert.deepEqual((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id).sort(), ['run0', 'run1', 'run2', 'talker']);
    const show = await ws.run(['-m', 'runlog', 'show', 'run1']);
    ok(show);
    assert.match(show.stdout, /^Run:\s+mnist\/run1\nName:\s+trial-1\nState:\s+finished \(exit code 0\)\n/);
    assert.match(show.stdout, /\nConfig:\n {2}lr = 0\.01\n {2}optim\/name = "adam"\n/);
    assert.match(show.stdout, /\n {2}loss\s+20\s+0\.\.19\s+0\.01\s+0\.2\s+0\.01\n/);
    const tail = await ws.run(['-m', 'runlog', 'tail', 'other/talker', '-n', '2', '--follow']);
    ok(tail);
    assert.equal(tail.stdout, 'line 28\nline 29\n');
    const missing = await ws.run(['-m', 'runlog', 'show', 'zzz']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run with ID zzz in /);
    const bad = await ws.run(['-m', 'runlog', 'ls', '--filter', '{"x": 1}']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown field 'x'/);
    const nostore = await ws.run(['-m', 'runlog', 'ls', '--dir', join(ws.dir, 'none')]);
    assert.equal(nostore.code, 2);
    assert.match(nostore.stderr, /no Runlog store at /);
  });
});
