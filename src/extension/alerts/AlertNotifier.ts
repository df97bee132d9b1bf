// Alerts a run records (`run.alert(title, text, level)`) show as editor notifications of the
// matching severity, with a button that opens the run. Only alerts raised while this window is
// open: re-indexing old runs must not replay their history as a burst of toasts.

import * as vscode from 'vscode';
import type { RunAlert, RunKey, StoreChange } from '../../core/model';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { plainText } from '../util/plainText';

/** Alerts older than this when they are read are history, not news. */
const FRESH_SEC = 60;
const MAX_PER_BATCH = 5;

export class AlertNotifier extends Disposable {
  private readonly since = Date.now() / 1000 - FRESH_SEC;
  private readonly shown = new Set<string>();
  /** The notifications shown, newest last (tests cannot read notifications through the API). */
  readonly recent: { readonly level: RunAlert['level']; readonly message: string }[] = [];

  constructor(private readonly stores: StoreService) {
    super();
    this._register(stores.onDidChange((changes) => this.changed(changes)));
  }

  private changed(changes: readonly StoreChange[]): void {
    const now = Date.now() / 1000;
    const alerts = changes.filter((c): c is Extract<StoreChange, { kind: 'alert' }> => c.kind === 'alert').filter((c) => c.alert.ts >= this.since && c.alert.ts >= now - FRESH_SEC);
    for (const { run, alert } of alerts.slice(0, MAX_PER_BATCH)) {
      const id = `${run}\u0000${alert.ts}\u0000${alert.title}`;
      if (this.shown.has(id)) continue;
      this.shown.add(id);
      void this.show(run, alert);
    }
    if (alerts.length > MAX_PER_BATCH) {
      void vscode.window.showWarningMessage(`Runlog: ${alerts.length - MAX_PER_BATCH} more alerts were recorded; see the run pages.`);
    }
  }

  private async show(key: RunKey, alert: RunAlert): Promise<void> {
    const name = this.stores.store?.runInfo(key)?.name ?? key;
    const message = plainText(`${name}: ${alert.title}${alert.text ? ` — ${alert.text}` : ''}`);
    this.recent.push({ level: alert.level, message });
    if (this.recent.length > 100) this.recent.shift();
    const show = alert.level === 'ERROR' ? vscode.window.showErrorMessage : alert.level === 'WARN' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const picked = await show(message, 'Open Run');
    if (picked === 'Open Run') await vscode.commands.executeCommand('runlog.openRun', key);
  }
}
