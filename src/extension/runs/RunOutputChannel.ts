// The "Runlog" Output channel. It listens to the launcher's events (processes never write to it):
// one channel for every run, each line led by the run's name, so runs started side by side stay
// readable and the Output view's list does not grow by a channel per run. Each run's own
// terminal and its run page keep its output apart.

import * as vscode from 'vscode';
import { formatDuration } from '../explorer/format';
import { quoteArgs } from './argv';
import { LineAssembler } from './outputText';
import type { LaunchEnd, LiveLaunch, RunLauncher } from './RunLauncher';
import { describeExit } from './RunProcess';
import { Disposable } from '../util/dispose';
import { neutralizeBidi } from '../../common/displayText';

const RECENT_LINES = 2000;

export class RunOutputChannel extends Disposable {
  readonly channel: vscode.OutputChannel;
  private readonly assemblers = new Map<LiveLaunch, LineAssembler>();
  /** The last lines written, for tests (an Output channel cannot be read back through the API). */
  private readonly recent: string[] = [];

  constructor(launcher: RunLauncher) {
    super();
    this.channel = this._register(vscode.window.createOutputChannel('Runlog'));
    this._register(launcher.onDidStart((l) => this.started(l)));
    this._register(launcher.onDidOutput(({ launch, text }) => this.output(launch, text)));
    this._register(launcher.onDidEnd((e) => this.ended(e)));
    this._register(vscode.commands.registerCommand('runlog.showOutput', () => this.channel.show(true)));
  }

  /** The last lines written to the channel, oldest first. */
  get tail(): readonly string[] {
    return this.recent;
  }

  private appendLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.channel.append(lines.map((l) => l + '\n').join(''));
    this.recent.push(...lines);
    if (this.recent.length > RECENT_LINES) this.recent.splice(0, this.recent.length - RECENT_LINES);
  }

  private prefix(launch: LiveLaunch): string {
    return `[${neutralizeBidi(launch.label)}] `;
  }

  private started(launch: LiveLaunch): void {
    const { plan } = launch;
    this.assemblers.set(launch, new LineAssembler());
    const command = quoteArgs([plan.execution.command, ...plan.execution.args]);
    this.appendLines([`${this.prefix(launch)}▶ Started run ${plan.runId}: ${command}`]);
    this.appendLines([`${this.prefix(launch)}  in ${plan.execution.cwd}, Python from ${plan.interpreterSource}`]);
  }

  private output(launch: LiveLaunch, text: string): void {
    const assembler = this.assemblers.get(launch);
    if (!assembler) return;
    const prefix = this.prefix(launch);
    const lines = assembler.push(text);
    this.appendLines(lines.map((l) => prefix + l));
  }

  private ended({ launch, exit, run, state }: LaunchEnd): void {
    const prefix = this.prefix(launch);
    const rest = this.assemblers.get(launch)?.flush() ?? [];
    this.assemblers.delete(launch);
    for (const line of rest) this.appendLines([prefix + line]);
    const took = formatDuration(Date.now() / 1000 - launch.startedAt);
    if (exit.spawnError) {
      this.appendLines([`${prefix}■ Could not start: ${exit.spawnError}`]);
      return;
    }
    const how = describeExit(exit);
    if (!run) {
      this.appendLines([`${prefix}■ Ended (${how}) after ${took}. No run was recorded: the script did not call runlog.init().`]);
      return;
    }
    this.appendLines([`${prefix}■ ${neutralizeBidi(run.name)} (${run.path}) ${state ?? run.state} (${how}) after ${took}.`]);
  }
}
