// The `runlog-sweep` task type: "Run Task" lists one task per sweep file of the workspace, and a
// sweep defined in tasks.json runs through resolveTask:
//   { "type": "runlog-sweep", "config": "sweep.yaml", "agents": 2, "label": "lr sweep" }
// Each task creates the sweep (or joins `sweep`) and runs its agents in one terminal.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SCRIPT_EXCLUDE } from '../runs/runPrompts';
import type { StoreService } from '../store/StoreService';
import { TASK_SOURCE } from '../tasks/taskDefinition';
import { looksLikeSweepConfig } from './sweepLaunch';
import { sweepLaunchContext } from './sweepProcesses';
import type { SweepService } from './SweepService';
import { SweepTaskTerminal } from './SweepTaskTerminal';
import { checkSweepTaskDefinition, SWEEP_TASK_TYPE, sweepTaskLabel, type SweepTaskDefinition } from './sweepTaskDefinition';

const MAX_FILES = 500;
const MAX_CONFIG_BYTES = 256 * 1024;

export class SweepTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly stores: StoreService,
    private readonly sweeps: SweepService,
  ) {}

  /** One task per YAML/JSON file that reads as a sweep config (top-level method and parameters). */
  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml,json}', SCRIPT_EXCLUDE, MAX_FILES, token);
    const tasks: vscode.Task[] = [];
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      if (token.isCancellationRequested) break;
      try {
        if ((await fs.stat(uri.fsPath)).size > MAX_CONFIG_BYTES) continue;
        if (looksLikeSweepConfig(await fs.readFile(uri.fsPath, 'utf8')) === undefined) continue;
      } catch {
        continue;
      }
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const config = folder ? path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/') : uri.fsPath;
      tasks.push(this.createTask({ type: SWEEP_TASK_TYPE, config }, folder));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const checked = checkSweepTaskDefinition(task.definition);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(`Runlog sweep task "${task.name}" is not valid: ${checked.errors.join(' ')}`);
      return undefined;
    }
    return this.createTask(checked.value, typeof task.scope === 'object' ? task.scope : undefined, task.name, task.definition);
  }

  createTask(
    definition: SweepTaskDefinition,
    folder: vscode.WorkspaceFolder | undefined,
    name?: string,
    rawDefinition: vscode.TaskDefinition = definition as unknown as vscode.TaskDefinition,
  ): vscode.Task {
    const base = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const configFile = definition.config ? path.resolve(base, definition.config) : undefined;
    const anchor = vscode.Uri.file(configFile ?? base);
    const agents = (): number => definition.agents ?? vscode.workspace.getConfiguration('runlog', anchor).get<number>('sweep.agents', 1);
    const execution = new vscode.CustomExecution(async () =>
      new SweepTaskTerminal({
        configFile,
        sweep: definition.sweep,
        agents: agents(),
        context: () => sweepLaunchContext(this.extensionUri, this.stores, anchor, folder),
        onSweep: () => {
          this.sweeps.refresh();
          this.sweeps.watchFor(60_000);
        },
      }),
    );
    const task = new vscode.Task(rawDefinition, folder ?? vscode.TaskScope.Workspace, name ?? sweepTaskLabel(definition, agents()), TASK_SOURCE, execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: false };
    return task;
  }
}
