// The `runlog` task type: tasks from tasks.json (and "Run Task") resolve to a custom execution
// whose terminal runs the script through the launcher, as Start Run does.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findInitCall } from '../codelens/initCall';
import { SCRIPT_EXCLUDE } from '../runs/runPrompts';
import type { LaunchError, LaunchPlan, RunLauncher } from '../runs/RunLauncher';
import { RunPseudoterminal } from './RunPseudoterminal';
import { checkTaskDefinition, TASK_SOURCE, TASK_TYPE, taskLabel, type RunlogTaskDefinition } from './taskDefinition';

const MAX_SCRIPTS = 500;
const MAX_SCRIPT_BYTES = 1024 * 1024;

export class RunlogTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly launcher: RunLauncher,
    private readonly onLaunchError: (error: LaunchError) => void,
  ) {}

  /**
   * For "Run Task": one task per workspace script that starts a run (calls `runlog.init(` or
   * `wandb.init(`). Asked for only when a person opens that list, never at activation.
   */
  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    const files = await vscode.workspace.findFiles('**/*.py', SCRIPT_EXCLUDE, MAX_SCRIPTS, token);
    const tasks: vscode.Task[] = [];
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      if (token.isCancellationRequested) break;
      try {
        if ((await fs.stat(uri.fsPath)).size > MAX_SCRIPT_BYTES) continue;
        if (findInitCall(await fs.readFile(uri.fsPath, 'utf8')) === undefined) continue;
      } catch {
        continue;
      }
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const script = folder ? path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/') : uri.fsPath;
      tasks.push(this.createTask({ type: TASK_TYPE, script }, folder, undefined, script));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const checked = checkTaskDefinition(task.definition);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(`Runlog task "${task.name}" is not valid: ${checked.errors.join(' ')}`);
      return undefined;
    }
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    return this.createTask(checked.value, folder, undefined, task.name, task.definition);
  }

  /**
   * A task that runs `definition`. `planned` is used by the first execution only; a rerun
   * ("Rerun Last Task") plans again, so it gets a run ID of its own.
   */
  createTask(
    definition: RunlogTaskDefinition,
    folder: vscode.WorkspaceFolder | undefined,
    planned: LaunchPlan | undefined,
    name?: string,
    rawDefinition: vscode.TaskDefinition = definition as unknown as vscode.TaskDefinition,
  ): vscode.Task {
    let ahead = planned;
    const execution = new vscode.CustomExecution(async (resolved) => {
      const plan = ahead;
      ahead = undefined;
      const checked = checkTaskDefinition(resolved);
      return new RunPseudoterminal(this.launcher, checked.ok ? checked.value : definition, folder, plan, this.onLaunchError);
    });
    const label = name ?? (planned?.knownName ? `${path.basename(planned.execution.script)} · ${planned.knownName}` : taskLabel(definition));
    const task = new vscode.Task(rawDefinition, folder ?? vscode.TaskScope.Workspace, label, TASK_SOURCE, execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: false };
    return task;
  }
}

export function registerTaskProvider(provider: RunlogTaskProvider): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, provider);
}
