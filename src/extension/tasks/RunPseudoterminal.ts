// The terminal of one `runlog` task: it plans and starts the launch when the terminal opens,
// shows the process's output as it comes (colours kept), turns Ctrl+C or closing the terminal
// into a graceful Stop, and closes with the process's exit code.

import * as vscode from 'vscode';
import { formatDuration } from '../explorer/format';
import { quoteArgs } from '../runs/argv';
import { toTerminalNewlines } from '../runs/outputText';
import { LaunchError, type LaunchPlan, type LiveLaunch, type RunLauncher } from '../runs/RunLauncher';
import { describeExit, exitCodeOf } from '../runs/RunProcess';
import { Disposable } from '../util/dispose';
import type { RunlogTaskDefinition } from './taskDefinition';
import { neutralizeBidi } from '../../common/displayText';

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export class RunPseudoterminal extends Disposable implements vscode.Pseudoterminal {
  private readonly writeEmitter = this._register(new vscode.EventEmitter<string>());
  readonly onDidWrite = this.writeEmitter.event;
  private readonly closeEmitter = this._register(new vscode.EventEmitter<number>());
  readonly onDidClose = this.closeEmitter.event;
  private launch: LiveLaunch | undefined;
  private closed = false;

  constructor(
    private readonly launcher: RunLauncher,
    private readonly definition: RunlogTaskDefinition,
    private readonly folder: vscode.WorkspaceFolder | undefined,
    /** Planned ahead by Start Run (so the command knows the run ID); planned on open otherwise. */
    private readonly planned: LaunchPlan | undefined,
    private readonly onLaunchError: (error: LaunchError) => void,
  ) {
    super();
  }

  open(): void {
    void this.run();
  }

  private write(text: string): void {
    if (!this.closed) this.writeEmitter.fire(toTerminalNewlines(text));
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(code);
    queueMicrotask(() => this.dispose());
  }

  private async run(): Promise<void> {
    let plan: LaunchPlan;
    try {
      plan = this.planned ?? (await this.launcher.plan(this.definition, this.folder));
    } catch (e) {
      const error = e instanceof LaunchError ? e : new LaunchError(e instanceof Error ? e.message : String(e));
      this.write(`${RED}Runlog: ${error.message}${RESET}\n`);
      this.onLaunchError(error);
      this.finish(1);
      return;
    }
    this.write(`${DIM}Runlog: run ${plan.runId}${plan.knownName ? ` (${neutralizeBidi(plan.knownName)})` : ''} · ${quoteArgs([plan.execution.command, ...plan.execution.args])}${RESET}
`);
    this._register(
      this.launcher.onDidOutput(({ launch, text }) => {
        if (launch.plan === plan) this.write(text);
      }),
    );
    this._register(
      this.launcher.onDidEnd(({ launch, exit, run, state }) => {
        if (launch.plan !== plan) return;
        const took = formatDuration(Date.now() / 1000 - launch.startedAt);
        if (exit.spawnError) {
          this.write(`\n${RED}Runlog: ${exit.spawnError}${RESET}\n`);
        } else {
          const how = describeExit(exit);
          const what = run ? `${neutralizeBidi(run.name)} ${state ?? run.state}` : 'No run was recorded (the script did not call runlog.init())';
          this.write(`\n${DIM}Runlog: ${what} (${how}) after ${took}.${RESET}\n`);
        }
        this.finish(exitCodeOf(exit));
      }),
    );
    this.launch = await this.launcher.start(plan);
  }

  handleInput(data: string): void {
    if (data.includes('\x03') && this.launch && !this.launch.process.isStopping) {
      this.write(`^C\n${DIM}Runlog: stopping…${RESET}\n`);
      void this.launcher.stop(this.launch.plan.key);
    }
  }

  /** The terminal was closed or the task terminated: stop the run rather than orphan it. */
  close(): void {
    this.closed = true;
    if (this.launch && !this.launch.process.exited) void this.launcher.stop(this.launch.plan.key).catch(() => undefined);
    this.dispose();
  }
}
