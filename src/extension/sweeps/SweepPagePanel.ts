// The sweep page: one webview per sweep with a parallel-coordinates chart, the parameters'
// importance and the trials best first. Messages: src/common/sweepPageProtocol.ts.

import * as vscode from 'vscode';
import { assertNever } from '../../common/guards';
import { parseSweepPageMessage, SWEEP_PAGE_VIEW_TYPE, type HostToSweepPage, type SweepPageToHost, type SweepView } from '../../common/sweepPageProtocol';
import { flattenParams, paramImportance, sweepRows } from '../../core/sweeps/sweepAnalysis';
import type { SweepInfo } from '../../core/sweeps/sweepModel';
import { Disposable } from '../util/dispose';
import { renderWebviewHtml, webviewOptions } from '../webview/html';
import type { SweepService } from './SweepService';

export function toSweepView(s: SweepInfo): SweepView {
  const rows = sweepRows(s);
  const params = Object.keys(flattenParams(paramTemplate(s.config.parameters)));
  return {
    id: s.id,
    name: s.name,
    project: s.project,
    method: s.method,
    metric: s.metric,
    state: s.state,
    total: s.total,
    ended: s.trials.length - s.counts.running,
    running: s.counts.running,
    metricMissing: s.metricMissing,
    rows,
    params,
    importance: paramImportance(rows),
  };
}

/** The config's parameter tree with leaves as null, for the axis order. */
function paramTemplate(params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof params !== 'object' || params === null) return out;
  for (const [k, spec] of Object.entries(params as Record<string, unknown>)) {
    const nested = (spec as { parameters?: unknown } | null)?.parameters;
    out[k] = nested && typeof nested === 'object' ? paramTemplate(nested) : null;
  }
  return out;
}

export class SweepPagePanel extends Disposable {
  private _ready = false;
  private readonly _onDidPost = this._register(new vscode.EventEmitter<HostToSweepPage>());
  readonly onDidPost = this._onDidPost.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly sweeps: SweepService,
    readonly sweepId: string,
  ) {
    super();
    this._register(panel.onDidDispose(() => this.dispose()));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runlog.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, { title: panel.title, script: 'sweepPage.js', styles: ['webview.css', 'sweepPage.css'] });
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseSweepPageMessage(raw);
      if (message) this.handle(message);
    }));
    this._register(sweeps.onDidChange(() => this.post()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }

  private handle(message: SweepPageToHost): void {
    switch (message.type) {
      case 'ready':
        this._ready = true;
        this.post();
        return;
      case 'openRun':
        void vscode.commands.executeCommand('runlog.openRun', `${message.project}/${message.runId}`);
        return;
      case 'control':
        this.sweeps.setControl(this.sweepId, message.state);
        return;
      default:
        assertNever(message);
    }
  }

  private post(): void {
    if (!this._ready || this.isDisposed) return;
    const sweep = this.sweeps.get(this.sweepId);
    const message: HostToSweepPage = sweep ? { type: 'snapshot', sweep: toSweepView(sweep) } : { type: 'error', message: `Sweep ${this.sweepId} is not in the store ${this.sweeps.stores.dir}.` };
    void this.panel.webview.postMessage(message);
    this._onDidPost.fire(message);
  }
}

export class SweepPageManager extends Disposable {
  private readonly _panels = new Map<string, SweepPagePanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly sweeps: SweepService) {
    super();
    this._register({ dispose: () => [...this._panels.values()].forEach((p) => p.dispose()) });
  }

  get(id: string): SweepPagePanel | undefined {
    return this._panels.get(id);
  }

  show(id: string): SweepPagePanel {
    const existing = this._panels.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const sweep = this.sweeps.get(id);
    const panel = vscode.window.createWebviewPanel(SWEEP_PAGE_VIEW_TYPE, `Sweep: ${sweep?.name ?? id}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const page = new SweepPagePanel(panel, this.extensionUri, this.sweeps, id);
    this._panels.set(id, page);
    panel.onDidDispose(() => this._panels.get(id) === page && this._panels.delete(id));
    return page;
  }
}
