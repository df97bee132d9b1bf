// `runlog sweep …` end to end in this process: the CLI starts the Python agent, which starts the
// sweep's program per trial; show/ls read the sweep's files; `runlog ls --filter sweep:<id>`.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/main';

const SDK = resolve(__dirname, '../../../sdk/python');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('CLI: runlog sweep', function () {
  this.timeout(120_000);
  let ws: string;
  let env: NodeJS.ProcessEnv;

  async function cli(...args: string[]): Promise<Result> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: ws });
    return { code, stdout, stderr };
  }

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'runlog-sweep-cli-'));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONPATH: SDK, RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0', RUNLOG_HEARTBEAT_INTERVAL: '0.2' };
    writeFileSync(join(ws, 'train.py'), 'import runlog\nrun = runlog.init()\nfor i in range(3):\n    run.log({"loss": abs(run.config["lr"] - 0.02) + i})\n');
    writeFileSync(join(ws, 'sweep.yaml'), [
      'program: train.py',
      'method: grid',
      'metric:',
      '  name: loss',
      '  goal: minimize',
      'parameters:',
      '  lr:',
      '    values: [0.1, 0.02, 0.001]',
      '',
    ].join('\n'));
    writeFileSync(join(ws, 'bad.yaml'), 'method: grid\nparameters:\n  lr:\n    min: 1\n    max: 0\n');
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('creates a sweep, runs its program per trial, shows the best run, lists it, filters its runs, stops it', async () => {
    const created = await cli('sweep', 'create', 'sweep.yaml', '--project', 'cli');
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^[a-z0-9]{8}$/);

    const agent = await cli('sweep', 'agent', id, '--count', '2');
    assert.equal(agent.code, 0, agent.stderr);
    let shown = JSON.parse((await cli('sweep', 'show', id, '--json')).stdout) as { state: string; total: number; counts: Record<string, number>; best: { runId: string; metric: number; params: { lr: number } } };
    assert.equal(shown.total, 3);
    assert.equal(shown.counts.finished, 2);
    assert.equal(shown.state, 'running');

    assert.equal((await cli('sweep', 'agent', id)).code, 0);
    shown = JSON.parse((await cli('sweep', 'show', id, '--json')).stdout) as typeof shown;
    assert.equal(shown.state, 'done');
    assert.equal(shown.counts.finished, 3);
    assert.deepEqual(shown.best.params, { lr: 0.02 });
    assert.equal(shown.best.metric, 2);

    const text = (await cli('sweep', 'show', id)).stdout;
    assert.match(text, /Method: +grid/);
    assert.match(text, new RegExp(`Best: +run ${shown.best.runId} \\(trial 1\\), loss = 2`));
    assert.match(text, /Trials: +3\/3; 3 finished, 0 killed, 0 failed, 0 crashed/);

    const ls = (await cli('sweep', 'ls')).stdout;
    assert.match(ls, new RegExp(`${id} +cli +grid +done +3/3 +loss=2 \\(${shown.best.runId}\\)`));

    const runs = JSON.parse((await cli('ls', '--filter', `sweep:${id}`, '--json')).stdout) as { id: string; sweepId: string }[];
    assert.equal(runs.length, 3);
    assert.ok(runs.every((r) => r.sweepId === id));
    assert.ok(runs.some((r) => r.id === shown.best.runId));

    const stop = await cli('sweep', 'stop', id);
    assert.equal(stop.code, 0);
    const second = await cli('sweep', 'create', 'sweep.yaml', '--project', 'cli');
    const other = second.stdout.trim();
    await cli('sweep', 'stop', other);
    const refused = await cli('sweep', 'agent', other);
    assert.equal(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`sweep ${other} is stopped`));
    assert.equal((JSON.parse((await cli('sweep', 'show', other, '--json')).stdout) as { trials: unknown[] }).trials.length, 0);
  });

  it('names the offending key of a bad config, and refuses unknown commands and sweeps', async () => {
    const bad = await cli('sweep', 'create', 'bad.yaml');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /parameters\.lr: min \(1\) is greater than max \(0\)/);
    const unknown = await cli('sweep', 'frobnicate', 'x');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const missing = await cli('sweep', 'show', 'nosuch00');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no sweep "nosuch00"/);
    const count = await cli('sweep', 'agent', 'x', '--count', '0');
    assert.match(count.stderr, /--count must be a positive integer/);
  });
});
