// Starts scripts as tracked runs and stops them. It decides each launch's run ID and name,
// checks everything that can be checked before a process exists (trust, script, interpreter,
// store) so a bad launch leaves nothing behind, and settles the run's state when its process
// ends. The task terminal and the Output channel subscribe to its events.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo, RunKey, RunState } from '../../core/model';
import { parseRunKey, runKey } from '../../core/model';
import { newRunId, projectNameProblem } from '../../core/names';
import { recordedName } from './recordedName';
import type { StoreService } from '../store/StoreService';
import { buildRunExecution, resolveScriptPath, substituteVariables, type RunExecution, type WandbStandIn } from '../tasks/runExecution';
import type { RunlogTaskDefinition } from '../tasks/taskDefinition';
import { Disposable } from '../util/dispose';
import { InterpreterError, resolveInterpreter } from './interpreter';
import { isAlive, leadsProcessGroup, pollExit, stopProcessTree } from './processTree';
import { exitCodeOf, RunProcess, type ProcessExit } from './RunProcess';

export type LaunchAction = 'selectInterpreter' | 'openPythonSetting' | 'openStoreSetting' | 'manageTrust';

/** A launch that cannot happen, with what the person can do about it. */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly actions: readonly LaunchAction[] = [],
  ) {
    super(message);
  }
}

export interface LaunchPlan {
  readonly definition: RunlogTaskDefinition;
  readonly execution: RunExecution;
  readonly project: string;
  readonly runId: string;
  /** The name asked for (RUNLOG_RUN_NAME); undefined: the SDK names it, or it keeps its name (resume, rewind). */
  readonly runName: string | undefined;
  /** The name known before the run starts: the one asked for, or the resumed run's own; else undefined. */
  readonly knownName: string | undefined;
  readonly key: RunKey;
  readonly interpreterSource: string;
}

export interface LiveLaunch {
  readonly plan: LaunchPlan;
  readonly process: RunProcess;
  /** Epoch seconds. */
  readonly startedAt: number;
  /**
   * The run's name where it is shown (the Output channel's prefix): the name its process
   * recorded once it has (script's name=, the SDK's generated one), the known name or ID before.
   */
  label: string;
  /** The label is the name the process recorded. */
  named: boolean;
}

export interface LaunchOutput {
  readonly launch: LiveLaunch;
  readonly text: string;
}

export interface LaunchEnd {
  readonly launch: LiveLaunch;
  readonly exit: ProcessExit;
  /** The run as the store has it after the process ended; undefined when the script recorded no run. */
  readonly run: RunInfo | undefined;
  readonly state: RunState | undefined;
}

const host = os.hostname();

/** Like the SDK's sanitize_project: a folder name made into a valid project name. */
export function projectFromFolderName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 100);
  return cleaned || 'uncategorized';
}

/** Why the store folder cannot be written, or undefined. */
export function storeFolderProblem(dir: string): string | undefined {
  let probe = dir;
  while (!fs.existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  try {
    if (!fs.statSync(probe).isDirectory()) return `${probe} is a file, not a folder.`;
    fs.accessSync(probe, fs.constants.W_OK);
  } catch (e) {
    return `${probe} cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)}).`;
  }
  return undefined;
}

export class RunLauncher extends Disposable {
  private readonly live = new Set<LiveLaunch>();

  private readonly _onDidStart = this._register(new vscode.EventEmitter<LiveLaunch>());
  readonly onDidStart = this._onDidStart.event;
  private readonly _onDidOutput = this._register(new vscode.EventEmitter<LaunchOutput>());
  readonly onDidOutput = this._onDidOutput.event;
  private readonly _onDidEnd = this._register(new vscode.EventEmitter<LaunchEnd>());
  readonly onDidEnd = this._onDidEnd.event;
  private readonly _onDidChangeLaunches = this._register(new vscode.EventEmitter<void>());
  /** A launch started or ended. */
  readonly onDidChangeLaunches = this._onDidChangeLaunches.event;

  constructor(
    private readonly stores: StoreService,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    // Runs started here die with the window, as tasks do: their output pipe would be gone anyway.
    this._register({ dispose: () => void Promise.all([...this.live].map((l) => l.process.stop(this.graceSec()))) });
  }

  private readonly stoppers = new Set<(key: RunKey) => Promise<boolean>>();

  /** Another way of starting runs (Debug Run) stops its own: `stop` resolves true when it did. */
  addStopper(stop: (key: RunKey) => Promise<boolean>): vscode.Disposable {
    this.stoppers.add(stop);
    return { dispose: () => this.stoppers.delete(stop) };
  }

  get launches(): readonly LiveLaunch[] {
    return [...this.live];
  }

  /** The launch that runs `run` (by key, or by the pid the SDK recorded on this host). */
  findLaunch(run: RunKey | Pick<RunInfo, 'key' | 'pid' | 'host'>): LiveLaunch | undefined {
    const key = typeof run === 'string' ? run : run.key;
    // A script's init(project=…) may put the run in another project than the launch planned; the
    // run ID is the launch's own (RUNLOG_RUN_ID), so it finds the launch whatever the index knows.
    const id = parseRunKey(key)?.id;
    for (const l of this.live) {
      if (l.plan.key === key || (id !== undefined && l.plan.runId === id)) return l;
      if (typeof run !== 'string' && run.pid !== null && run.pid === l.process.pid && (run.host === null || run.host === host)) return l;
    }
    return undefined;
  }

  graceSec(): number {
    const v = vscode.workspace.getConfiguration('runlog').get<number>('stopGracePeriod', 5);
    return typeof v === 'number' && v >= 0 ? v : 5;
  }

  /** Checks a launch and decides its run ID and name; throws LaunchError naming what is wrong. */
  async plan(definition: RunlogTaskDefinition, folder: vscode.WorkspaceFolder | undefined): Promise<LaunchPlan> {
    if (!vscode.workspace.isTrusted) {
      throw new LaunchError(
        'Runlog does not start scripts in an untrusted workspace, because starting a script runs its code. Viewing runs still works; trust the workspace to start runs.',
        ['manageTrust'],
      );
    }
    const workspaceFolder = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const activeFile = vscode.window.activeTextEditor?.document.uri.scheme === 'file' ? vscode.window.activeTextEditor.document.uri.fsPath : undefined;
    const baseEnv = process.env;
    const script = resolveScriptPath(definition, { workspaceFolder, activeFile, baseEnv });
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(script);
    } catch {
      stat = undefined;
    }
    if (!stat) throw new LaunchError(`The script ${script} does not exist. Was it moved or deleted?`);
    if (!stat.isFile()) throw new LaunchError(`${script} is not a file.`);

    let interpreter;
    try {
      const python = definition.python ? substituteVariables(definition.python, { workspaceFolder, activeFile, baseEnv }) : undefined;
      interpreter = await resolveInterpreter(vscode.Uri.file(script), python);
    } catch (e) {
      if (e instanceof InterpreterError) throw new LaunchError(e.message, e.canSelect ? ['selectInterpreter'] : ['openPythonSetting']);
      throw e;
    }

    const config = vscode.workspace.getConfiguration('runlog', folder?.uri);
    const project =
      definition.project?.trim() ||
      config.get<string>('defaultProject', '').trim() ||
      projectFromFolderName(path.basename(workspaceFolder ?? path.dirname(script)));
    const projectProblem = projectNameProblem(project);
    if (projectProblem) throw new LaunchError(`Project "${project}" cannot be used: ${projectProblem}`);

    const storeDir = this.stores.dir;
    const folderProblem = storeFolderProblem(storeDir);
    if (folderProblem) throw new LaunchError(`Runlog cannot write its store at ${storeDir}: ${folderProblem} Choose another folder in the runlog.storeDir setting.`, ['openStoreSetting']);
    const existed = fs.existsSync(storeDir);
    let store;
    try {
      store = this.stores.ensureStore();
    } catch (e) {
      if (!existed) fs.rmSync(storeDir, { recursive: true, force: true });
      throw new LaunchError(`Runlog cannot open its store at ${storeDir}: ${e instanceof Error ? e.message : String(e)}`, ['openStoreSetting']);
    }

    const runExists = (id: string): boolean => fs.existsSync(path.join(store.dir, 'projects', project, 'runs', id));
    const continuing = definition.resume === 'must' || definition.resume === 'allow' || !!definition.resumeFrom;
    let runId = definition.runId?.trim();
    if (runId) {
      if (runExists(runId) && !continuing) {
        throw new LaunchError(`A run with ID ${runId} already exists in project ${project}. Use another ID, or resume that run.`);
      }
      if (!runExists(runId) && (definition.resume === 'must' || definition.resumeFrom)) {
        throw new LaunchError(`There is no run ${runId} in project ${project} to continue.`);
      }
    } else {
      do runId = newRunId();
      while (runExists(runId));
    }
    // A generated name is the SDK's: it numbers the run in the project it really lands in (a
    // script's project= wins over the sheet's), claiming the number atomically.
    const runName = definition.name?.trim() || undefined;
    const knownName = runName ?? (continuing ? store.runInfo(`${project}/${runId}`)?.name : undefined);

    const execution = buildRunExecution(definition, {
      python: interpreter.argv,
      workspaceFolder,
      storeDir: store.dir,
      sdkPath: vscode.Uri.joinPath(this.extensionUri, 'sdk', 'python').fsPath,
      wandbStandIn: config.get<WandbStandIn>('wandbStandIn', 'auto'),
      project,
      runId,
      runName,
      quiet: config.get<boolean>('quiet', false),
      systemInterval: config.get<number>('systemMetricsInterval', 10),
      baseEnv,
      activeFile,
      recordCode: config.get<boolean>('recordCode', true),
    });
    if (!fs.existsSync(execution.cwd)) throw new LaunchError(`The working directory ${execution.cwd} does not exist.`);
    return { definition, execution, project, runId, runName, knownName, key: runKey(project, runId), interpreterSource: interpreter.source };
  }

  /** Starts the planned process. Resolves once it runs (or failed to start, announced as its end). */
  async start(plan: LaunchPlan): Promise<LiveLaunch> {
    const proc = new RunProcess(plan.execution);
    const launch: LiveLaunch = { plan, process: proc, startedAt: Date.now() / 1000, label: plan.knownName ?? plan.runId, named: false };
    this.live.add(launch);
    proc.onOutput(({ text }) => {
      this.learnName(launch);
      this._onDidOutput.fire({ launch, text });
    });
    proc.onExit((exit) => void this.settle(launch, exit));
    this._onDidStart.fire(launch);
    this._onDidChangeLaunches.fire();
    await proc.start();
    return launch;
  }

  /** Gives the run the state its process's end implies, unless the SDK already recorded one. */
  private async settle(launch: LiveLaunch, exit: ProcessExit): Promise<void> {
    if (exit.stopped) await launch.process.stop(this.graceSec()); // resolves once the whole tree is gone
    this.learnName(launch);
    let run: RunInfo | undefined;
    let state: RunState | undefined;
    try {
      // Shutting down: the store is closed, and the SDK records how a stopped run ended.
      const store = this.isDisposed ? undefined : this.stores.store;
      store?.sync();
      run = store ? this.recordedRun(launch) : undefined;
      if (store && run && run.state === 'running') {
        state = exit.stopped ? 'killed' : exit.code === 0 ? 'finished' : 'failed';
        store.markState(run.key, state, exit.spawnError ? undefined : exitCodeOf(exit));
        store.sync();
        run = store.runInfo(run.key) ?? run;
      }
      state = run?.state ?? state;
    } catch (e) {
      console.error('Runlog: could not record the end of a run', e);
    } finally {
      this.live.delete(launch);
      this._onDidEnd.fire({ launch, exit, run, state });
      this._onDidChangeLaunches.fire();
      launch.process.dispose();
    }
  }

  /** Takes the name the launch's process recorded in its run's `init`, once it has. */
  private learnName(launch: LiveLaunch): void {
    if (launch.named) return;
    const name = recordedName(this.stores.dir, launch.plan.runId);
    if (name === undefined) return;
    launch.label = name;
    launch.named = true;
  }

  /** The run the launch's process recorded: the planned key, else its ID or pid in any project. */
  private recordedRun(launch: LiveLaunch): RunInfo | undefined {
    const store = this.isDisposed ? undefined : this.stores.store;
    if (!store) return undefined;
    const { project, runId } = launch.plan;
    const own = store.runInfo(runKey(project, runId));
    if (own) return own;
    const pid = launch.process.pid;
    return store.listRuns(undefined, { filter: `id=${JSON.stringify(runId)}` })[0] ?? store.liveRuns().find((r) => pid !== undefined && r.pid === pid && (r.host === null || r.host === host));
  }

  /**
   * Stops a run: its launch when it was started here, else the process the SDK recorded (a run
   * typed into a terminal). Resolves once the process tree is gone and the run is marked killed.
   */
  async stop(key: RunKey): Promise<void> {
    for (const stopper of this.stoppers) if (await stopper(key)) return;
    const store = this.stores.store;
    store?.sync(); // what the process wrote last (its pid), not what the last ingest pass saw
    const run = store?.runInfo(key);
    const launch = this.findLaunch(run ?? key);
    if (launch) {
      const ended = new Promise<void>((resolve) => {
        const sub = this.onDidEnd((e) => {
          if (e.launch === launch) {
            sub.dispose();
            resolve();
          }
        });
      });
      await launch.process.stop(this.graceSec());
      await ended;
      return;
    }
    if (!store || !run) throw new Error(`Run ${key} is not in the store.`);
    if (run.state !== 'running') return;
    if (run.host && run.host !== host) throw new Error(`${run.name} runs on ${run.host}; stop it there.`);
    if (run.pid !== null && isAlive(run.pid)) {
      await stopProcessTree(run.pid, { graceSec: this.graceSec(), group: await leadsProcessGroup(run.pid), waitExit: pollExit(run.pid) });
    }
    store.sync();
    const after = store.runInfo(key);
    if (after && after.state !== 'killed' && (after.state === 'running' || after.state === 'crashed')) store.markState(key, 'killed');
    store.sync();
  }
}
