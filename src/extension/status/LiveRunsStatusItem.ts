// A status bar item with the number of live runs; a click opens the run explorer. Hidden while
// none is live.

import * as vscode from 'vscode';
import type { StoreChange } from '../../core/model';
import type { RunLauncher } from '../runs/RunLauncher';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

const REFRESH_MS = 500;
/** Opening the store waits until activation is over. */
const FIRST_READ_MS = 1500;

export class LiveRunsStatusItem extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('runlog.liveRuns', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Runlog: live runs';
    this.item.command = { command: 'workbench.view.extension.runlog', title: 'Show the run explorer' };
    this._register(stores.onDidChange((changes: readonly StoreChange[]) => changes.some((c) => c.kind !== 'output' && c.kind !== 'system' && c.kind !== 'history' && c.kind !== 'alert') && this.schedule()));
    this._register(stores.onDidChangeStore(() => this.schedule()));
    this._register(launcher.onDidChangeLaunches(() => this.schedule()));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.timer = setTimeout(() => this.update(), FIRST_READ_MS);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.update(), REFRESH_MS);
  }

  /** How many runs are live: those the store has as running, plus launches it has not seen yet. */
  liveCount(): number {
    const store = this.stores.store;
    const running = store?.listRuns(undefined, { filter: 'state:running' }) ?? [];
    const unseen = this.launcher.launches.filter((l) => !running.some((r) => this.launcher.findLaunch(r) === l)).length;
    return running.length + unseen;
  }

  private update(): void {
    this.timer = undefined;
    let count = 0;
    try {
      count = this.liveCount();
    } catch (e) {
      console.error('Runlog: could not count live runs', e);
    }
    if (count === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) ${count} run${count === 1 ? '' : 's'} live`;
    this.item.tooltip = 'Runlog: show the run explorer';
    this.item.show();
  }
}
