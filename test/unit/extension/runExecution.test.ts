import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildRunExecution, resolveScriptPath, substituteVariables, type LaunchContext } from '../../../src/extension/tasks/runExecution';
import { checkTaskDefinition, taskLabel, type RunlogTaskDefinition } from '../../../src/extension/tasks/taskDefinition';

const ws = path.resolve('/work/space');

function ctx(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    python: ['/usr/bin/python3'],
    workspaceFolder: ws,
    storeDir: path.join(ws, '.runlog'),
    sdkPath: '/ext/sdk/python',
    project: 'space',
    runId: 'abcd1234',
    runName: 'jolly-haze-4',
    quiet: false,
    systemInterval: 10,
    baseEnv: { PATH: '/usr/bin', HOME: '/home/u' },
    ...overrides,
  };
}

const def = (d: Partial<RunlogTaskDefinition> = {}): RunlogTaskDefinition => ({ type: 'runlog', script: 'train.py', ...d });

describe('buildRunExecution', () => {
  it('runs the interpreter with the absolute script path and its arguments as separate entries', () => {
    const exec = buildRunExecution(def({ args: ['--lr', '0.1', 'a b; $(rm -rf /)'] }), ctx());
    assert.equal(exec.command, '/usr/bin/python3');
    assert.deepEqual(exec.args, [path.join(ws, 'train.py'), '--lr', '0.1', 'a b; $(rm -rf /)']);
    assert.equal(exec.cwd, ws);
    assert.equal(exec.script, path.join(ws, 'train.py'));
  });

  it('keeps a script path with spaces, quotes, semicolons, $() and non-ASCII as one argument', () => {
    const weird = `dir with space/it's "q"; $(touch x) ünï 🚀.py`;
    const exec = buildRunExecution(def({ script: weird }), ctx());
    assert.equal(exec.args.length, 1);
    assert.equal(exec.args[0], path.join(ws, weird));
  });

  it('puts an interpreter given as a command line before the script', () => {
    const exec = buildRunExecution(def(), ctx({ python: ['conda', 'run', '-n', 'ml', 'python'] }));
    assert.equal(exec.command, 'conda');
    assert.deepEqual(exec.args, ['run', '-n', 'ml', 'python', path.join(ws, 'train.py')]);
  });

  it('carries the run context and the SDK in the environment', () => {
    const exec = buildRunExecution(
      def({ tags: ['a', ' b '], notes: 'first try', group: 'sweep-1', jobType: 'train', env: { EXTRA: '1' } }),
      ctx({ quiet: true, systemInterval: 3 }),
    );
    assert.equal(exec.env.RUNLOG_DIR, path.join(ws, '.runlog'));
    assert.equal(exec.env.RUNLOG_PROJECT, 'space');
    assert.equal(exec.env.RUNLOG_RUN_ID, 'abcd1234');
    assert.equal(exec.env.RUNLOG_RUN_NAME, 'jolly-haze-4');
    assert.equal(exec.env.RUNLOG_TAGS, 'a,b');
    assert.equal(exec.env.RUNLOG_NOTES, 'first try');
    assert.equal(exec.env.RUNLOG_GROUP, 'sweep-1');
    assert.equal(exec.env.RUNLOG_JOB_TYPE, 'train');
    assert.equal(exec.env.RUNLOG_QUIET, '1');
    assert.equal(exec.env.RUNLOG_SYSTEM_INTERVAL, '3');
    assert.equal(exec.env.RUNLOG_CAPTURE_OUTPUT, '1');
    assert.equal(exec.env.PYTHONPATH, ['/ext/sdk/python', path.join('/ext/sdk/python', 'runlog', 'wandb_compat')].join(path.delimiter));
    assert.equal(exec.env.RUNLOG_WANDB, 'auto');
    assert.equal(exec.env.PYTHONUNBUFFERED, '1');
    assert.equal(exec.env.EXTRA, '1');
    assert.equal(exec.env.PATH, '/usr/bin');
  });

  it('puts the SDK before an existing PYTHONPATH', () => {
    const exec = buildRunExecution(def(), ctx({ baseEnv: { PYTHONPATH: '/mine' }, wandbStandIn: 'off' }));
    assert.equal(exec.env.PYTHONPATH, `/ext/sdk/python${path.delimiter}/mine`);
    assert.equal(exec.env.RUNLOG_WANDB, undefined);
    const fromTask = buildRunExecution(def({ env: { PYTHONPATH: '/task' } }), ctx({ baseEnv: { PYTHONPATH: '/mine' }, wandbStandIn: 'off' }));
    assert.equal(fromTask.env.PYTHONPATH, `/ext/sdk/python${path.delimiter}/task`);
  });

  it('puts the wandb stand-in after the SDK unless runlog.wandbStandIn is off, and says which mode in RUNLOG_WANDB', () => {
    const standIn = path.join('/ext/sdk/python', 'runlog', 'wandb_compat');
    const always = buildRunExecution(def(), ctx({ baseEnv: { PYTHONPATH: '/mine', RUNLOG_WANDB: 'off' }, wandbStandIn: 'always' }));
    assert.equal(always.env.PYTHONPATH, ['/ext/sdk/python', standIn, '/mine'].join(path.delimiter));
    assert.equal(always.env.RUNLOG_WANDB, 'always');
    const off = buildRunExecution(def(), ctx({ baseEnv: { RUNLOG_WANDB: 'always' }, wandbStandIn: 'off' }));
    assert.equal(off.env.RUNLOG_WANDB, undefined, 'an inherited RUNLOG_WANDB is dropped');
  });

  it('drops run-context variables inherited from the editor, so two runs never share an ID', () => {
    const exec = buildRunExecution(def(), ctx({ baseEnv: { RUNLOG_RUN_ID: 'stale', RUNLOG_RESUME: 'must', RUNLOG_TAGS: 'old' } }));
    assert.equal(exec.env.RUNLOG_RUN_ID, 'abcd1234');
    assert.equal(exec.env.RUNLOG_RESUME, undefined);
    assert.equal(exec.env.RUNLOG_TAGS, undefined);
  });

  it('passes resume, fork and rewind to the SDK', () => {
    const exec = buildRunExecution(def({ resume: 'must', forkFrom: 'abc?_step=3', resumeFrom: 'xyz?_step=9' }), ctx());
    assert.equal(exec.env.RUNLOG_RESUME, 'must');
    assert.equal(exec.env.RUNLOG_FORK_FROM, 'abc?_step=3');
    assert.equal(exec.env.RUNLOG_RESUME_FROM, 'xyz?_step=9');
  });

  it('resolves cwd against the workspace folder and defaults to the script folder without one', () => {
    assert.equal(buildRunExecution(def({ cwd: 'sub' }), ctx()).cwd, path.join(ws, 'sub'));
    const noFolder = buildRunExecution(def({ script: '/tmp/x/train.py' }), ctx({ workspaceFolder: undefined }));
    assert.equal(noFolder.cwd, '/tmp/x');
  });

  it('substitutes ${workspaceFolder}, ${file} and ${env:X} and leaves other text alone', () => {
    const c = ctx({ activeFile: '/a/b.py', baseEnv: { X: 'ex' } });
    assert.equal(substituteVariables('${workspaceFolder}/${file}:${env:X}:${nope}:$(echo)', c), `${ws}//a/b.py:ex:\${nope}:$(echo)`);
    assert.equal(resolveScriptPath(def({ script: '${file}' }), c), '/a/b.py');
  });
});

describe('checkTaskDefinition', () => {
  it('accepts a full definition', () => {
    const r = checkTaskDefinition({ type: 'runlog', script: 'a.py', args: ['x'], tags: ['t'], env: { A: 'b' }, resume: 'allow', forkFrom: 'abc12345?_step=10' });
    assert.equal(r.ok, true);
  });

  it('names every wrong field', () => {
    const r = checkTaskDefinition({ type: 'runlog', script: '', args: 'x y', tags: ['a,b'], env: { A: 1 }, project: '.hidden', runId: 'has space', resume: 'sometimes', forkFrom: 'abc' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const word of ['"script"', '"args"', 'comma', '"env"', '"project"', '"runId"', '"resume"', '"forkFrom"']) {
      assert.ok(text.includes(word), `expected a message about ${word} in:\n${text}`);
    }
  });

  it('refuses what is not an object', () => {
    assert.equal(checkTaskDefinition('train.py').ok, false);
    assert.equal(checkTaskDefinition(null).ok, false);
  });

  it('labels a task by its script file and run name', () => {
    assert.equal(taskLabel({ script: 'src/train.py' }), 'train.py');
    assert.equal(taskLabel({ script: 'src/train.py', name: 'baseline' }), 'train.py (baseline)');
  });
});

import { parseCommandArgs } from '../../../src/extension/runs/commandArgs';
import { relaunchDefinition, stepProblem } from '../../../src/extension/runs/relaunch';

describe('parseCommandArgs', () => {
  const row = (key: string) => ({ kind: 'run', id: `run:${key}`, key });

  it('takes the clicked row, or the whole selection when the row is part of it', () => {
    assert.deepEqual(parseCommandArgs([row('p/a')]).keys, ['p/a']);
    assert.deepEqual(parseCommandArgs([row('p/a'), [row('p/a'), row('p/b')]]).keys, ['p/a', 'p/b']);
    assert.deepEqual(parseCommandArgs([row('p/c'), [row('p/a'), row('p/b')]]).keys, ['p/c']);
  });

  it('accepts keys, lists of keys and answers', () => {
    assert.deepEqual(parseCommandArgs(['p/a', { name: 'x' }]), { keys: ['p/a'], answers: { name: 'x' } });
    assert.deepEqual(parseCommandArgs([row('p/a'), undefined, { confirm: true }]), { keys: ['p/a'], answers: { confirm: true } });
    assert.deepEqual(parseCommandArgs([['p/a', 'p/b'], { confirm: true }]).keys, ['p/a', 'p/b']);
  });

  it('ignores project and group rows and asks when nothing names a run', () => {
    assert.deepEqual(parseCommandArgs([{ kind: 'project', id: 'project:p', name: 'p' }]).keys, []);
    assert.deepEqual(parseCommandArgs([]).keys, []);
  });
});

describe('relaunchDefinition', () => {
  const run = {
    id: 'abc12345',
    project: 'proj',
    program: '/w/train.py',
    command: ['/usr/bin/python3', 'train.py', '--lr', '0.1'],
    cwd: '/w',
    group: 'g',
    jobType: 'train',
    meta: { python: { executable: '/venv/bin/python' } },
  };

  it('resumes the same run with the same command', () => {
    assert.deepEqual(relaunchDefinition(run, { kind: 'resume' }), {
      type: 'runlog',
      script: '/w/train.py',
      args: ['--lr', '0.1'],
      project: 'proj',
      cwd: '/w',
      python: '/venv/bin/python',
      runId: 'abc12345',
      resume: 'must',
    });
  });

  it('forks into a new run and rewinds the same one', () => {
    const fork = relaunchDefinition(run, { kind: 'fork', step: 7 });
    assert.equal(fork.forkFrom, 'abc12345?_step=7');
    assert.equal(fork.runId, undefined);
    assert.equal(fork.group, 'g');
    const rewind = relaunchDefinition(run, { kind: 'rewind', step: 3 });
    assert.equal(rewind.resumeFrom, 'abc12345?_step=3');
    assert.equal(rewind.runId, 'abc12345');
  });

  it('finds the script from the recorded argv when no program was recorded, and refuses without either', () => {
    assert.equal(relaunchDefinition({ ...run, program: null }, { kind: 'resume' }).script, '/w/train.py');
    assert.throws(() => relaunchDefinition({ ...run, program: null, command: null, meta: {} }, { kind: 'resume' }), /did not record/);
  });

  it('checks step numbers', () => {
    assert.equal(stepProblem('5', 10), undefined);
    assert.match(stepProblem('11', 10)!, /last step is 10/);
    assert.match(stepProblem('-1', 10)!, /step number/);
    assert.match(stepProblem('2', null)!, /no steps/);
  });
});
