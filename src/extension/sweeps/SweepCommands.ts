// Start Sweep (code lens, palette, explorer title), Stop / Pause / Resume Sweep, Open Sweep.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { SweepAgentTerminal } from './SweepAgentTerminal';
import type { SweepExplorer, SweepTreeNode } from './SweepExplorer';
import type { SweepPageManager } from './SweepPagePanel';
import type { SweepService } from './SweepService';
import { agentCountProblem, agentProcess, createSweepProcess } from './sweepLaunch';
import { runCreate, sweepLaunchContext } from './sweepProcesses';
import { SWEEP_TASK_TYPE } from './sweepTaskDefinition';

/** A sweep id from a command argument: a tree node, or the id itself. */
function sweepIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as SweepTreeNode | undefined;
  return node && typeof node === 'object' && 'sweep' in node ? node.sweep.id : undefined;
}

export class SweepCommands extends Disposable {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly stores: StoreService,
    private readonly sweeps: SweepService,
    private readonly explorer: SweepExplorer,
    private readonly pages: SweepPageManager,
  ) {
    super();
    const command = (id: string, fn: (arg?: unknown) => unknown) =>
      this._register(vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          return await fn(arg);
        } catch (e) {
          void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }
      }));
    command('runlog.startSweep', (arg) => this.start(arg instanceof vscode.Uri ? arg : undefined));
    command('runlog.stopSweep', (arg) => this.control(arg, 'stopped'));
    command('runlog.pauseSweep', (arg) => this.control(arg, 'paused'));
    command('runlog.resumeSweep', (arg) => this.control(arg, 'running'));
    command('runlog.openSweep', async (arg) => {
      const id = sweepIdOf(arg) ?? (await this.pick('Open which sweep?'));
      if (id) this.pages.show(id);
    });
  }

  private async pick(placeHolder: string): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
      this.sweeps.sweeps.map((s) => ({ label: s.name ?? s.id, description: `${s.project} · ${s.method} · ${s.state}`, id: s.id })),
      { placeHolder },
    );
    return picked?.id;
  }

  private async control(arg: unknown, state: 'running' | 'paused' | 'stopped'): Promise<void> {
    const id = sweepIdOf(arg) ?? (await this.pick(state === 'stopped' ? 'Stop which sweep?' : state === 'paused' ? 'Pause which sweep?' : 'Resume which sweep?'));
    if (!id) return;
    this.sweeps.setControl(id, state);
    const what = state === 'stopped' ? 'stops: its agents end after their current trial' : state === 'paused' ? 'is paused: agents wait after their current trial' : 'resumes';
    void vscode.window.setStatusBarMessage(`Runlog: sweep ${id} ${what}.`, 5000);
  }

  /** Start Sweep: create the sweep from its file, then start N agents as tasks. Returns the sweep id. */
  async start(uri: vscode.Uri | undefined): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      throw new Error('Runlog does not start sweeps in an untrusted workspace, because a sweep runs its program. Trust the workspace to start one.');
    }
    const file = uri ?? (await this.pickFile());
    if (!file) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(file);
    const setting = vscode.workspace.getConfiguration('runlog', file).get<number>('sweep.agents', 1);
    const answer = await vscode.window.showInputBox({
      title: 'Start Sweep',
      prompt: `Agents to run in parallel for ${path.basename(file.fsPath)} (each runs one trial at a time)`,
      value: String(setting),
      validateInput: agentCountProblem,
    });
    if (answer === undefined) return undefined;
    const agents = Number(answer.trim());
    const ctx = await sweepLaunchContext(this.extensionUri, this.stores, file, folder);
    const id = await runCreate(createSweepProcess(ctx, file.fsPath));
    for (let i = 0; i < agents; i++) {
      const p = agentProcess(ctx, id);
      const task = new vscode.Task(
        { type: SWEEP_TASK_TYPE, sweep: id, agent: i + 1 },
        folder ?? vscode.TaskScope.Workspace,
        `sweep ${id} · agent ${i + 1}`,
        'Runlog',
        new vscode.CustomExecution(async () => new SweepAgentTerminal(p)),
        [],
      );
      task.presentationOptions = { reveal: i === 0 ? vscode.TaskRevealKind.Always : vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, focus: false, clear: true };
      await vscode.tasks.executeTask(task);
    }
    this.sweeps.refresh();
    this.sweeps.watchFor(60_000);
    await this.explorer.reveal(id);
    void vscode.window.setStatusBarMessage(`Runlog: sweep ${id} started with ${agents} agent${agents === 1 ? '' : 's'}.`, 5000);
    return id;
  }

  private async pickFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && /\.(ya?ml|json)$/i.test(active.fileName) && active.uri.scheme === 'file') return active.uri;
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Sweep config': ['yaml', 'yml', 'json'] }, openLabel: 'Start Sweep' });
    return picked?.[0];
  }
}
