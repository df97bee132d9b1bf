// The editor surfaces inside a real VS Code: Start Run as a task, the Output channel, states on
// exit, Stop Run from the tree and from the code lens (children included), terminal-typed runs,
// every context-menu action against the store, filter and sort, and bad input.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo, RunKey, RunlogStore } from '../../src/core/model';
import { parseRunKey } from '../../src/core/model';
import type { RunNode } from '../../src/extension/explorer/runTreeModel';
import type { EditorSurfaces, RunlogApi } from '../../src/extension/RunlogExtension';
import { isAlive } from '../../src/extension/runs/processTree';
import { RunBuilder, thisProcess } from '../fixtures/runBuilder';

const EXTENSION_ID = 'runlog.runlog';

let api: RunlogApi;
let editor: EditorSurfaces;
let ws: string;
let scripts: string;

function store(): RunlogStore {
  const s = api.store();
  assert.ok(s, 'the store is not open');
  return s;
}

/** A run by ID in any project (scripts may name their own project). */
function runById(id: string): RunInfo | undefined {
  store().sync();
  return store()
    .listRuns(undefined)
    .find((r) => r.id === id);
}

function runByKey(key: RunKey): RunInfo | undefined {
  store().sync();
  return store()
    .listRuns(parseRunKey(key)!.project)
    .find((r) => r.key === key);
}

async function startRun(options: Record<string, unknown>): Promise<string> {
  const key = await vscode.commands.executeCommand<RunKey | undefined>('runlog.startRun', options);
  assert.ok(key, `Start Run did not start ${String(options.script)}`);
  return parseRunKey(key)!.id;
}

async function ended(id: string, ms = 60_000): Promise<RunInfo> {
  return eventually(`run ${id} to end`, () => {
    const run = runById(id);
    const launch = editor.launcher.launches.find((l) => l.plan.runId === id);
    if (run && run.state !== 'running' && !launch) return run;
    // Names what is still not over, for the failure message.
    const pid = run?.pid ?? undefined;
    throw new Error(
      `state ${run?.state ?? 'not in the store'}, recorded pid ${pid ?? '-'} ${pid && isAlive(pid) ? 'alive' : 'gone'}, ` +
        (launch ? `launch ${launch.plan.key} pid ${launch.process.pid ?? '-'} stopping ${launch.process.isStopping} exited ${JSON.stringify(launch.process.exited ?? null)}` : 'no launch'),
    );
  }, ms);
}

/**
 * The explorer's row for a run, once the tree shows it. `live`: wait for the explorer's own
 * refresh on store changes instead of asking it to re-read the store.
 */
async function treeRow(id: string, live = false): Promise<RunNode> {
  return eventually(`run ${id} in the explorer`, () => {
    if (!live) editor.explorer.refresh();
    return editor.explorer.runNodes().find((n) => n.run.id === id);
  });
}

function outputOf(id: string): string {
  return store()
    .readOutput(runById(id)!.key, 0, 10_000)
    .map((l) => l.text)
    .join('');
}

/** A script that starts a child process, records its pid, then logs until stopped. */
const SPAWNER = `import os, subprocess, sys, time
import runlog
run = runlog.init(project="spawn")
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "child-%s.pid" % run.id), "w").write(str(child.pid))
step = 0
while True:
    run.log({"loss": 1.0 / (step + 1)})
    print("step", step, flush=True)
    step += 1
    time.sleep(0.2)
`;
import { eventually } from './support';

describe('Editor surfaces', function () {
  this.timeout(240_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<RunlogApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    editor = api.editor();
    ws = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    scripts = path.join(ws, 'examples');
    cpSync(path.join(extension.extensionPath, 'examples'), scripts, { recursive: true });
    writeFileSync(path.join(scripts, 'spawner.py'), SPAWNER);
    cpSync(path.join(extension.extensionPath, 'test', 'fixtures', 'scripts', 'held_train.py'), path.join(scripts, 'held_train.py'));
    await vscode.workspace.getConfiguration('runlog').update('stopGracePeriod', 2, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('runlog.runs.focus');
  });

  after(async () => {
    await Promise.all(editor.launcher.launches.map((l) => l.process.stop(0)));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Start Run runs examples/train.py as a runlog task, streams it to the Output channel and ends finished', async () => {
    const tasks: vscode.Task[] = [];
    const listener = vscode.tasks.onDidStartTask((e) => tasks.push(e.execution.task));
    const id = await startRun({ script: path.join(scripts, 'train.py'), tags: ['it'] });
    listener.dispose();
    const run = await ended(id);
    const task = tasks.find((t) => t.definition.type === 'runlog');
    assert.ok(task, 'no task of type runlog started');
    assert.equal(task.definition.script, path.join(scripts, 'train.py'));
    assert.equal(task.source, 'Runlog');
    assert.equal(run.state, 'finished');
    assert.equal(run.project, 'awesome-project', 'the script’s own project= wins over the default');
    assert.deepEqual(run.tags, ['it']);
    assert.equal(run.program, path.join(scripts, 'train.py'));
    const channel = editor.output.tail.filter((l) => l.startsWith(`[${run.name}]`));
    assert.ok(channel.some((l) => l.includes('epoch=9')), `the Output channel lacks the script's output:\n${channel.join('\n')}`);
    assert.ok(channel.some((l) => l.includes('finished')), 'the Output channel does not say how the run ended');
    assert.ok(!channel.some((l) => l.includes('\u001b')), 'ANSI codes leaked into the Output channel');
    assert.match(outputOf(id), /epoch=9/, 'the run’s own log is kept whole with it');
  });

  it('shows a live run as running in the explorer, with a spinning icon and a live description', async () => {
    // The script holds, alive, until released: it cannot end before it was seen running.
    const release = path.join(scripts, 'release-live-row.flag');
    const id = await startRun({ script: path.join(scripts, 'held_train.py'), args: ['--steps', '40', '--sleep', '0.1', '--hold', release] });
    const row = await eventually('a running row with a step', async () => {
      const node = await treeRow(id, true);
      return node.run.state === 'running' && node.run.lastStep !== null ? node : undefined;
    });
    const item = editor.explorer.getTreeItem(row);
    assert.equal(item.contextValue, 'run:running');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    assert.match(String(item.description), /^step \d+ · loss [\d.]+ · \d+s$/);
    assert.ok(editor.status.liveCount() >= 1, 'the status bar counts the live run');
    writeFileSync(release, 'done');
    const run = await ended(id);
    assert.equal(run.state, 'finished');
    assert.equal(editor.explorer.getTreeItem((await treeRow(id))).contextValue, 'run:finished');
  });

  it('folds a burst of store changes into one tree update that names only the changed row, read alone', async () => {
    const id = `busy${Math.random().toString(36).slice(2, 7)}`;
    const key = `busy/${id}`;
    const builder = new RunBuilder(api.storeDir(), 'busy', id).now().init({ name: 'busy-run-1', ...thisProcess() }).heartbeat().write();
    await treeRow(id);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const events: unknown[] = [];
    const sub = editor.explorer.onDidChangeTreeData((e) => events.push(e));
    const full = editor.explorer.refreshes.full;
    try {
      for (let step = 0; step < 100; step++) {
        builder.history(step, { loss: 1 / (step + 1) }, Date.now() / 1000).write();
        store().sync();
      }
      assert.equal(events.length, 0, 'the tree was redrawn during the burst');
      await eventually('the row to show the last step', () => editor.explorer.findRun(key)?.run.lastStep === 99);
      assert.ok(events.length >= 1 && events.length <= 3, `${events.length} tree updates for one burst`);
      for (const e of events) {
        assert.ok(Array.isArray(e) && e.length === 1 && (e[0] as RunNode).key === key, `a tree update named more than the busy row: ${JSON.stringify(e)}`);
      }
      // Issue 14, item 4: new history re-reads the busy run's row alone, not every project.
      assert.equal(editor.explorer.refreshes.full, full, 'the burst re-read every project');
    } finally {
      sub.dispose();
      builder.exit(0).write();
    }
  });

  it('ends a failing script failed, with its traceback in the output', async () => {
    const id = await startRun({ script: path.join(scripts, 'fail.py') });
    const run = await ended(id);
    assert.equal(run.state, 'failed');
    assert.notEqual(run.exitCode, 0);
    assert.ok(editor.output.tail.some((l) => l.includes('simulated failure after 3 steps')));
    assert.equal((editor.explorer.getTreeItem(await treeRow(id)).iconPath as vscode.ThemeIcon).id, 'error');
  });

  it('Stop Run from the tree kills a long run and the processes it started', async () => {
    const id = await startRun({ script: path.join(scripts, 'spawner.py') });
    const pidFile = path.join(scripts, `child-${id}.pid`);
    await eventually('the child pid file', () => existsSync(pidFile));
    const child = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(child));
    const row = await treeRow(id);
    await vscode.commands.executeCommand('runlog.stopRun', row, [row]);
    const run = await ended(id);
    assert.equal(run.state, 'killed');
    await eventually('the child process to be gone', () => !isAlive(child));
    assert.equal(isAlive(run.pid!), false);
  });

  it('stops a run on Ctrl+C in its task terminal, and when its terminal is closed', async () => {
    for (const how of ['ctrl-c', 'close'] as const) {
      const id = await startRun({ script: path.join(scripts, 'long_train.py'), name: `term-${how}` });
      await eventually('the run to log a step', () => runById(id)?.lastStep !== null && runById(id)?.lastStep !== undefined);
      const terminal = await eventually('the task terminal', () => vscode.window.terminals.find((t) => t.name.includes(`term-${how}`)));
      if (how === 'ctrl-c') terminal.sendText('\x03', false);
      else terminal.dispose();
      const run = await ended(id);
      assert.equal(run.state, 'killed', `${how} left the run ${run.state}`);
      assert.equal(isAlive(run.pid!), false);
      if (how === 'ctrl-c') terminal.dispose();
    }
  });

  it('offers Start Run above init(), then Stop Run while it runs, which kills it, and Open Run', async () => {
    const file = vscode.Uri.file(path.join(scripts, 'long_train.py'));
    await vscode.window.showTextDocument(file);
    const lenses = async (): Promise<vscode.CodeLens[]> => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file)) ?? [];
    const titles = async (): Promise<string[]> => (await lenses()).map((l) => l.command?.title ?? '');
    const initLine = readFileSync(file.fsPath, 'utf8').split('\n').findIndex((l) => l.includes('runlog.init('));
    assert.ok((await titles()).some((t) => t.includes('Start Run')));
    // The run lenses sit on the init( line; the call-site lenses of a recent run (issue 16) sit on its log( lines.
    const runLenses = (await lenses()).filter((l) => /Start Run|Start with Options|Stop Run|Open Run/.test(l.command?.title ?? ''));
    assert.ok(runLenses.length > 0 && runLenses.every((l) => l.range.start.line === initLine), 'the run lenses sit on the init( line');

    const id = await startRun({ script: file.fsPath });
    const stopLens = await eventually('a Stop Run lens with the run name and step', async () =>
      (await lenses()).find((l) => /Stop Run .+ · step \d+/.test(l.command?.title ?? '')),
    );
    assert.ok(!(await titles()).some((t) => t.includes('Start Run')), 'no Start Run lens while a run of the file is live');
    await vscode.commands.executeCommand(stopLens.command!.command, ...(stopLens.command!.arguments ?? []));
    const run = await ended(id);
    assert.equal(run.state, 'killed');
    await eventually('Start Run and Open Run lenses again', async () => {
      const t = await titles();
      return t.some((x) => x.includes('Start Run')) && t.some((x) => x.includes(`Open Run ${run.name}`));
    });
    const plain = await vscode.workspace.openTextDocument({ language: 'python', content: 'print("no run here")\n' });
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plain.uri);
    assert.equal(none?.length ?? 0, 0);
  });

  it('tracks a run typed into an integrated terminal, and stops it through its recorded pid', async () => {
    const before = new Set(store().listRuns(undefined).map((r) => r.id));
    // From a subfolder: the SDK's default store would be examples/.runlog; RUNLOG_DIR sends it to the workspace store.
    const terminal = vscode.window.createTerminal({ name: 'by hand', cwd: scripts });
    try {
      terminal.sendText(`python3 long_train.py --sleep 0.2 --project by-hand`);
      const run = await eventually('the terminal run in the store', () =>
        store()
          .listRuns('by-hand')
          .find((r) => !before.has(r.id) && r.state === 'running'),
      60_000);
      assert.equal(path.dirname(run.dir), path.join(api.storeDir(), 'projects', 'by-hand', 'runs'), 'it wrote into the workspace store');
      const row = await treeRow(run.id, true);
      await vscode.commands.executeCommand('runlog.stopRun', row);
      const stopped = await ended(run.id);
      assert.equal(stopped.state, 'killed');
      assert.equal(isAlive(run.pid!), false);
    } finally {
      terminal.dispose();
    }
  });

  it('runs a runlog task from tasks.json through Run Task, arguments kept whole', async () => {
    const vscodeDir = path.join(ws, '.vscode');
    mkdirSync(vscodeDir, { recursive: true });
    const tasksJson = path.join(vscodeDir, 'tasks.json');
    writeFileSync(path.join(scripts, 'notes.py'), 'print("no run here")\n');
    writeFileSync(
      tasksJson,
      JSON.stringify({
        version: '2.0.0',
        tasks: [{ type: 'runlog', label: 'short training', script: 'examples/long_train.py', args: ['--steps', '5', '--sleep', '0.05', '--project', 'from tasks'.replace(' ', '-')], tags: ['tasks-json'] }],
      }),
    );
    try {
      // The workspace scan behind "Run Task" can be cut short on a loaded machine; a person
      // opening the list again sees it whole, so ask again until it is (or the ceiling).
      let names: string[] = [];
      await eventually('Run Task to offer examples/train.py', async () => {
        const fetched = await vscode.tasks.fetchTasks({ type: 'runlog' });
        names = fetched.map((t) => t.name);
        return names.includes('examples/train.py') && names.includes('short training') ? fetched : undefined;
      }, 120_000, 1000).catch(() => assert.fail(`Run Task does not offer the scripts that start runs: ${JSON.stringify(names)}`));
      assert.ok(!names.some((n) => n.endsWith('notes.py')), 'Run Task offers a script without init()');
      const task = await eventually('the tasks.json task', async () => (await vscode.tasks.fetchTasks({ type: 'runlog' })).find((t) => t.name === 'short training'));
      const before = new Set(store().listRuns(undefined).map((r) => r.id));
      await vscode.tasks.executeTask(task);
      const run = await eventually('the task’s run', () => {
        store().sync();
        return store()
          .listRuns('from-tasks')
          .find((r) => !before.has(r.id));
      });
      const done = await ended(run.id);
      assert.equal(done.state, 'finished');
      assert.deepEqual(done.tags, ['tasks-json']);
      assert.equal(done.lastStep, 4);
    } finally {
      rmSync(tasksJson, { force: true });
    }
  });

  it('shows alerts a run records as notifications of their level', async () => {
    const script = path.join(scripts, 'alerting.py');
    writeFileSync(script, 'import runlog\nrun = runlog.init(project="alerts")\nrun.log({"loss": 1})\nrun.alert("Loss spiked", "loss went above 1", level="WARN")\nrun.alert("Diverged", "NaN loss", level="ERROR")\nrun.finish()\n');
    const id = await startRun({ script });
    const run = await ended(id);
    const shown = await eventually('two alert notifications', () => {
      const mine = editor.alerts.recent.filter((a) => a.message.startsWith(`${run.name}:`));
      return mine.length >= 2 ? mine : undefined;
    });
    assert.deepEqual(
      shown.map((a) => [a.level, a.message]),
      [
        ['WARN', `${run.name}: Loss spiked — loss went above 1`],
        ['ERROR', `${run.name}: Diverged — NaN loss`],
      ],
    );
  });

  describe('context-menu actions change what the store holds', () => {
    let key: RunKey;
    let row: RunNode;

    beforeEach(async () => {
      const id = `ctx${Math.random().toString(36).slice(2, 7)}`;
      new RunBuilder(api.storeDir(), 'menus', id).init({ name: 'menu-run-1', tags: ['keep', 'drop'] }).history(0, { loss: 1 }).history(1, { loss: 0.5 }).exit(0).write();
      key = `menus/${id}`;
      row = await treeRow(id);
    });

    it('Rename', async () => {
      await vscode.commands.executeCommand('runlog.renameRun', row, [row], { name: 'renamed-run' });
      assert.equal(runByKey(key)!.name, 'renamed-run');
    });

    it('Edit Notes', async () => {
      await vscode.commands.executeCommand('runlog.editNotes', row, [row], { notes: 'tried a <b>bigger</b> lr' });
      assert.equal(runByKey(key)!.notes, 'tried a <b>bigger</b> lr');
    });

    it('Add Tag and Remove Tag', async () => {
      await vscode.commands.executeCommand('runlog.addTag', row, [row], { tag: 'best' });
      assert.deepEqual(runByKey(key)!.tags, ['keep', 'drop', 'best']);
      await vscode.commands.executeCommand('runlog.removeTag', row, [row], { tag: 'drop' });
      assert.deepEqual(runByKey(key)!.tags, ['keep', 'best']);
    });

    it('Move to Project', async () => {
      await vscode.commands.executeCommand('runlog.moveRun', row, [row], { project: 'moved-here' });
      assert.equal(runByKey(key), undefined);
      assert.ok(store().listRuns('moved-here').some((r) => r.id === row.run.id));
    });

    it('Copy ID and Copy Path', async () => {
      await vscode.commands.executeCommand('runlog.copyRunId', row);
      assert.equal(await vscode.env.clipboard.readText(), row.run.id);
      await vscode.commands.executeCommand('runlog.copyRunPath', row);
      assert.equal(await vscode.env.clipboard.readText(), `menus/${row.run.id}`);
    });

    it('Delete removes the selected runs and their files', async () => {
      const other = `del${Math.random().toString(36).slice(2, 7)}`;
      new RunBuilder(api.storeDir(), 'menus', other).init({ name: 'menu-run-2' }).exit(0).write();
      const second = await treeRow(other);
      const dirs = [row.run.dir, second.run.dir];
      await vscode.commands.executeCommand('runlog.deleteRuns', row, [row, second], { confirm: true });
      assert.equal(runByKey(key), undefined);
      assert.equal(runByKey(`menus/${other}`), undefined);
      for (const d of dirs) assert.equal(existsSync(d), false, `${d} is still on disk`);
    });
  });

  describe('Resume, Fork and Rewind relaunch the run’s own command', () => {
    let source: RunInfo;

    before(async () => {
      const fixture = path.join(ws, 'train.py');
      source = await ended(await startRun({ script: fixture }));
      assert.equal(source.state, 'finished');
    });

    it('Resume continues the same run', async () => {
      const row = await treeRow(source.id);
      await vscode.commands.executeCommand('runlog.resumeRun', row, [row]);
      await eventually('a second segment', () => (store().getRun(source.key)?.segments.length ?? 0) >= 2 && runById(source.id)!.state === 'finished');
      assert.ok(runById(source.id)!.lastStep! > source.lastStep!);
    });

    it('Fork from a step makes a new run that branches from it', async () => {
      const row = await treeRow(source.id);
      const key = await vscode.commands.executeCommand<RunKey>('runlog.forkRun', row, [row], { step: 5 });
      const forkId = parseRunKey(key)!.id;
      const fork = await ended(forkId);
      assert.notEqual(fork.id, source.id);
      assert.deepEqual(store().getRun(fork.key)!.forkOf, { run: source.id, step: 5 });
    });

    it('Rewind to a step rewrites the history after it', async () => {
      const row = await treeRow(source.id);
      const segments = store().getRun(source.key)!.segments.length;
      await vscode.commands.executeCommand('runlog.rewindRun', row, [row], { step: 3 });
      await eventually('the rewound segment to end', () => store().getRun(source.key)!.segments.length > segments && runById(source.id)!.state === 'finished');
      const steps = store().getHistory(source.key, 'loss').steps;
      assert.deepEqual(steps.slice(0, 4), [0, 1, 2, 3]);
      assert.equal(new Set(steps).size, steps.length, 'no step appears twice after a rewind');
    });
  });

  it('filters with the query language (shown in the view description) and sorts', async () => {
    await vscode.commands.executeCommand('runlog.filterRuns', 'state:failed');
    assert.equal(editor.explorer.view.description, 'filter: state:failed');
    const shown = editor.explorer.runNodes();
    assert.ok(shown.length > 0 && shown.every((n) => n.run.state === 'failed'));
    await vscode.commands.executeCommand('runlog.clearFilter');
    assert.equal(editor.explorer.view.description, undefined);
    assert.ok(editor.explorer.runNodes().some((n) => n.run.state !== 'failed'));

    await vscode.commands.executeCommand('runlog.sortRuns', { key: 'name', descending: false });
    const names = editor.explorer.getChildren(editor.explorer.getChildren().find((p) => p.kind === 'project' && p.name === 'awesome-project'));
    const runNames = names.filter((n): n is RunNode => n.kind === 'run').map((n) => n.run.name);
    assert.deepEqual(runNames, [...runNames].sort((a, b) => a.localeCompare(b)));
    await vscode.commands.executeCommand('runlog.sortRuns', { key: 'start', descending: true });
  });

  describe('bad input', () => {
    it('runs a script whose path holds spaces, quotes, ;, $() and non-ASCII, with no shell', async () => {
      const dir = path.join(ws, `odd dir; $(touch pwned)`);
      mkdirSync(dir, { recursive: true });
      const script = path.join(dir, `tr'ai"n; $(touch pwned2) ünï 🚀.py`);
      writeFileSync(script, readFileSync(path.join(ws, 'train.py')));
      const id = await startRun({ script, args: ['$(touch pwned3)', 'a;b'] });
      const run = await ended(id);
      assert.equal(run.state, 'finished');
      assert.equal(run.program, script);
      for (const d of [ws, dir]) assert.deepEqual(readdirSync(d).filter((f) => f.startsWith('pwned')), []);
    });

    it('refuses a deleted script, a missing interpreter and an unwritable store folder with clear messages and leaves nothing behind', async () => {
      const runsBefore = store().listRuns(undefined).length;
      const folder = vscode.workspace.workspaceFolders![0];
      await assert.rejects(editor.launcher.plan({ type: 'runlog', script: path.join(ws, 'gone.py') }, folder), /gone\.py does not exist/);
      await assert.rejects(editor.launcher.plan({ type: 'runlog', script: path.join(ws, 'train.py'), python: path.join(ws, 'no', 'python3') }, folder), /interpreter cannot be used: .*does not exist/);
      assert.equal(await vscode.commands.executeCommand('runlog.startRun', { script: path.join(ws, 'gone.py') }), undefined);

      const file = path.join(ws, 'a-file');
      writeFileSync(file, 'x');
      await vscode.workspace.getConfiguration('runlog').update('storeDir', path.join(file, 'store'), vscode.ConfigurationTarget.Workspace);
      try {
        await assert.rejects(editor.launcher.plan({ type: 'runlog', script: path.join(ws, 'train.py') }, folder), /cannot write its store at .*a-file is a file/);
        assert.equal(existsSync(path.join(file, 'store')), false);
      } finally {
        await vscode.workspace.getConfiguration('runlog').update('storeDir', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await eventually('the workspace store to reopen', () => api.store());
      assert.equal(store().listRuns(undefined).length, runsBefore, 'no run was half-made');
    });
  });
});
