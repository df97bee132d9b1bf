import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, exitCodeOf, RunProcess, type ProcessExit, type ProcessOutput } from '../../../src/extension/runs/RunProcess';
import { isAlive } from '../../../src/extension/runs/processTree';
import type { RunExecution } from '../../../src/extension/tasks/runExecution';

const posix = process.platform !== 'win32';

function exec(script: string, args: string[] = []): RunExecution {
  return { command: 'python3', args: ['-u', script, ...args], env: { ...process.env, PYTHONIOENCODING: 'utf-8' } as Record<string, string>, cwd: tmp, script };
}

function collect(p: RunProcess): { output: ProcessOutput[]; exit: Promise<ProcessExit> } {
  const output: ProcessOutput[] = [];
  p.onOutput((o) => output.push(o));
  const exit = new Promise<ProcessExit>((resolve) => p.onExit(resolve));
  return { output, exit };
}

let tmp: string;

describe('RunProcess (real python3 processes)', function () {
  this.timeout(180_000);

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'runlog-proc-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('streams stdout and stderr in order and reports the exit code', async () => {
    const script = join(tmp, 'out.py');
    writeFileSync(script, 'import sys\nfor i in range(20):\n    print("out", i)\n    print("err", i, file=sys.stderr)\nprint("ünï 🚀")\nsys.exit(3)\n');
    const p = new RunProcess(exec(script));
    const { output, exit } = collect(p);
    await p.start();
    const e = await exit;
    assert.equal(e.code, 3);
    assert.equal(e.stopped, false);
    const expected = Array.from({ length: 20 }, (_, i) => `out ${i}\nerr ${i}\n`).join('') + 'ünï 🚀\n';
    assert.equal(output.map((o) => o.text).join(''), expected);
  });

  it('runs a script whose path holds spaces, quotes, ;, $() and non-ASCII, with no shell in between', async () => {
    const dir = join(tmp, `a dir; $(touch pwned) 'q' "dq" ünï`);
    require('node:fs').mkdirSync(dir);
    const script = join(dir, `tr'ain "x"; $(touch pwned2).py`);
    writeFileSync(script, 'import sys\nprint(sys.argv[1:])\n');
    const p = new RunProcess(exec(script, ['$(touch pwned3)', 'a b']));
    const { output, exit } = collect(p);
    await p.start();
    assert.equal((await exit).code, 0);
    assert.equal(output.map((o) => o.text).join(''), "['$(touch pwned3)', 'a b']\n");
    for (const f of ['pwned', 'pwned2', 'pwned3']) assert.equal(existsSync(join(tmp, f)) || existsSync(join(dir, f)), false);
  });

  it('reports an interpreter that does not exist as a spawn error', async () => {
    const p = new RunProcess({ ...exec('x.py'), command: join(tmp, 'no-python') });
    const { exit } = collect(p);
    await p.start();
    const e = await exit;
    assert.equal(e.code, null);
    assert.match(e.spawnError ?? '', /not found/);
  });

  (posix ? it : it.skip)('stops gracefully with SIGINT: the script sees KeyboardInterrupt and cleans up', async () => {
    const marker = join(tmp, 'cleaned');
    const script = join(tmp, 'long.py');
    writeFileSync(script, `import time\nprint("ready", flush=True)\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    open(${JSON.stringify(marker)}, "w").write("yes")\n    raise\n`);
    const p = new RunProcess(exec(script));
    const { output, exit } = collect(p);
    await p.start();
    await until(() => output.some((o) => o.text.includes('ready')));
    const sig = await p.stop(5);
    const e = await exit;
    assert.equal(sig, 'SIGINT');
    assert.equal(e.stopped, true);
    assert.equal(readFileSync(marker, 'utf8'), 'yes');
  });

  (posix ? it : it.skip)('a stopped run of the SDK ends quietly, and terminal and record show one exit code (130)', async () => {
    const script = join(tmp, 'train.py');
    writeFileSync(script, 'import runlog, time\nrun = runlog.init(project="p")\nprint("ready", flush=True)\nfor i in range(10000):\n    run.log({"a": i})\n    time.sleep(0.02)\n');
    const store = join(tmp, 'store');
    const sdk = join(__dirname, '..', '..', '..', 'sdk', 'python');
    const p = new RunProcess({ ...exec(script), env: { ...exec(script).env, PYTHONPATH: sdk, RUNLOG_DIR: store, RUNLOG_QUIET: '1' } });
    const { output, exit } = collect(p);
    await p.start();
    await until(() => output.some((o) => o.text.includes('ready')));
    await p.stop(5);
    const e = await exit;
    const text = output.map((o) => o.text).join('');
    assert.doesNotMatch(text, /Traceback|KeyboardInterrupt/, 'no traceback for a stop that was asked for');
    assert.match(text, /stopped \(SIGINT\), exit code 130/);
    assert.equal(exitCodeOf(e), 130, 'the task terminal closes with this code');
    assert.equal(describeExit(e), 'exit code 130 (SIGINT)');
    const runs = require('node:fs').readdirSync(join(store, 'projects', 'p', 'runs')) as string[];
    const events = readFileSync(join(store, 'projects', 'p', 'runs', runs[0]!, 'events.jsonl'), 'utf8').trim().split('\n');
    assert.deepEqual(JSON.parse(events.at(-1)!), { ...JSON.parse(events.at(-1)!), type: 'exit', code: 130, state: 'killed' }, 'the run record agrees');
  });

  it('reports an exit by signal as 128 + its number, as shells do', () => {
    assert.equal(exitCodeOf({ code: null, signal: 'SIGINT' }), 130);
    assert.equal(exitCodeOf({ code: null, signal: 'SIGTERM' }), 143);
    assert.equal(exitCodeOf({ code: null, signal: 'SIGKILL' }), 137);
    assert.equal(exitCodeOf({ code: 2, signal: null }), 2);
    assert.equal(exitCodeOf({ code: null, signal: null }), 1);
    assert.equal(describeExit({ code: 0, signal: null }), 'exit code 0');
  });

  (posix ? it : it.skip)('escalates to SIGTERM and SIGKILL and kills the children too', async () => {
    const pids = join(tmp, 'pids');
    const script = join(tmp, 'stubborn.py');
    // Ignores SIGINT and SIGTERM; starts a child that does the same and a grandchild in its own session.
    writeFileSync(
      script,
      [
        'import os, signal, subprocess, sys, time',
        'signal.signal(signal.SIGINT, signal.SIG_IGN)',
        'signal.signal(signal.SIGTERM, signal.SIG_IGN)',
        `code = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"`,
        'a = subprocess.Popen([sys.executable, "-c", code])',
        'b = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)',
        `open(${JSON.stringify(pids)}, "w").write("%d %d" % (a.pid, b.pid))`,
        'print("ready", flush=True)',
        'time.sleep(120)',
      ].join('\n'),
    );
    const p = new RunProcess(exec(script));
    const { output, exit } = collect(p);
    await p.start();
    await until(() => output.some((o) => o.text.includes('ready')));
    const children = readFileSync(pids, 'utf8').split(' ').map(Number);
    const sig = await p.stop(0.5);
    await exit;
    assert.equal(sig, 'SIGKILL');
    await until(() => children.every((c) => !isAlive(c)));
    assert.equal(isAlive(p.pid!), false);
  });
});

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
