import type * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import { parseRunPageState } from '../../common/runPageProtocol';
import type { StoreService } from '../store/StoreService';
import { WebviewPageManager } from '../webview/WebviewPage';
import { RUN_PAGE_VIEW_TYPE, RunPagePanel, type RunPageServices } from './RunPagePanel';
import { RunOutputDocuments } from './runOutput';
import { tabTitle } from '../../common/displayText';

/** Owns the run pages: one panel per run, restored after a reload, fed by the store's changes. */
export class RunPageManager extends WebviewPageManager<RunKey, RunPagePanel, number> {
  private readonly _services: RunPageServices;

  constructor(extensionUri: vscode.Uri, stores: StoreService) {
    super(extensionUri, RUN_PAGE_VIEW_TYPE);
    this._services = { extensionUri, stores, outputDocuments: this._register(new RunOutputDocuments(stores)) };
    this._register(stores.onDidChange((changes) => this.panels.forEach((p) => p.onStoreChanges(changes))));
    this._register(stores.onDidChangeStore(() => this.panels.forEach((p) => p.reload())));
  }

  /** Shows the run's page, opening it if needed. `openedAt` (epoch ms) starts the first-chart clock. */
  show(key: RunKey, openedAt = Date.now()): RunPagePanel {
    return this.open(key, tabTitle(this._services.stores.store?.getRun(key)?.name ?? key), (page) => page.reveal(openedAt), openedAt);
  }

  protected idOf(state: unknown): RunKey | undefined {
    return parseRunPageState(state)?.key;
  }

  protected create(panel: vscode.WebviewPanel, key: RunKey, openedAt: number | undefined): RunPagePanel {
    return new RunPagePanel(panel, this._services, key, openedAt ?? Date.now());
  }
}
