// The `runlog` task type: tasks from tasks.json (and "Run Task") resolve to a custom execution
// whose terminal runs the script through the launcher, as Start Run does.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LaunchError, LaunchPlan, RunLauncher } from '../runs/RunLauncher';
import { RunPseudoterminal } from './RunPseudoterminal';
import { checkTaskDefinition, TASK_SOURCE, TASK_TYPE, taskLabel, type RunlogTaskDefinition } from './taskDefinition';

export class RunlogTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly launcher: RunLauncher,
    private readonly onLaunchError: (error: LaunchError) => void,
  ) {}

  /** Nothing to offer unprompted: which script to run is the person's choice (Start Run, tasks.json). */
  provideTasks(): vscode.Task[] {
    return [];
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
    const label = name ?? (planned?.runName ? `${path.basename(planned.execution.script)} · ${planned.runName}` : taskLabel(definition));
    const task = new vscode.Task(rawDefinition, folder ?? vscode.TaskScope.Workspace, label, TASK_SOURCE, execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: false };
    return task;
  }
}

export function registerTaskProvider(provider: RunlogTaskProvider): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, provider);
}
