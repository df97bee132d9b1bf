import * as assert from 'node:assert/strict';
import { agentCountProblem, agentProcess, createSweepProcess, looksLikeSweepConfig } from '../../../src/extension/sweeps/sweepLaunch';

describe('Start Sweep: what it runs', () => {
  const ctx = { python: ['/opt/py/bin/python', '-X', 'utf8'], storeDir: '/w/.runlog', sdkPath: '/ext/sdk/python', cwd: '/w', baseEnv: { PATH: '/bin', PYTHONPATH: '/mine', RUNLOG_RUN_ID: 'stale' } };

  it('creates the sweep and runs each agent as an argument vector, the SDK first on PYTHONPATH, no inherited run context', () => {
    const create = createSweepProcess(ctx, '/w/sweeps/a b;$(rm).yaml');
    assert.equal(create.command, '/opt/py/bin/python');
    assert.deepEqual(create.args, ['-X', 'utf8', '-m', 'runlog._sweeps', 'create', '/w/sweeps/a b;$(rm).yaml', '--dir', '/w/.runlog']);
    assert.equal(create.env.PYTHONPATH, '/ext/sdk/python:/mine');
    assert.equal(create.env.RUNLOG_RUN_ID, undefined);
    assert.equal(create.env.RUNLOG_DIR, '/w/.runlog');
    assert.deepEqual(agentProcess(ctx, 'abc12345').args.slice(2), ['-m', 'runlog._sweeps', 'agent', 'abc12345', '--dir', '/w/.runlog']);
  });

  it('asks for 1 to 64 agents, and finds the method line of a YAML or JSON sweep config', () => {
    assert.equal(agentCountProblem('4'), undefined);
    assert.match(agentCountProblem('0')!, /1 to 64/);
    assert.match(agentCountProblem('two')!, /1 to 64/);
    assert.equal(looksLikeSweepConfig('# c\nprogram: t.py\nmethod: bayes\nparameters:\n  x: {min: 0, max: 1}\n'), 2);
    assert.equal(looksLikeSweepConfig('{\n  "method": "grid",\n  "parameters": {}\n}'), 1);
    assert.equal(looksLikeSweepConfig('method: grid\n'), undefined);
    assert.equal(looksLikeSweepConfig('name: ci\non: push\n'), undefined);
  });
});
