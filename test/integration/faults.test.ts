// Processes, in the real extension host: a script path and arguments full of shell syntax
// (spaces, quotes, ;, |, &, >, $(), backticks, globs, newlines) reach the script literally,
// whether the run is started from Start Run, from a tasks.json task or relaunched by Resume;
// nothing is ever run by a shell. And a run recorded by someone else's machine is resumed with
// this machine's Python, never with the interpreter its files name.

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo, RunKey, RunlogStore } from '../../src/core/model';
import { parseRunKey } from '../../src/core/model';
import type { EditorSurfaces, RunlogApi } from '../../src/extension/RunlogExtension';
import { RunBuilder } from '../fixtures/runBuilder';
import { eventually as waitFor } from './support';

const EXTENSION_ID = 'runlog.runlog';

/** Arguments a shell would mangle or act on; each must arrive as one argv entry, unchanged. */
export const HOSTILE_ARGS = [
  'two words',
  "it's",
  '"double"',
  'semi;colon',
  'a | b',
  'x && touch PWNED-and',
  '$(touch PWNED-subst)',
  '`touch PWNED-backtick`',
  '> PWNED-redirect',
  '*',
  '$HOME',
  '\\back\\slash',
  'new\nline',
  '',
  '--flag=va lue',
  'ünï 🚀',
];

let api: RunlogApi;
let editor: EditorSurfaces;
let ws: string;

function store(): RunlogStore {
  const s = api.store();
  assert.ok(s, 'the store is not open');
  return s;
}

function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  return waitFor(what, probe, ms, 100);
}

function runById(id: string): RunInfo | undefined {
  store().sync();
  return store()
    .listRuns(undefined)
    .find((r) => r.id === id);
}

async function ended(id: string): Promise<RunInfo> {
  return eventually(`run ${id} to end`, () => {
    const run = runById(id);
    return run && run.state !== 'running' && !editor.launcher.launches.some((l) => l.plan.runId === id) ? run : undefined;
  });
}

/** Writes the argv script into `dir`: it records sys.argv and its own path, one file per process. */
function argvScript(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, name);
  writeFileSync(
    script,
    [
      'import json, os, sys',
      'import runlog',
      'run = runlog.init(project="argv")',
      'out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "argv-%s-%d.json" % (run.id, os.getpid()))',
      'json.dump({"argv": sys.argv[1:], "file": os.path.abspath(__file__)}, open(out, "w"))',
      'run.log({"ok": 1})',
      'run.finish()',
      '',
    ].join('\n'),
  );
  return script;
}

function recorded(dir: string, id: string): { argv: string[]; file: string }[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`argv-${id}-`))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { argv: string[]; file: string });
}

function noPwned(...dirs: string[]): void {
  for (const d of dirs) assert.deepEqual(readdirSync(d).filter((f) => f.startsWith('PWNED')), [], `a shell ran something in ${d}`);
}

describe('faults: processes get their arguments literally, and foreign runs cannot pick the interpreter', function () {
  this.timeout(300_000);
  const dirName = `we'ird "dir"; $(touch PWNED-dir) | \`x\` & ünï`;
  const scriptName = `tr'ain "x"; $(touch PWNED-name) | \`y\` & 🚀.py`;
  let dir: string;
  let script: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<RunlogApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    editor = api.editor();
    ws = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    dir = path.join(ws, 'faults', dirName);
    script = argvScript(dir, scriptName);
  });

  it('Start Run: a script path and arguments full of shell syntax arrive unchanged', async () => {
    const key = await vscode.commands.executeCommand<RunKey | undefined>('runlog.startRun', { script, args: HOSTILE_ARGS });
    assert.ok(key, 'Start Run did not start the script');
    const id = parseRunKey(key)!.id;
    const run = await ended(id);
    assert.equal(run.state, 'finished');
    const [got] = recorded(dir, id);
    assert.ok(got, 'the script did not run');
    assert.deepEqual(got.argv, HOSTILE_ARGS);
    assert.equal(got.file, script);
    assert.deepEqual(run.command?.slice(1), [script, ...HOSTILE_ARGS], 'the SDK recorded another command');
    noPwned(ws, dir, path.join(ws, 'faults'));
  });

  it('a tasks.json task: the same arguments arrive unchanged', async () => {
    const tasksJson = path.join(ws, '.vscode', 'tasks.json');
    mkdirSync(path.dirname(tasksJson), { recursive: true });
    writeFileSync(tasksJson, JSON.stringify({ version: '2.0.0', tasks: [{ type: 'runlog', label: 'hostile args', script: path.relative(ws, script), args: HOSTILE_ARGS }] }));
    try {
      const task = await eventually('the tasks.json task', async () => (await vscode.tasks.fetchTasks({ type: 'runlog' })).find((t) => t.name === 'hostile args'));
      const before = new Set(store().listRuns('argv').map((r) => r.id));
      await vscode.tasks.executeTask(task);
      const run = await eventually('the task’s run', () => {
        store().sync();
        return store()
          .listRuns('argv')
          .find((r) => !before.has(r.id));
      });
      await ended(run.id);
      const [got] = recorded(dir, run.id);
      assert.ok(got, 'the task did not run the script');
      assert.deepEqual(got.argv, HOSTILE_ARGS);
      noPwned(ws, dir);
    } finally {
      rmSync(tasksJson, { force: true });
    }
  });

  it('Resume relaunches the recorded command with the same arguments, unchanged', async () => {
    const first = store().listRuns('argv').find((r) => recorded(dir, r.id).length === 1 && r.state === 'finished');
    assert.ok(first, 'no finished argv run to resume');
    await vscode.commands.executeCommand('runlog.resumeRun', first.key);
    await eventually('the resumed process', () => recorded(dir, first.id).length === 2);
    await ended(first.id);
    for (const got of recorded(dir, first.id)) assert.deepEqual(got.argv, HOSTILE_ARGS);
    noPwned(ws, dir);
  });

  it('a run recorded on another machine, naming its own interpreter, is resumed with this machine’s Python', async () => {
    const foreign = path.join(ws, 'foreign');
    const foreignScript = argvScript(foreign, 'train.py');
    // The "interpreter" the files name: a program that is not Python at all.
    const fake = path.join(foreign, 'not-python.sh');
    writeFileSync(fake, `#!/bin/sh\ntouch "${path.join(foreign, 'PWNED-interpreter')}"\n`, { mode: 0o755 });
    new RunBuilder(api.storeDir(), 'argv', 'foreign1')
      .init({ name: 'from-elsewhere', host: 'someone-elses-laptop', pid: 1, meta: { program: foreignScript, command: [fake, foreignScript, 'x'], cwd: foreign, python: { executable: fake }, host: 'someone-elses-laptop' } })
      .history(0, { ok: 1 })
      .exit(1, 'failed')
      .write();
    store().sync();
    await vscode.commands.executeCommand('runlog.resumeRun', 'argv/foreign1');
    await eventually('the resumed foreign run', () => recorded(foreign, 'foreign1').length === 1);
    await ended('foreign1');
    assert.deepEqual(recorded(foreign, 'foreign1')[0]!.argv, ['x']);
    assert.ok(!existsSync(path.join(foreign, 'PWNED-interpreter')), 'the interpreter named by the run files was run');
  });

});
