// Debug Run's launch configuration: built from the same execution a task runs, carrying only the
// run context (not the whole inherited environment), with the interpreter debugpy should use.
import * as assert from 'node:assert/strict';
import { debugLaunch, pythonDebugType, runContextEnv } from '../../../src/extension/debug/debugConfig';
import { buildRunExecution } from '../../../src/extension/tasks/runExecution';

describe('Debug Run configuration', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/me', RUNLOG_RUN_ID: 'stale' };
  const execution = buildRunExecution(
    { type: 'runlog', script: 'train.py', args: ['--epochs', '3'] },
    { python: ['conda', 'run', '-n', 'ml', 'python'], workspaceFolder: '/ws', storeDir: '/ws/.runlog', sdkPath: '/ext/sdk/python', project: 'p', runId: 'abc123', runName: undefined, quiet: false, systemInterval: 10, baseEnv: base },
  );

  it('prefers the Python Debugger extension’s debugpy type, then the older python type', () => {
    assert.equal(pythonDebugType([{ type: 'node' }, { type: 'python' }, { type: 'debugpy' }]), 'debugpy');
    assert.equal(pythonDebugType([{ type: 'python' }]), 'python');
    assert.equal(pythonDebugType([{ type: 'node' }, {}]), undefined);
  });

  it('runs the planned script with its arguments, folder, interpreter and run context', () => {
    const config = debugLaunch('debugpy', execution, 'p/abc123', 'train.py', base);
    assert.equal(config.program, '/ws/train.py');
    assert.deepEqual(config.args, ['--epochs', '3']);
    assert.equal(config.cwd, '/ws');
    assert.deepEqual(config.python, ['conda', 'run', '-n', 'ml', 'python']);
    assert.equal(config.runlogRun, 'p/abc123');
    assert.equal(config.env.RUNLOG_RUN_ID, 'abc123');
    assert.equal(config.env.RUNLOG_DIR, '/ws/.runlog');
    assert.match(config.env.PYTHONPATH!, /^\/ext\/sdk\/python/);
    assert.ok(!('PATH' in config.env) && !('HOME' in config.env), 'the inherited environment is not copied');
    assert.deepEqual(runContextEnv({ env: { A: '1', B: '2' } }, { A: '1' }), { B: '2' });
  });

  it('names a single interpreter by its path', () => {
    const plain = buildRunExecution({ type: 'runlog', script: '/abs/t.py' }, { python: ['/usr/bin/python3'], workspaceFolder: undefined, storeDir: '/s', sdkPath: '/sdk', project: 'p', runId: 'r', runName: undefined, quiet: true, systemInterval: 0, baseEnv: {} });
    assert.equal(debugLaunch('python', plain, 'p/r', 't.py', {}).python, '/usr/bin/python3');
  });
});
