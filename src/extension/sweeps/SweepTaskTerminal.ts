// The terminal of a `runlog-sweep` task: creates the sweep from its file (unless the task joins
// one), then runs its agents side by side, each from an argument vector, their lines prefixed
// `[agent N]`. It closes when every agent has ended (exit code: the first failure's, else 0);
// terminating the task ends the agents.

import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { exitCodeOf } from '../runs/RunProcess';
import { agentProcess, createSweepProcess, type SweepLaunchContext } from './sweepLaunch';
import { runCreate } from './sweepProcesses';

export interface SweepTaskPlan {
  /** Creates the sweep from this file first; else `sweep` names an existing one. */
  readonly configFile?: string;
  readonly sweep?: string;
  readonly agents: number;
  readonly context: () => Promise<SweepLaunchContext>;
  /** Told the sweep's ID once it exists (the Sweeps view starts watching it). */
  readonly onSweep: (id: string) => void;
}

const line = (text: string) => `${text.replace(/\r?\n/g, '\r\n')}\r\n`;

export class SweepTaskTerminal implements vscode.Pseudoterminal {
  private readonly _onDidWrite = new vscode.EventEmitter<string>();
  private readonly _onDidClose = new vscode.EventEmitter<number>();
  readonly onDidWrite = this._onDidWrite.event;
  readonly onDidClose = this._onDidClose.event;
  private readonly _children: ChildProcess[] = [];
  private _closed = false;

  constructor(private readonly plan: SweepTaskPlan) {}

  open(): void {
    void this.run().catch((e: unknown) => this.end(line(e instanceof Error ? e.message : String(e)), 1));
  }

  close(): void {
    this._closed = true;
    for (const child of this._children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  private end(message: string, code: number): void {
    if (message) this._onDidWrite.fire(message);
    this._onDidClose.fire(code);
  }

  private async run(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      return this.end(line('Runlog does not start sweeps in an untrusted workspace, because a sweep runs its program. Trust the workspace to start one.'), 1);
    }
    const ctx = await this.plan.context();
    let id = this.plan.sweep;
    if (this.plan.configFile) {
      this._onDidWrite.fire(line(`Creating a sweep from ${this.plan.configFile}`));
      id = await runCreate(createSweepProcess(ctx, this.plan.configFile));
    }
    if (!id) return this.end(line('The task names no sweep.'), 1);
    if (this._closed) return;
    this.plan.onSweep(id);
    this._onDidWrite.fire(line(`Sweep ${id}: ${this.plan.agents} agent${this.plan.agents === 1 ? '' : 's'}`));
    const codes = await Promise.all(Array.from({ length: this.plan.agents }, (_, i) => this.agent(ctx, id, i + 1)));
    const failed = codes.find((c) => c !== 0);
    this.end(line(`Sweep ${id}: every agent has ended${failed === undefined ? '' : ` (exit code ${failed})`}.`), failed ?? 0);
  }

  private agent(ctx: SweepLaunchContext, id: string, n: number): Promise<number> {
    const p = agentProcess(ctx, id);
    return new Promise((done) => {
      const child = spawn(p.command, [...p.args], { cwd: p.cwd, env: p.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
      this._children.push(child);
      let partial = '';
      const write = (chunk: Buffer): void => {
        const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const l of lines) this._onDidWrite.fire(line(`[agent ${n}] ${l}`));
      };
      child.stdout.on('data', write);
      child.stderr.on('data', write);
      child.on('error', (e) => {
        this._onDidWrite.fire(line(`[agent ${n}] could not start ${p.command}: ${e.message}`));
        done(1);
      });
      child.on('close', (code, signal) => {
        if (partial) this._onDidWrite.fire(line(`[agent ${n}] ${partial}`));
        done(exitCodeOf({ code, signal }));
      });
    });
  }
}
