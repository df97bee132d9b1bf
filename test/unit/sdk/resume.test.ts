// Resume, fork and rewind; the run lock; installing the package with pip.

import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl } from '../../harness/jsonl';
import { cleanTemps, EXAMPLES, finished, history, SDK, tempDir, waitFor, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

/** A finished run `base` in project `p` with loss 10, 9, …, 1 at steps 0…9 and some config/summary. */
async function baseRun(ws: Workspace): Promise<string> {
  ok(await ws.py(`
import runlog
run = runlog.init(project="p", id="base", name="base-run", config={"lr": 0.1, "model": {"layers": 2}}, tags=["t"])
for i in range(10):
    run.log({"loss": 10 - i})
run.summary["best"] = 1
run.finish()
`, {}, 'base.py'));
  return ws.runDir('p', 'base');
}

describe('SDK: resume, fork, rewind', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('resume="allow" continues the same run: steps go on, config and summary are kept, a new init says resumed', async () => {
    const ws = new Workspace();
    const dir = await baseRun(ws);
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", id="base", resume="allow")
print(run.name, run.step, dict(run.config), run.summary["best"], run.summary["loss"], run.tags)
run.log({"loss": 0.5})
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, "base-run 10 {'lr': 0.1, 'model': {'layers': 2}} 1 1 ('t',)\n");
    const records = ws.events(dir);
    assert.equal(records.filter((r) => r.type === 'header').length, 1);
    const inits = records.filter((r) => r.type === 'init');
    assert.deepEqual(inits.map((r) => r.resumed), [false, true]);
    assert.equal(inits[1]!.name, 'base-run');
    assert.deepEqual(history(records).map((r) => r.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(records.filter((r) => r.type === 'exit').map((r) => r.state), ['finished', 'finished']);
  });

  it('keeps the name, notes and tags edited in the editor (edits.jsonl) when resuming', async () => {
    const ws = new Workspace();
    const dir = await baseRun(ws);
    const later = Date.now() / 1000 + 1;
    writeFileSync(join(dir, 'edits.jsonl'), [
      { type: 'name', ts: later, name: 'renamed-in-editor' },
      { type: 'notes', ts: later, text: 'edited notes' },
      { type: 'tags', ts: later, tags: ['t', 'good'] },
    ].map((r) => JSON.stringify(r) + '\n').join(''));
    const result = await ws.py('import runlog\nrun = runlog.init(project="p", id="base", resume="allow")\nprint(run.name, run.notes, list(run.tags))\nrun.finish()\n');
    ok(result);
    assert.equal(result.stdout, "renamed-in-editor edited notes ['t', 'good']\n");
    const init = ws.events(dir, 'init').pop()!;
    assert.deepEqual([init.name, init.notes, init.tags], ['renamed-in-editor', 'edited notes', ['t', 'good']]);
  });

  it('resume="allow" with an unknown id starts a new run; "must" refuses it; "never" and no resume refuse an existing one', async () => {
    const ws = new Workspace();
    await baseRun(ws);
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", id="fresh1", resume="allow")
print("new", run.resumed, run.step)
run.finish()
for kwargs in ({"id": "ghost", "resume": "must"}, {"id": "base", "resume": "never"}, {"id": "base"}, {"resume": "must"}, {"id": "base", "resume": "sometimes"}):
    try:
        runlog.init(project="p", **kwargs)
        print("accepted", kwargs)
    except ValueError as e:
        print(type(e).__name__, e)
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'new False 0');
    assert.match(lines[1]!, /^ValueError runlog: resume='must' but there is no run 'ghost' in project 'p'/);
    assert.match(lines[2]!, /^RunExistsError runlog: a run with id 'base' already exists in project 'p'/);
    assert.match(lines[3]!, /^RunExistsError .*pass resume='allow' to continue it/);
    assert.match(lines[4]!, /^ValueError runlog: resume='must' needs the id= of the run to resume/);
    assert.match(lines[5]!, /^ValueError runlog: resume must be 'allow', 'must', 'never', 'auto' or True, got 'sometimes'/);
    assert.deepEqual(ws.runIds('p'), ['base', 'fresh1']);
  });

  it('resumes a run whose process was killed (its lock file names a dead pid)', async () => {
    const ws = new Workspace();
    const dir = await baseRun(ws);
    writeFileSync(join(dir, '.lock'), '4194999\n'); // a pid no process has
    ok(await ws.py('import runlog\nrun = runlog.init(project="p", id="base", resume="must")\nrun.log({"loss": 0})\nrun.finish()\n'));
    assert.equal(history(ws.events(dir)).pop()!.step, 10);
  });

  it('resumes a run killed with SIGKILL after its last whole step; a torn line cannot swallow new records', async () => {
    const ws = new Workspace();
    const child = ws.start([join(EXAMPLES, 'long_train.py'), '--project', 'p', '--sleep', '0'], { RUNLOG_RUN_ID: 'killed01' });
    const done = finished(child);
    const dir = ws.runDir('p', 'killed01');
    await waitFor('steps on disk', () => readJsonl(join(dir, 'events.jsonl')).records.filter((r) => r.type === 'history').length >= 500);
    child.kill('SIGKILL');
    await done;
    const before = readJsonl(join(dir, 'events.jsonl'));
    const lastStep = Math.max(...before.records.filter((r) => r.type === 'history').map((r) => r.step as number));
    // Simulate the worst case whether or not this kill happened to tear a line.
    writeFileSync(join(dir, 'events.jsonl'), '{"type":"history","ts":1,"st', { flag: 'a' });
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", id="killed01", resume="allow")
print(run.step)
run.log({"loss": 0})
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, `${lastStep + 1}\n`);
    const after = readJsonl(join(dir, 'events.jsonl'));
    assert.equal(after.torn, null);
    assert.deepEqual(before.corrupt, []);
    assert.equal(after.corrupt.length, 1, 'only the torn text is unreadable');
    const tail = after.records.slice(-3);
    assert.deepEqual(tail.map((r) => r.type), ['init', 'history', 'exit']);
    assert.equal(tail[0]!.resumed, true);
    assert.equal(tail[1]!.step, lastStep + 1);
  });

  it('refuses to resume a run whose process is still alive, naming its pid', async () => {
    const ws = new Workspace();
    const child = ws.start([join(EXAMPLES, 'long_train.py'), '--project', 'p', '--sleep', '0.05'], { RUNLOG_RUN_ID: 'live0001' });
    const done = finished(child);
    try {
      const dir = ws.runDir('p', 'live0001');
      await waitFor('the live run to log', () => readJsonl(join(dir, 'events.jsonl')).records.some((r) => r.type === 'history'));
      const result = await ws.py(`
import runlog
try:
    runlog.init(project="p", id="live0001", resume="allow")
except RuntimeError as e:
    print(type(e).__name__, e)
`);
      ok(result);
      assert.match(result.stdout, new RegExp(`^RunInUseError runlog: run live0001 is in use by process ${child.pid}\\b`));
      const inits = readJsonl(join(dir, 'events.jsonl')).records.filter((r) => r.type === 'init');
      assert.equal(inits.length, 1, 'nothing was written into the live run');
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  });

  it('lets only one of two processes resume the same run at once', async () => {
    const ws = new Workspace();
    const dir = await baseRun(ws);
    const script = ws.script(`
import sys, time, runlog
time.sleep(max(0, float(sys.argv[1]) - time.time()))
try:
    run = runlog.init(project="p", id="base", resume="must")
except runlog.RunInUseError as e:
    print("refused:", e)
    sys.exit(0)
print("resumed")
run.log({"loss": 0})
time.sleep(1.5)
run.finish()
`);
    const at = String(Date.now() / 1000 + 1.5);
    const results = await Promise.all([ws.run([script, at]), ws.run([script, at])]);
    for (const r of results) ok(r);
    const outs = results.map((r) => r.stdout.trim()).sort();
    assert.equal(outs[1], 'resumed');
    assert.match(outs[0]!, /^refused: runlog: run base is (in use by process \d+|being opened by another process|still running in process \d+)/);
    const records = ws.events(dir);
    assert.deepEqual(records.filter((r) => r.type === 'init').map((r) => r.resumed), [false, true]);
    assert.deepEqual(history(records).map((r) => r.step).slice(-2), [9, 10]);
  });

  it('fork_from="<id>?_step=N" starts a new run with the source history up to N and its config', async () => {
    const ws = new Workspace();
    await baseRun(ws);
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", fork_from="base?_step=4", config={"lr": 0.5})
print(run.id, run.step, dict(run.config), run.summary["loss"])
run.log({"loss": 42})
run.finish()
`);
    ok(result);
    const [id, step, ...rest] = result.stdout.trim().split(' ');
    assert.notEqual(id, 'base');
    assert.equal(step, '5');
    assert.equal(rest.join(' '), "{'lr': 0.5, 'model': {'layers': 2}} 6");
    const records = ws.events(ws.runDir('p', id!));
    assert.deepEqual(records.slice(0, 3).map((r) => r.type), ['header', 'init', 'config']);
    assert.deepEqual(records[1]!.fork_of, { run: 'base', step: 4 });
    assert.equal(records[1]!.resumed, false);
    assert.deepEqual(records[2]!.data, { lr: 0.1, model: { layers: 2 } });
    assert.deepEqual(history(records).map((r) => [r.step, r.data.loss]), [[0, 10], [1, 9], [2, 8], [3, 7], [4, 6], [5, 42]]);
    assert.equal(history(ws.events(ws.runDir('p', 'base'))).length, 10, 'the source is untouched');

    const bad = await ws.py(`
import runlog
for ref in ("base?_step=99", "nope?_step=1", "base"):
    try:
        runlog.init(project="p", fork_from=ref)
    except ValueError as e:
        print(e)
`);
    ok(bad);
    assert.deepEqual(bad.stdout.trim().split('\n').map((l) => l.replace(/ \(store .*\)$/, '')), [
      'runlog: cannot fork run base at step 99: its last step is 9',
      "runlog: cannot fork: no run 'nope' in project 'p'",
      "runlog: fork_from must look like '<run-id>?_step=<N>', got 'base'",
    ]);
  });

  it('resume_from="<id>?_step=N" rewinds the same run: a rewind record, then history from N+1; the old tail stays', async () => {
    const ws = new Workspace();
    const dir = await baseRun(ws);
    const result = await ws.py(`
import runlog
run = runlog.init(project="p", resume_from="base?_step=6")
print(run.id, run.step, run.summary["loss"])
run.log({"loss": -1})
run.finish()
`);
    ok(result);
    assert.equal(result.stdout, 'base 7 4\n');
    const records = ws.events(dir);
    const afterInit = records.slice(records.findIndex((r) => r.type === 'init' && r.resumed === true));
    assert.deepEqual(afterInit.map((r) => r.type), ['init', 'rewind', 'history', 'exit']);
    assert.equal(afterInit[1]!.step, 6);
    assert.deepEqual(history(records).map((r) => r.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 7]);
    assert.equal(history(records).pop()!.data.loss, -1);
  });

  it('installs with pip --no-build-isolation and imports from the install location', async function () {
    this.timeout(120_000);
    const ws = new Workspace();
    const target = tempDir('runlog-pip-');
    const pip = await ws.run(['-m', 'pip', 'install', '--no-build-isolation', '--no-deps', '--no-index', '--quiet', '--target', target, SDK], {}, 110_000);
    if (pip.code !== 0 && /No module named pip/.test(pip.stderr)) this.skip();
    ok(pip);
    const script = ws.script('import runlog\nprint(runlog.__file__, runlog.__version__)\nrunlog.init(project="p").finish()\n');
    const result = await ws.run([script], { PYTHONPATH: target });
    ok(result);
    assert.ok(result.stdout.startsWith(join(target, 'runlog', '__init__.py') + ' '), result.stdout);
    assert.equal(ws.runIds('p').length, 1);
  });
});
