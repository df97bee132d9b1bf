// "Debug Run": the script under the Python debugger (the Python Debugger extension's `debugpy`
// configuration) with the run context a task gives a normal run, so breakpoints stop and the run
// is tracked like any other. Stop Run on that run ends its debug session; a session that ends
// while the run is still marked running (stopped in the debugger) leaves it killed.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import type { RunLauncher } from '../runs/RunLauncher';
import { LaunchError } from '../runs/RunLauncher';
import { activePythonFile, pickScript } from '../runs/runPrompts';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { debugLaunch, pythonDebugType, type ContributedDebugger } from './debugConfig';
import { isAlive } from '../runs/processTree';

export const PYTHON_DEBUGGER_EXTENSION = 'ms-python.debugpy';

export class DebugRuns extends Disposable {
  private readonly sessions = new Map<RunKey, vscode.DebugSession>();

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
  ) {
    super();
    this._register(
      vscode.debug.onDidStartDebugSession((session) => {
        const key = session.configuration.runlogRun;
        if (typeof key === 'string') this.sessions.set(key, session);
      }),
    );
    this._register(vscode.debug.onDidTerminateDebugSession((session) => this.ended(session)));
    this._register(this.launcher.addStopper((key) => this.stop(key)));
  }

  /** The debug session of a run started with Debug Run, while it lasts. */
  session(key: RunKey): vscode.DebugSession | undefined {
    return this.sessions.get(key);
  }

  /** The Python debug type an installed extension contributes, or undefined. */
  debugType(): string | undefined {
    const contributed: ContributedDebugger[] = [];
    for (const ext of vscode.extensions.all) {
      const debuggers = (ext.packageJSON as { contributes?: { debuggers?: ContributedDebugger[] } }).contributes?.debuggers;
      if (Array.isArray(debuggers)) contributed.push(...debuggers);
    }
    return pythonDebugType(contributed);
  }

  /** Starts the script under the debugger; resolves with the run's key once the session started. */
  async debug(arg: unknown): Promise<RunKey | undefined> {
    const uri = arg instanceof vscode.Uri ? arg : (activePythonFile() ?? (await pickScript()));
    if (!uri) return undefined;
    const type = this.debugType();
    if (!type) {
      const show = 'Show Python Debugger';
      const picked = await vscode.window.showErrorMessage(
        `Debug Run needs a Python debugger: install the Python Debugger extension (${PYTHON_DEBUGGER_EXTENSION}), which provides the "debugpy" configuration. Start Run works without it.`,
        show,
      );
      if (picked === show) await vscode.commands.executeCommand('workbench.extensions.search', `@id:${PYTHON_DEBUGGER_EXTENSION}`);
      return undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    const plan = await this.launcher.plan({ type: 'runlog', script: uri.fsPath }, folder);
    const config = debugLaunch(type, plan.execution, plan.key, plan.knownName ?? path.basename(plan.execution.script), process.env);
    const started = await vscode.debug.startDebugging(folder, config as vscode.DebugConfiguration);
    if (!started) throw new LaunchError(`The debugger did not start ${path.basename(plan.execution.script)} (see the Debug Console).`);
    return plan.key;
  }

  private async stop(key: RunKey): Promise<boolean> {
    const session = this.sessions.get(key);
    if (!session) return false;
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.debug.stopDebugging(session);
    await ended;
    return true;
  }

  private ended(session: vscode.DebugSession): void {
    const key = session.configuration.runlogRun;
    if (typeof key !== 'string' || this.sessions.get(key) !== session) return;
    this.sessions.delete(key);
    const store = this.stores.store;
    if (!store) return;
    store.sync();
    const run = store.runInfo(key);
    // Ended in the debugger (Stop, or the window's debug toolbar): the SDK had no chance to record it.
    if (run && run.state === 'running' && (run.pid === null || !isAlive(run.pid))) {
      store.markState(key, 'killed');
      store.sync();
    }
  }
}
