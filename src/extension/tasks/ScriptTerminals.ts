// One task terminal per script: when Start Run starts a script again, the terminals of its
// earlier runs that have ended are closed, so repeated runs do not pile up tabs. A live run's
// terminal is never closed (runs of one script can go side by side), nor any terminal this did
// not see open for a launch (a person's own, or one it could not tell apart).
//
// Why not VS Code's own reuse (the same task run again reuses its dedicated terminal): VS Code
// keys a task by the properties its type declares (package.json `taskDefinitions`) and drops
// the rest, so runs of one script with the same settings were all one task, and the extension
// host keys a custom execution's callback and its TaskExecution by that one id. Start Run's
// `launchId` is now declared, so each launch is a task of its own; the terminals are closed
// here, from the launcher's record of which runs are live (issue 17, item 6).

import * as vscode from 'vscode';
import type { LaunchPlan, RunLauncher } from '../runs/RunLauncher';
import { Disposable } from '../util/dispose';

interface Tracked {
  readonly plan: LaunchPlan;
  readonly terminal: vscode.Terminal;
}

export class ScriptTerminals extends Disposable {
  /** By script path: the terminals of its launches, oldest first. */
  private readonly byScript = new Map<string, Tracked[]>();

  constructor(private readonly launcher: RunLauncher) {
    super();
    this._register(
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [script, list] of this.byScript) {
          const kept = list.filter((t) => t.terminal !== terminal);
          if (kept.length) this.byScript.set(script, kept);
          else this.byScript.delete(script);
        }
      }),
    );
  }

  /** The terminals open now, taken before the launch's task is executed. */
  snapshot(): ReadonlySet<vscode.Terminal> {
    return new Set(vscode.window.terminals);
  }

  /**
   * Called once `plan`'s run started in the task terminal named `label`: takes that terminal
   * (the one new terminal of that name since `before`) and closes the ended runs' terminals of
   * the same script.
   */
  started(plan: LaunchPlan, label: string, before: ReadonlySet<vscode.Terminal>): void {
    const fresh = vscode.window.terminals.filter((t) => !before.has(t) && t.name.includes(label));
    const script = plan.execution.script;
    const open = new Set(vscode.window.terminals);
    const live = new Set(this.launcher.launches.map((l) => l.plan));
    const kept: Tracked[] = [];
    for (const t of this.byScript.get(script) ?? []) {
      if (!open.has(t.terminal)) continue;
      if (live.has(t.plan) || fresh.includes(t.terminal)) kept.push(t);
      else t.terminal.dispose();
    }
    // Two launches of one script at the same moment both look new: track neither rather than guess.
    if (fresh.length === 1) kept.push({ plan, terminal: fresh[0]! });
    if (kept.length) this.byScript.set(script, kept);
    else this.byScript.delete(script);
  }
}
