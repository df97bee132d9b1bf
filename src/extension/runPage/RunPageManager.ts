import * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import { parseRunPageState } from '../../common/runPageProtocol';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { webviewOptions } from '../webview/html';
import { RUN_PAGE_VIEW_TYPE, RunPagePanel, type RunPageServices } from './RunPagePanel';
import { RunOutputDocuments } from './runOutput';
import { tabTitle } from '../../common/displayText';

/** Owns the run pages: one panel per run, restored after a reload, fed by the store's changes. */
export class RunPageManager extends Disposable {
  private readonly _panels = new Map<RunKey, RunPagePanel>();
  private readonly _services: RunPageServices;
  private readonly _onDidOpen = this._register(new vscode.EventEmitter<RunPagePanel>());
  /** A page was opened or restored. */
  readonly onDidOpen = this._onDidOpen.event;

  constructor(extensionUri: vscode.Uri, stores: StoreService) {
    super();
    this._services = { extensionUri, stores, outputDocuments: this._register(new RunOutputDocuments(stores)) };
    this._register(stores.onDidChange((changes) => this._panels.forEach((p) => p.onStoreChanges(changes))));
    this._register(stores.onDidChangeStore(() => this._panels.forEach((p) => p.reload())));
    this._register(
      vscode.window.registerWebviewPanelSerializer(RUN_PAGE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
    this._register({ dispose: () => [...this._panels.values()].forEach((p) => p.dispose()) });
  }

  get panels(): readonly RunPagePanel[] {
    return [...this._panels.values()];
  }

  get(key: RunKey): RunPagePanel | undefined {
    return this._panels.get(key);
  }

  /** Shows the run's page, opening it if needed. `openedAt` (epoch ms) starts the first-chart clock. */
  show(key: RunKey, openedAt = Date.now()): RunPagePanel {
    const existing = this._panels.get(key);
    if (existing) {
      existing.reveal(openedAt);
      return existing;
    }
    const title = tabTitle(this._services.stores.store?.getRun(key)?.name ?? key);
    const panel = vscode.window.createWebviewPanel(RUN_PAGE_VIEW_TYPE, title, vscode.ViewColumn.Active, webviewOptions(this._services.extensionUri));
    return this.adopt(panel, key, openedAt);
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseRunPageState(state);
    if (!saved || this._panels.has(saved.key)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this._services.extensionUri);
    this.adopt(panel, saved.key, Date.now());
  }

  private adopt(panel: vscode.WebviewPanel, key: RunKey, openedAt: number): RunPagePanel {
    const page = new RunPagePanel(panel, this._services, key, openedAt);
    this._panels.set(key, page);
    page.panel.onDidDispose(() => {
      if (this._panels.get(key) === page) this._panels.delete(key);
    });
    this._onDidOpen.fire(page);
    return page;
  }
}
