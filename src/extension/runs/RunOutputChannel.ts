// The "Runlog" Output channel. It listens to the launcher's events (processes never write to it):
// one channel for every run, each line led by the run's name, so runs started side by side stay
// readable and the Output view's list does not grow by a channel per run. Each run's own
// terminal and its run page keep its output apart.

import * as vscode from 'vscode';
import { formatDuration } from '../explorer/format';
import { quoteArgs } from './argv';
import { LineAssembler } from './outputText';
import type { LaunchEnd, LiveLaunch, RunLauncher } from './RunLauncher';
import { Disposable } from '../util/dispose';

export class RunOutputChannel extends Disposable {
  readonly channel: vscode.OutputChannel;
  private readonly assemblers = new Map<LiveLaunch, LineAssembler>();

  constructor(launcher: RunLauncher) {
    super();
    this.channel = this._register(vscode.window.createOutputChannel('Runlog'));
    this._register(launcher.onDidStart((l) => this.started(l)));
    this._register(launcher.onDidOutput(({ launch, text }) => this.output(launch, text)));
    this._register(launcher.onDidEnd((e) => this.ended(e)));
    this._register(vscode.commands.registerCommand('runlog.showOutput', () => this.channel.show(true)));
  }

  private prefix(launch: LiveLaunch): string {
    return `[${launch.label}] `;
  }

  private started(launch: LiveLaunch): void {
    const { plan } = launch;
    this.assemblers.set(launch, new LineAssembler());
    const command = quoteArgs([plan.execution.command, ...plan.execution.args]);
    this.channel.appendLine(`${this.prefix(launch)}▶ Run ${plan.key}${plan.runName ? ` (${plan.runName})` : ''} started: ${command}`);
    this.channel.appendLine(`${this.prefix(launch)}  in ${plan.execution.cwd}, Python from ${plan.interpreterSource}`);
  }

  private output(launch: LiveLaunch, text: string): void {
    const assembler = this.assemblers.get(launch);
    if (!assembler) return;
    const prefix = this.prefix(launch);
    const lines = assembler.push(text);
    if (lines.length) this.channel.append(lines.map((l) => prefix + l + '\n').join(''));
  }

  private ended({ launch, exit, run, state }: LaunchEnd): void {
    const prefix = this.prefix(launch);
    const rest = this.assemblers.get(launch)?.flush() ?? [];
    this.assemblers.delete(launch);
    for (const line of rest) this.channel.appendLine(prefix + line);
    const took = formatDuration(Date.now() / 1000 - launch.startedAt);
    if (exit.spawnError) {
      this.channel.appendLine(`${prefix}■ Could not start: ${exit.spawnError}`);
      return;
    }
    const how = exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal ?? 'unknown'}`;
    if (!run) {
      this.channel.appendLine(`${prefix}■ Ended (${how}) after ${took}. No run was recorded: the script did not call runlog.init().`);
      return;
    }
    this.channel.appendLine(`${prefix}■ ${run.name} ${state ?? run.state} (${how}) after ${took}.`);
  }
}
