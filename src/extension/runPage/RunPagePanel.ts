import * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import { parseRunPageMessage, type HostToRunPage, type RunPageToHost } from '../../common/runPageProtocol';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { renderWebviewHtml, webviewOptions } from '../webview/html';

export const RUN_PAGE_VIEW_TYPE = 'runlog.runPage';
const CHART_BUCKETS = 1000;

/** One webview panel per run. */
export class RunPagePanel extends Disposable {
  private static readonly _panels = new Map<RunKey, RunPagePanel>();

  static show(extensionUri: vscode.Uri, stores: StoreService, key: RunKey): RunPagePanel {
    const existing = RunPagePanel._panels.get(key);
    if (existing) {
      existing._panel.reveal();
      return existing;
    }
    const title = stores.store?.getRun(key)?.name ?? key;
    const panel = vscode.window.createWebviewPanel(RUN_PAGE_VIEW_TYPE, title, vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return new RunPagePanel(panel, extensionUri, stores, key);
  }

  static get(key: RunKey): RunPagePanel | undefined {
    return RunPagePanel._panels.get(key);
  }

  private constructor(
    private readonly _panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly _stores: StoreService,
    readonly key: RunKey,
  ) {
    super();
    RunPagePanel._panels.set(key, this);
    this._register({ dispose: () => RunPagePanel._panels.delete(key) });
    this._register(_panel.onDidDispose(() => this.dispose()));
    _panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runlog.svg');
    _panel.webview.html = renderWebviewHtml(_panel.webview, extensionUri, {
      title: _panel.title,
      script: 'runPage.js',
      styles: ['webview.css'],
    });
    this._register(
      _panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseRunPageMessage(raw);
        if (message) this.handle(message);
      }),
    );
  }

  get webview(): vscode.Webview {
    return this._panel.webview;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this._panel.dispose();
  }

  private handle(message: RunPageToHost): void {
    switch (message.type) {
      case 'ready':
        this.postSnapshot();
        break;
    }
  }

  private postSnapshot(): void {
    const store = this._stores.store;
    const run = store?.getRun(this.key);
    if (!store || !run) {
      this.post({ type: 'runDeleted', key: this.key });
      return;
    }
    const series = run.metrics.map((m) => store.getHistory(this.key, m.key, { buckets: CHART_BUCKETS }));
    this.post({ type: 'snapshot', run, series });
  }

  private post(message: HostToRunPage): void {
    void this._panel.webview.postMessage(message);
  }
}
