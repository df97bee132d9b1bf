// Start Run, Stop Run and every lifecycle command of the explorer's context menu. Each works
// from the palette (it asks), from a tree row or selection, and from code with answers given.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunDetail, RunInfo, RunKey, RunlogStore } from '../../core/model';
import { projectNameProblem } from '../../core/names';
import type { StoreService } from '../store/StoreService';
import type { RunlogTaskProvider } from '../tasks/RunlogTaskProvider';
import { checkTaskDefinition, tagProblem, type RunlogTaskDefinition } from '../tasks/taskDefinition';
import { Disposable } from '../util/dispose';
import { parseCommandArgs, type CommandAnswers } from './commandArgs';
import { isExecutableFile } from './pythonLookup';
import { relaunchDefinition, stepProblem, type RelaunchMode } from './relaunch';
import { LaunchError, projectFromFolderName, type LaunchAction, type RunLauncher } from './RunLauncher';
import { activePythonFile, launchSheet, pickScript } from './runPrompts';
import { pickRuns } from '../store/storePicks';
import { plainText } from '../util/plainText';
import { neutralizeBidi } from '../../common/displayText';
import { notesUri, RunNotesFileSystem } from './RunNotesFileSystem';
import { ScriptTerminals } from '../tasks/ScriptTerminals';

/** Start Run called from code: everything given, nothing asked. */
export type StartRunOptions = Pick<
  RunlogTaskDefinition,
  'script' | 'args' | 'project' | 'name' | 'tags' | 'notes' | 'group' | 'jobType' | 'python' | 'cwd' | 'env'
>;

/** What Start Run remembers of a script's last launch: its settings, not the run's identity (name, ID, resume). */
type LaunchSettings = Pick<RunlogTaskDefinition, 'args' | 'project' | 'tags' | 'notes' | 'group' | 'jobType'>;
const LAST_SETTINGS_KEY = 'runlog.lastLaunchSettings';
const REMEMBERED_SCRIPTS = 100;

/** The code lens's Start Run: start at once with the script's last settings, no launch sheet. */
export interface StartNow {
  readonly now: true;
}

function isStartNow(v: unknown): v is StartNow {
  return typeof v === 'object' && v !== null && (v as { now?: unknown }).now === true;
}

/** How long Start Run waits for the task system to open the run's terminal. */
const TASK_START_MS = 60_000;

function isStartOptions(v: unknown): v is StartRunOptions {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && typeof (v as { script?: unknown }).script === 'string';
}

const ACTION_LABELS: Record<LaunchAction, string> = {
  selectInterpreter: 'Select Interpreter',
  openPythonSetting: 'Open Settings',
  openStoreSetting: 'Open Settings',
  manageTrust: 'Manage Workspace Trust',
};

/** Shows why a launch cannot happen, with buttons that lead to the fix. */
export async function showLaunchError(error: LaunchError): Promise<void> {
  const labels = error.actions.map((a) => ACTION_LABELS[a]);
  const picked = await vscode.window.showErrorMessage(plainText(error.message), ...labels);
  const action = error.actions[labels.indexOf(picked ?? '')];
  if (action === 'selectInterpreter') await vscode.commands.executeCommand('python.setInterpreter');
  else if (action === 'openPythonSetting') await vscode.commands.executeCommand('workbench.action.openSettings', 'runlog.pythonPath');
  else if (action === 'openStoreSetting') await vscode.commands.executeCommand('workbench.action.openSettings', 'runlog.storeDir');
  else if (action === 'manageTrust') await vscode.commands.executeCommand('workbench.trust.manage');
}

export class RunCommands extends Disposable {
  private readonly terminals: ScriptTerminals;

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
    private readonly tasks: RunlogTaskProvider,
    private readonly memory: vscode.Memento,
  ) {
    super();
    this.terminals = this._register(new ScriptTerminals(launcher));
    const register = (id: string, handler: (...args: unknown[]) => unknown): void => {
      this._register(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            return await handler(...args);
          } catch (e) {
            if (e instanceof LaunchError) void showLaunchError(e);
            else void vscode.window.showErrorMessage(plainText(e instanceof Error ? e.message : String(e)));
            return undefined;
          }
        }),
      );
    };
    this._register(new RunNotesFileSystem(stores));
    register('runlog.startRun', (arg, how) => this.startRun(arg, isStartNow(how)));
    register('runlog.stopRun', (...args) => this.stopRuns(args));
    register('runlog.renameRun', (...args) => this.rename(args));
    register('runlog.editNotes', (...args) => this.editNotes(args));
    register('runlog.addTag', (...args) => this.addTag(args));
    register('runlog.removeTag', (...args) => this.removeTag(args));
    register('runlog.moveRun', (...args) => this.move(args));
    register('runlog.resumeRun', (...args) => this.relaunch(args, 'resume'));
    register('runlog.forkRun', (...args) => this.relaunch(args, 'fork'));
    register('runlog.rewindRun', (...args) => this.relaunch(args, 'rewind'));
    register('runlog.copyRunId', (...args) => this.copy(args, (r) => r.id));
    register('runlog.copyRunPath', (...args) => this.copy(args, (r) => r.path));
    register('runlog.revealRun', (...args) => this.reveal(args));
    register('runlog.deleteRuns', (...args) => this.delete(args));
  }

  private requireStore(): RunlogStore {
    const store = this.stores.store;
    if (!store) throw new Error(`There are no runs yet: the Runlog store ${this.stores.dir} does not exist.`);
    return store;
  }

  private runInfo(store: RunlogStore, key: RunKey): RunInfo {
    const run = store.runInfo(key);
    if (!run) throw new Error(`Run ${key} is not in the store any more.`);
    return run;
  }

  /** The runs a command acts on: its arguments, else the person's pick. */
  private async targets(args: readonly unknown[], placeHolder: string, options: { many?: boolean; only?: (r: RunInfo) => boolean } = {}): Promise<{ keys: RunKey[]; answers: CommandAnswers }> {
    const parsed = parseCommandArgs(args);
    if (parsed.keys.length) return parsed;
    return { keys: await pickRuns(this.stores, placeHolder, options), answers: parsed.answers };
  }

  // ---- Start and stop ------------------------------------------------------------------

  /**
   * Resolves with the new run's key once its process has started. A script (a Uri, else the active
   * or a picked one) opens the launch sheet with the script's last settings; `now` skips the sheet.
   */
  async startRun(arg: unknown, now = false): Promise<RunKey | undefined> {
    let definition: RunlogTaskDefinition;
    let ask: boolean;
    if (isStartOptions(arg)) {
      definition = { type: 'runlog', ...arg };
      ask = false;
    } else {
      const uri = arg instanceof vscode.Uri ? arg : (activePythonFile() ?? (await pickScript()));
      if (!uri) return undefined;
      definition = { type: 'runlog', ...this.lastSettings(uri.fsPath), script: uri.fsPath };
      ask = !now;
    }
    const checked = checkTaskDefinition(definition);
    if (!checked.ok) throw new Error(`Start Run: ${checked.errors.join(' ')}`);
    const scriptPath = path.isAbsolute(definition.script) ? definition.script : undefined;
    const folder = scriptPath ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(scriptPath)) : vscode.workspace.workspaceFolders?.[0];
    if (!vscode.workspace.isTrusted) throw new LaunchError('Runlog does not start scripts in an untrusted workspace, because starting a script runs its code. Viewing runs still works; trust the workspace to start runs.', ['manageTrust']);
    if (ask) {
      const fallback =
        vscode.workspace.getConfiguration('runlog', folder?.uri).get<string>('defaultProject', '').trim() ||
        projectFromFolderName(path.basename(folder?.uri.fsPath ?? path.dirname(definition.script)));
      const edited = await launchSheet(definition, fallback);
      if (!edited) return undefined;
      definition = edited;
    }
    const key = await this.launch(definition, folder);
    this.remember(path.resolve(folder?.uri.fsPath ?? '', definition.script), definition);
    return key;
  }

  private lastSettings(script: string): LaunchSettings {
    return this.memory.get<Record<string, LaunchSettings>>(LAST_SETTINGS_KEY, {})[path.resolve(script)] ?? {};
  }

  private remember(script: string, d: RunlogTaskDefinition): void {
    const settings: LaunchSettings = { args: d.args, project: d.project, tags: d.tags, notes: d.notes, group: d.group, jobType: d.jobType };
    const all = Object.entries(this.memory.get<Record<string, LaunchSettings>>(LAST_SETTINGS_KEY, {})).filter(([s]) => s !== script);
    void this.memory.update(LAST_SETTINGS_KEY, Object.fromEntries([...all.slice(-(REMEMBERED_SCRIPTS - 1)), [script, JSON.parse(JSON.stringify(settings)) as LaunchSettings]]));
  }

  /** Plans (so problems show before any terminal opens), then runs the plan as a task. */
  async launch(definition: RunlogTaskDefinition, folder: vscode.WorkspaceFolder | undefined): Promise<RunKey> {
    const plan = await this.launcher.plan(definition, folder);
    // The run ID makes each launch's definition distinct, so runs of one script can run side by side.
    const task = this.tasks.createTask(definition, folder, plan, undefined, { ...definition, launchId: plan.runId });
    const started = new Promise<void>((resolve) => {
      const sub = this.launcher.onDidStart((l) => {
        if (l.plan === plan) {
          sub.dispose();
          resolve();
        }
      });
    });
    const before = this.terminals.snapshot();
    await vscode.tasks.executeTask(task);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), TASK_START_MS)));
    const late = await Promise.race([started.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) throw new Error(`The task for ${path.basename(plan.execution.script)} did not start within ${TASK_START_MS / 1000} s.`);
    this.terminals.started(plan, task.name, before);
    return plan.key;
  }

  private async stopRuns(args: readonly unknown[]): Promise<void> {
    const store = this.stores.store;
    let { keys } = parseCommandArgs(args);
    if (keys.length === 0) {
      const running = store?.liveRuns() ?? [];
      const items = [
        ...running.map((r) => ({ label: neutralizeBidi(r.name), description: r.path, key: r.key })),
        ...this.launcher.launches.filter((l) => !running.some((r) => r.key === l.plan.key)).map((l) => ({ label: neutralizeBidi(l.label), description: `${l.plan.key} (starting)`, key: l.plan.key })),
      ];
      if (items.length === 0) {
        void vscode.window.showInformationMessage('No run is running.');
        return;
      }
      const picked = items.length === 1 ? items : await vscode.window.showQuickPick(items, { placeHolder: 'Stop which runs?', canPickMany: true });
      keys = picked?.map((p) => p.key) ?? [];
    }
    if (keys.length === 0) return;
    const names = keys.map((k) => this.stores.store?.runInfo(k)?.name ?? k);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Stopping ${names.join(', ')}` },
      () => Promise.all(keys.map((k) => this.launcher.stop(k))),
    );
  }

  // ---- Edits --------------------------------------------------------------------------

  private async rename(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Rename which run?');
    const key = keys[0];
    if (!key) return;
    const run = this.runInfo(store, key);
    const name =
      answers.name ??
      (await vscode.window.showInputBox({
        title: `Rename ${run.name}`,
        value: run.name,
        validateInput: (v) => (v.trim() ? undefined : 'A run name cannot be empty.'),
      }));
    if (name === undefined) return;
    if (!name.trim()) throw new Error('A run name cannot be empty.');
    store.rename(key, name.trim());
  }

  private async editNotes(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Edit the notes of which run?');
    const key = keys[0];
    if (!key) return;
    const run = this.runInfo(store, key);
    if (answers.notes !== undefined) {
      store.setNotes(key, answers.notes);
      return;
    }
    // Notes are often several lines: a real editor, saved back to the run with Ctrl+S.
    await vscode.window.showTextDocument(notesUri(key, run.name), { preview: false });
    vscode.window.setStatusBarMessage(plainText(`Runlog: save (Ctrl+S) to store these as the notes of ${run.name}`), 8000);
  }

  private async addTag(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Tag which runs?', { many: true });
    if (keys.length === 0) return;
    const tag = answers.tag ?? (await vscode.window.showInputBox({ title: keys.length > 1 ? `Add a tag to ${keys.length} runs` : 'Add a tag', validateInput: (v) => tagProblem(v.trim()) }));
    if (tag === undefined) return;
    const problem = tagProblem(tag.trim());
    if (problem) throw new Error(problem);
    for (const key of keys) {
      const run = this.runInfo(store, key);
      if (!run.tags.includes(tag.trim())) store.setTags(key, [...run.tags, tag.trim()]);
    }
  }

  private async removeTag(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Remove a tag from which runs?', { many: true });
    if (keys.length === 0) return;
    const runs = keys.map((k) => this.runInfo(store, k));
    const all = [...new Set(runs.flatMap((r) => r.tags))].sort();
    if (all.length === 0 && answers.tag === undefined) {
      void vscode.window.showInformationMessage(runs.length === 1 ? `${runs[0]!.name} has no tags.` : 'These runs have no tags.');
      return;
    }
    const tag = answers.tag ?? (await vscode.window.showQuickPick(all, { placeHolder: 'Remove which tag?' }));
    if (tag === undefined) return;
    for (const run of runs) if (run.tags.includes(tag)) store.setTags(run.key, run.tags.filter((t) => t !== tag));
  }

  private async move(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Move which runs?', { many: true, only: (r) => r.state !== 'running' });
    if (keys.length === 0) return;
    const runs = keys.map((k) => this.runInfo(store, k));
    const live = runs.filter((r) => r.state === 'running');
    if (live.length) throw new Error(`${live.map((r) => r.name).join(', ')} ${live.length === 1 ? 'is' : 'are'} still running; stop ${live.length === 1 ? 'it' : 'them'} before moving.`);
    let project = answers.project;
    if (project === undefined) {
      const current = new Set(runs.map((r) => r.project));
      const NEW = '$(add) New project…';
      const items = [NEW, ...store.listProjects().map((p) => p.name).filter((p) => !current.has(p))];
      const picked = await vscode.window.showQuickPick(items, { placeHolder: runs.length > 1 ? `Move ${runs.length} runs to which project?` : `Move ${runs[0]!.name} to which project?` });
      if (picked === undefined) return;
      project = picked === NEW ? await vscode.window.showInputBox({ title: 'New project', validateInput: (v) => projectNameProblem(v.trim()) }) : picked;
      if (project === undefined) return;
    }
    project = project.trim();
    const problem = projectNameProblem(project);
    if (problem) throw new Error(problem);
    for (const run of runs) if (run.project !== project) store.moveRun(run.key, project);
  }

  private async copy(args: readonly unknown[], pick: (run: RunInfo) => string): Promise<void> {
    const store = this.requireStore();
    const { keys } = await this.targets(args, 'Copy from which runs?', { many: true });
    if (keys.length === 0) return;
    const text = keys.map((k) => pick(this.runInfo(store, k))).join('\n');
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${text.split('\n').length > 1 ? `${keys.length} lines` : text}`, 3000);
  }

  private async reveal(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys } = await this.targets(args, 'Reveal which run?');
    const key = keys[0];
    if (!key) return;
    const run = this.runInfo(store, key);
    if (!fs.existsSync(run.dir)) throw new Error(`The folder of ${run.name} (${run.dir}) is gone.`);
    const uri = vscode.Uri.file(run.dir);
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  }

  private async delete(args: readonly unknown[]): Promise<void> {
    const store = this.requireStore();
    const { keys, answers } = await this.targets(args, 'Delete which runs?', { many: true, only: (r) => r.state !== 'running' });
    if (keys.length === 0) return;
    const runs = keys.map((k) => this.runInfo(store, k));
    const live = runs.filter((r) => r.state === 'running');
    if (live.length) throw new Error(`${live.map((r) => r.name).join(', ')} ${live.length === 1 ? 'is' : 'are'} still running; stop ${live.length === 1 ? 'it' : 'them'} before deleting.`);
    if (answers.confirm !== true) {
      const what = runs.length === 1 ? `run ${runs[0]!.name}` : `${runs.length} runs`;
      const ok = await vscode.window.showWarningMessage(
        `Delete ${what}?`,
        { modal: true, detail: `${runs.length === 1 ? 'Its' : 'Their'} files (metrics, logs, saved files) are removed from ${this.stores.dir}. This cannot be undone.` },
        'Delete',
      );
      if (ok !== 'Delete') return;
    }
    store.deleteRuns(keys);
  }

  // ---- Resume, fork, rewind -----------------------------------------------------------

  private async relaunch(args: readonly unknown[], kind: RelaunchMode['kind']): Promise<RunKey | undefined> {
    const store = this.requireStore();
    const verb = kind === 'resume' ? 'Resume' : kind === 'fork' ? 'Fork' : 'Rewind';
    const { keys, answers } = await this.targets(args, `${verb} which run?`, { only: (r) => kind === 'fork' || r.state !== 'running' });
    const key = keys[0];
    if (!key) return undefined;
    const run: RunDetail | undefined = store.getRun(key);
    if (!run) throw new Error(`Run ${key} is not in the store any more.`);
    if (kind !== 'fork' && run.state === 'running') throw new Error(`${run.name} is still running; stop it before you ${verb.toLowerCase()} it.`);
    let mode: RelaunchMode;
    if (kind === 'resume') {
      mode = { kind };
    } else {
      let step = answers.step;
      if (step === undefined) {
        const text = await vscode.window.showInputBox({
          title: `${verb} ${run.name} from step…`,
          value: run.lastStep === null ? '' : String(run.lastStep),
          prompt: kind === 'fork' ? 'A new run starts with the history up to this step' : 'The history after this step is replaced by what the relaunched run logs (the old tail stays recoverable)',
          validateInput: (v) => stepProblem(v, run.lastStep),
        });
        if (text === undefined) return undefined;
        step = Number(text.trim());
      }
      const problem = stepProblem(String(step), run.lastStep);
      if (problem) throw new Error(problem);
      mode = { kind, step };
    }
    let definition = relaunchDefinition(run, mode);
    // The interpreter the run used, while it still exists; else the usual choice. Only for a run
    // recorded on this machine: a store from elsewhere (a cloned repo) does not choose what runs.
    if (definition.python && (!isExecutableFile(definition.python) || run.host !== os.hostname())) {
      const { python: _gone, ...rest } = definition;
      definition = rest;
    }
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(definition.script)) ?? vscode.workspace.workspaceFolders?.[0];
    return this.launch(definition, folder);
  }
}
