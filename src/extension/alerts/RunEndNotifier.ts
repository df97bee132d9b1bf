// A run that fails or crashes while the window is open gets a notification with Open Run and
// Show Logs (its output as a read-only document), unless `runlog.notifyOnFailure` is off.
// Stops the person asked for end `killed` and stay quiet.

import * as vscode from 'vscode';
import type { RunInfo, RunKey, StoreChange } from '../../core/model';
import { formatDuration } from '../explorer/format';
import { outputUri } from '../runPage/runOutput';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { plainText } from '../util/plainText';
import { RunEndTracker, type BadEnd } from './runEnds';

export const NOTIFY_ON_FAILURE_SETTING = 'notifyOnFailure';

export class RunEndNotifier extends Disposable {
  private readonly tracker = new RunEndTracker(Date.now() / 1000);
  /** The notifications shown, newest last (tests cannot read notifications through the API). */
  readonly recent: { readonly key: RunKey; readonly message: string; readonly actions: readonly string[] }[] = [];

  constructor(private readonly stores: StoreService) {
    super();
    this._register(stores.onDidChange((changes) => this.changed(changes)));
  }

  private changed(changes: readonly StoreChange[]): void {
    const store = this.stores.store;
    if (!store) return;
    const keys = new Set<RunKey>();
    for (const c of changes) {
      if (c.kind === 'runRemoved') this.tracker.forget(c.run);
      else if (c.kind === 'runAdded' || c.kind === 'runUpdated') keys.add(c.run);
    }
    if (keys.size === 0) return;
    // One lookup per changed run: the open pass of a big store reports hundreds of runs per
    // slice, and listing each one's project for them was quadratic (42 s of an 8,000-run open).
    const notify = vscode.workspace.getConfiguration('runlog').get<boolean>(NOTIFY_ON_FAILURE_SETTING, true);
    for (const key of keys) {
      const run = store.runInfo(key);
      const end = run && this.tracker.observe(run);
      if (run && end && notify) void this.show(run, end);
    }
  }

  private async show(run: RunInfo, end: BadEnd): Promise<void> {
    const how = end === 'crashed' ? 'crashed (its process ended without a word)' : `failed${run.exitCode !== null ? ` (exit code ${run.exitCode})` : ''}`;
    const message = plainText(`Run ${run.name} ${how} after ${formatDuration(run.durationSec)}.`);
    const actions = ['Open Run', 'Show Logs'] as const;
    this.recent.push({ key: run.key, message, actions });
    if (this.recent.length > 100) this.recent.shift();
    const picked = await vscode.window.showErrorMessage(message, ...actions);
    if (picked === 'Open Run') await vscode.commands.executeCommand('runlog.openRun', run.key);
    else if (picked === 'Show Logs') await vscode.window.showTextDocument(outputUri(run.key, run.name), { preview: true });
  }
}
