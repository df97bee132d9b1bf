// A sweep agent's task terminal: Runlog starts the process itself from an argument vector (a
// ProcessExecution would let VS Code substitute `${…}` in a hostile path), shows its output, and
// ends it when the task is terminated.

import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { SweepProcess } from './sweepLaunch';

export class SweepAgentTerminal implements vscode.Pseudoterminal {
  private readonly _onDidWrite = new vscode.EventEmitter<string>();
  private readonly _onDidClose = new vscode.EventEmitter<number>();
  readonly onDidWrite = this._onDidWrite.event;
  readonly onDidClose = this._onDidClose.event;
  private _child: ChildProcess | undefined;

  constructor(private readonly process: SweepProcess) {}

  open(): void {
    const p = this.process;
    this._onDidWrite.fire(`> ${[p.command, ...p.args].join(' ')}\r\n`);
    const child = (this._child = spawn(p.command, [...p.args], { cwd: p.cwd, env: p.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] }));
    const write = (chunk: Buffer) => this._onDidWrite.fire(chunk.toString('utf8').replace(/\r?\n/g, '\r\n'));
    child.stdout?.on('data', write);
    child.stderr?.on('data', write);
    child.on('error', (e) => {
      this._onDidWrite.fire(`Could not start ${p.command}: ${e.message}\r\n`);
      this._onDidClose.fire(1);
    });
    child.on('close', (code) => this._onDidClose.fire(code ?? 1));
  }

  close(): void {
    if (this._child && this._child.exitCode === null) this._child.kill('SIGTERM');
  }
}
