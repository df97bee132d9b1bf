// A status bar item while the store's open pass runs in the background: "Runlog: indexing 2,500
// of 10,000 runs". The explorer shows the runs indexed so far meanwhile; hidden once it ends.

import * as vscode from 'vscode';
import type { OpenProgress } from '../../core/store/Store';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

/** Progress comes once per slice (tens of ms): the item is updated at most this often. */
const UPDATE_MS = 250;

export function indexingText(progress: OpenProgress): string | undefined {
  if (progress.phase === 'listing') return 'Runlog: listing runs…';
  if (progress.phase === 'values') return 'Runlog: indexing config and summary values for filters…';
  if (progress.total === 0 || progress.done >= progress.total) return undefined;
  return `Runlog: indexing ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} runs`;
}

export class IndexingStatusItem extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stores: StoreService) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('runlog.indexing', vscode.StatusBarAlignment.Left, 49));
    this.item.name = 'Runlog: indexing';
    this.item.tooltip = 'Runlog is reading the run folders of its store; the explorer shows the runs indexed so far.';
    this.item.command = { command: 'workbench.view.extension.runlog', title: 'Show the run explorer' };
    this._register(stores.onDidChangeOpenProgress((p) => (p ? this.schedule() : this.update())));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.update(), UPDATE_MS);
  }

  private update(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const progress = this.stores.openProgress;
    const text = progress && indexingText(progress);
    if (!text) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) ${text}`;
    this.item.show();
  }
}
