// How a run ends (finish, exception, sys.exit, signals, SIGKILL), heartbeats, output capture,
// and the examples the editor tests rely on.

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readJsonl, type JsonRecord } from '../../harness/jsonl';
import { cleanTemps, EXAMPLES, finished, history, waitFor, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

function exitOf(ws: Workspace, dir: string): JsonRecord {
  const exits = ws.events(dir, 'exit');
  assert.equal(exits.length, 1, 'one exit record');
  return exits[0]!;
}

/** Waits until the run has logged at least `steps` history rows (on disk). */
async function waitForSteps(ws: Workspace, project: string, steps: number): Promise<string> {
  return waitFor(`${steps} steps on disk`, () => {
    const ids = ws.runIds(project);
    if (ids.length !== 1) return undefined;
    const dir = ws.runDir(project, ids[0]!);
    const rows = readJsonl(join(dir, 'events.jsonl')).records.filter((r) => r.type === 'history');
    return rows.length >= steps ? dir : undefined;
  });
}

describe('SDK: lifecycle', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('ends finished with code 0 at normal interpreter exit, without an explicit finish()', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrun = runlog.init(project="p")\nrun.log({"a": 1})\n'));
    const exit = exitOf(ws, ws.onlyRun('p'));
    assert.deepEqual([exit.state, exit.code], ['finished', 0]);
  });

  it('ends failed with code 1 on an uncaught exception, with the traceback in output.jsonl', async () => {
    const ws = new Workspace();
    const result = await ws.run([join(EXAMPLES, 'fail.py')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /RuntimeError: simulated failure after 3 steps/, 'the traceback still reaches the terminal');
    const dir = ws.onlyRun(basename(ws.dir)); // the project defaults to the folder's name
    assert.equal(history(ws.events(dir)).length, 3);
    const exit = exitOf(ws, dir);
    assert.deepEqual([exit.state, exit.code], ['failed', 1]);
    const stderr = ws.output(dir).filter((r) => r.stream === 'stderr').map((r) => r.text).join('');
    assert.match(stderr, /^Traceback \(most recent call last\):\n/);
    assert.match(stderr, /fail\.py", line \d+, in <module>/);
    assert.match(stderr, /RuntimeError: simulated failure after 3 steps\n$/);
  });

  it('writes the traceback to output.jsonl also when output capture is off', async () => {
    const ws = new Workspace();
    const result = await ws.py('import runlog\nrunlog.init(project="p")\nraise KeyError("boom")\n', { RUNLOG_CAPTURE_OUTPUT: '0' });
    assert.equal(result.code, 1);
    const dir = ws.onlyRun('p');
    const out = ws.output(dir);
    assert.equal(out.length, 1);
    assert.match(String(out[0]!.text), /^Traceback[\s\S]*KeyError: 'boom'\n$/);
    assert.equal(exitOf(ws, dir).state, 'failed');
  });

  it('ends failed with the code given to sys.exit(n) or exit(n); sys.exit(0) is finished', async () => {
    const ws = new Workspace();
    const three = await ws.py('import runlog, sys\nrunlog.init(project="three")\nsys.exit(3)\n');
    assert.equal(three.code, 3);
    const exit = exitOf(ws, ws.onlyRun('three'));
    assert.deepEqual([exit.state, exit.code], ['failed', 3]);
    const four = await ws.py('import runlog\nrunlog.init(project="four")\nexit(4)\n');
    assert.equal(four.code, 4);
    const exitFour = exitOf(ws, ws.onlyRun('four'));
    assert.deepEqual([exitFour.state, exitFour.code], ['failed', 4], 'the exit() builtin too');
    const zero = await ws.py('import runlog, sys\nrunlog.init(project="zero")\nsys.exit(0)\n');
    assert.equal(zero.code, 0);
    assert.equal(exitOf(ws, ws.onlyRun('zero')).state, 'finished');
  });

  it('as a context manager: finished on success, failed on an exception, and the exception propagates', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
with runlog.init(project="p", id="good") as run:
    run.log({"a": 1})
try:
    with runlog.init(project="p", id="bad") as run:
        run.log({"a": 1})
        raise ValueError("inside")
except ValueError as e:
    print("caught", e)
`);
    ok(result);
    assert.equal(result.stdout, 'caught inside\n');
    assert.equal(exitOf(ws, ws.runDir('p', 'good')).state, 'finished');
    const bad = exitOf(ws, ws.runDir('p', 'bad'));
    assert.deepEqual([bad.state, bad.code], ['failed', 1]);
    const text = ws.output(ws.runDir('p', 'bad')).map((r) => r.text).join('');
    assert.match(text, /ValueError: inside/);
  });

  it('finish(exit_code=n) ends the run failed with that code; a second finish is a no-op', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrun = runlog.init(project="p")\nrun.finish(exit_code=2)\nrun.finish()\n'));
    const exit = exitOf(ws, ws.onlyRun('p'));
    assert.deepEqual([exit.state, exit.code], ['failed', 2]);
  });

  it('ends killed with code 143 on SIGTERM', async () => {
    const ws = new Workspace();
    const child = ws.start([join(EXAMPLES, 'long_train.py'), '--project', 'p', '--sleep', '0.05']);
    const done = finished(child);
    const dir = await waitForSteps(ws, 'p', 3);
    child.kill('SIGTERM');
    const result = await done;
    assert.equal(result.signal, 'SIGTERM', 'the process still dies of SIGTERM');
    const exit = exitOf(ws, dir);
    assert.deepEqual([exit.state, exit.code], ['killed', 143]);
    assert.equal(existsSync(join(dir, '.lock')), false, 'the lock is released');
  });

  it('ends killed with code 130 on SIGINT, after the script\'s own cleanup ran', async () => {
    const ws = new Workspace();
    const child = ws.start([join(EXAMPLES, 'long_train.py'), '--project', 'p', '--sleep', '0.05']);
    const done = finished(child);
    const dir = await waitForSteps(ws, 'p', 3);
    child.kill('SIGINT');
    const result = await done;
    const exit = exitOf(ws, dir);
    assert.deepEqual([exit.state, exit.code], ['killed', 130]);
    const text = ws.output(dir).map((r) => r.text).join('');
    assert.match(text, /stopping after \d+ steps/, 'the finally block ran');
    // A stop someone asked for is not an error (issue 17, item 3): no traceback, one line, and
    // the process ends by SIGINT, which a shell and the editor both report as exit code 130.
    assert.doesNotMatch(text + result.stderr, /Traceback|KeyboardInterrupt/);
    assert.match(result.stderr, /^runlog: run (\S+ )?stopped \(SIGINT\), exit code 130$/m);
    assert.deepEqual([result.code, result.signal], [null, 'SIGINT']);
  });

  it('keeps the traceback of a KeyboardInterrupt that no signal raised', async () => {
    const ws = new Workspace();
    const result = await ws.py('import runlog\nrun = runlog.init(project="p")\nraise KeyboardInterrupt("by hand")\n');
    const exit = exitOf(ws, ws.onlyRun('p'));
    assert.deepEqual([exit.state, exit.code], ['killed', 130]);
    assert.match(result.stderr, /Traceback[\s\S]*KeyboardInterrupt: by hand/);
  });

  it('leaves at most one torn last line, and every line before it whole, when killed with SIGKILL', async () => {
    const ws = new Workspace();
    const child = ws.start([join(EXAMPLES, 'long_train.py'), '--project', 'p', '--sleep', '0'], { RUNLOG_HEARTBEAT_INTERVAL: '0.05' });
    const done = finished(child);
    const dir = await waitForSteps(ws, 'p', 2000);
    child.kill('SIGKILL');
    await done;
    for (const name of ['events.jsonl', 'output.jsonl']) {
      const file = readJsonl(join(dir, name));
      assert.deepEqual(file.corrupt, [], `${name}: no corrupt line`);
      if (file.torn !== null) assert.ok(!file.torn.includes('\n'));
    }
    const events = readJsonl(join(dir, 'events.jsonl')).records;
    assert.equal(events[0]!.type, 'header');
    assert.equal(events.filter((r) => r.type === 'exit').length, 0);
    const steps = events.filter((r) => r.type === 'history').map((r) => r.step as number);
    assert.deepEqual(steps, Array.from({ length: steps.length }, (_, i) => i), 'no step is missing before the tear');
  });

  it('writes heartbeats while the run lives', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog, time\nrun = runlog.init(project="p")\nrun.log({"a": 1})\ntime.sleep(1.0)\nrun.finish()\n', { RUNLOG_HEARTBEAT_INTERVAL: '0.2' }));
    const beats = ws.events(ws.onlyRun('p'), 'heartbeat');
    assert.ok(beats.length >= 2, `heartbeats: ${beats.length}`);
    assert.equal(beats[beats.length - 1]!.step, 0);
  });

  it('tees stdout and stderr into output.jsonl at line boundaries, and restores the streams at finish', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import sys, time, runlog
run = runlog.init(project="p")
print("epoch 1 loss 0.42")
print("warn line", file=sys.stderr)
sys.stdout.write("partial")
time.sleep(1.5)
sys.stdout.write(" rest\\nline two\\nline three\\n")
print("ünïcödé ✓")
run.finish()
print("after finish")
`);
    ok(result);
    assert.equal(result.stdout, 'epoch 1 loss 0.42\npartial rest\nline two\nline three\nünïcödé ✓\nafter finish\n', 'the terminal still sees everything');
    assert.equal(result.stderr, 'warn line\n');
    const out = ws.output(ws.onlyRun('p'));
    for (const r of out) assert.equal(typeof r.ts, 'number');
    assert.deepEqual(out.map((r) => [r.stream, r.text]), [
      ['stdout', 'epoch 1 loss 0.42\n'],
      ['stderr', 'warn line\n'],
      ['stdout', 'partial'],
      ['stdout', ' rest\nline two\nline three\n'],
      ['stdout', 'ünïcödé ✓\n'],
    ]);
  });

  it('does not capture output with RUNLOG_CAPTURE_OUTPUT=0', async () => {
    const ws = new Workspace();
    const result = await ws.py('import runlog\nrun = runlog.init(project="p")\nprint("hello")\nrun.finish()\n', { RUNLOG_CAPTURE_OUTPUT: '0' });
    ok(result);
    assert.equal(result.stdout, 'hello\n');
    assert.deepEqual(ws.output(ws.onlyRun('p')), []);
  });

  it('samples system metrics every RUNLOG_SYSTEM_INTERVAL seconds, and none with 0', async () => {
    const ws = new Workspace();
    const code = 'import runlog, time\nrun = runlog.init(project="{p}")\ntime.sleep(1.2)\nrun.finish()\n';
    const on = ws.script(code.replace('{p}', 'on'), 'on.py');
    const off = ws.script(code.replace('{p}', 'off'), 'off.py');
    const results = await Promise.all([ws.run([on], { RUNLOG_SYSTEM_INTERVAL: '0.2' }), ws.run([off], { RUNLOG_SYSTEM_INTERVAL: '0' })]);
    for (const r of results) ok(r);
    const samples = ws.system(ws.onlyRun('on'));
    assert.ok(samples.length >= 3, `samples: ${samples.length}`);
    const data = samples[0]!.data as JsonRecord;
    if (process.platform === 'linux') {
      for (const key of ['cpu/percent', 'memory/used_bytes', 'memory/percent', 'process/rss_bytes', 'disk/read_bytes_per_s', 'disk/write_bytes_per_s', 'network/recv_bytes_per_s', 'network/sent_bytes_per_s']) {
        assert.equal(typeof data[key], 'number', key);
      }
      assert.ok((data['memory/percent'] as number) > 0 && (data['memory/percent'] as number) <= 100);
      assert.ok((data['process/rss_bytes'] as number) > 1e6);
    }
    assert.deepEqual(ws.system(ws.onlyRun('off')), []);
  });

  it('runs examples/train.py: the seed\'s loop, 10 epochs of accuracy and loss with its config', async () => {
    const ws = new Workspace();
    const result = await ws.run([join(EXAMPLES, 'train.py')], { RUNLOG_QUIET: '' });
    ok(result);
    const dir = ws.onlyRun('awesome-project');
    const records = ws.events(dir);
    assert.deepEqual(records.filter((r) => r.type === 'config').map((r) => r.data), [
      { learning_rate: 0.01, epochs: 10, architecture: 'CNN', dataset: 'CIFAR-100' },
    ]);
    const rows = history(records);
    assert.deepEqual(rows.map((r) => r.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of rows) assert.deepEqual(Object.keys(r.data).sort(), ['accuracy', 'loss']);
    assert.match(result.stdout, /^lr: 0\.01\nepoch=0, accuracy=/);
    assert.match(result.stderr, /runlog: Run history:\nrunlog: accuracy [▁-█]{10}\nrunlog:     loss [▁-█]{10}\n/);
    assert.equal(readFileSync(join(dir, 'events.jsonl'), 'utf8').endsWith('\n'), true);
  });
});
