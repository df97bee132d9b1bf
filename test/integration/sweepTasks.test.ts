// Issue 13 (gap): a sweep defined in tasks.json. "Run Task" lists a `runlog-sweep` task per sweep
// file and the tasks.json one; running it creates the sweep and its agents run every trial.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunlogApi } from '../../src/extension/RunlogExtension';
import { eventually } from './support';

const TRAIN = `import runlog
run = runlog.init()
for step in range(3):
    run.log({"loss": run.config["lr"] * (3 - step) + (0.5 if run.config["opt"] == "sgd" else 0.0)})
`;

const GRID = `program: sweep-task/train.py
method: grid
metric:
  name: loss
  goal: minimize
parameters:
  lr:
    values: [0.1, 0.01]
  opt:
    values: [adam, sgd]
`;

describe('Sweep tasks (issue 13)', function () {
  this.timeout(300_000);
  let api: RunlogApi;
  let root: string;
  let tasksJson: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<RunlogApi>('runlog.runlog');
    assert.ok(extension);
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    mkdirSync(path.join(root, 'sweep-task'), { recursive: true });
    writeFileSync(path.join(root, 'sweep-task', 'train.py'), TRAIN);
    writeFileSync(path.join(root, 'sweep-task', 'grid.yaml'), GRID);
    tasksJson = path.join(root, '.vscode', 'tasks.json');
    mkdirSync(path.dirname(tasksJson), { recursive: true });
    writeFileSync(tasksJson, JSON.stringify({ version: '2.0.0', tasks: [{ label: 'grid sweep', type: 'runlog-sweep', config: 'sweep-task/grid.yaml', agents: 2 }] }, null, 2));
  });

  after(() => {
    rmSync(tasksJson, { force: true });
    rmSync(path.join(root, 'sweep-task'), { recursive: true, force: true });
  });

  it('runs a sweep defined in tasks.json: the sweep is created and two agents run its four grid trials', async () => {
    const tasks = await eventually('the runlog-sweep tasks', async () => {
      const all = await vscode.tasks.fetchTasks({ type: 'runlog-sweep' });
      return all.some((t) => t.name === 'grid sweep') && all.some((t) => t.name === 'sweep: sweep-task/grid.yaml · 1 agent') ? all : undefined;
    }, 120_000);
    const task = tasks.find((t) => t.name === 'grid sweep')!;
    assert.equal(task.source, 'Workspace', 'the task comes from tasks.json');
    assert.equal(tasks.find((t) => t.name === 'sweep: sweep-task/grid.yaml · 1 agent')?.source, 'Runlog');
    const before = new Set((api.store()?.listRuns(undefined) ?? []).map((r) => r.key));
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.tasks.onDidEndTask((e) => {
        if (e.execution.task.name === 'grid sweep') {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.tasks.executeTask(task);
    await ended;
    const runs = await eventually('the four trials in the store', () => {
      const store = api.store();
      store?.sync();
      const fresh = (store?.listRuns(undefined) ?? []).filter((r) => !before.has(r.key) && r.sweepId);
      return fresh.length >= 4 && fresh.every((r) => r.state === 'finished') ? fresh : undefined;
    }, 120_000);
    assert.equal(runs.length, 4);
    assert.equal(new Set(runs.map((r) => r.sweepId)).size, 1, 'one sweep');
    const sweep = await eventually('the sweep in the Sweeps view', () => api.editor().sweeps.service.sweeps.find((s) => s.id === runs[0]!.sweepId));
    assert.equal(sweep.method, 'grid');
  });
});
