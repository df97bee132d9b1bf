// The sweep page: one webview per sweep with a parallel-coordinates chart, the parameters'
// importance and the trials best first. Messages: src/common/sweepPageProtocol.ts.

import * as vscode from 'vscode';
import { assertNever } from '../../common/guards';
import { parseSweepPageMessage, parseSweepPageState, SWEEP_PAGE_VIEW_TYPE, type HostToSweepPage, type SweepPageToHost, type SweepView } from '../../common/sweepPageProtocol';
import { flattenParams, paramImportance, sweepRows } from '../../core/sweeps/sweepAnalysis';
import type { SweepInfo } from '../../core/sweeps/sweepModel';
import { WebviewPage, WebviewPageManager } from '../webview/WebviewPage';
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

export class SweepPagePanel extends WebviewPage<SweepPageToHost, HostToSweepPage> {
  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly sweeps: SweepService,
    readonly sweepId: string,
  ) {
    super(panel, extensionUri, { script: 'sweepPage.js', styles: ['webview.css', 'sweepPage.css'], parse: parseSweepPageMessage });
    this._register(sweeps.onDidChange(() => this.postSweep()));
  }

  handle(message: SweepPageToHost): void {
    switch (message.type) {
      case 'ready':
        this.postSweep();
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

  private postSweep(): void {
    if (!this.isReady) return;
    const sweep = this.sweeps.get(this.sweepId);
    this.post(sweep ? { type: 'snapshot', sweep: toSweepView(sweep) } : { type: 'error', message: `Sweep ${this.sweepId} is not in the store ${this.sweeps.stores.dir}.` });
  }
}

/** Owns the sweep pages: one per sweep, restored after a reload. */
export class SweepPageManager extends WebviewPageManager<string, SweepPagePanel> {
  constructor(extensionUri: vscode.Uri, private readonly sweeps: SweepService) {
    super(extensionUri, SWEEP_PAGE_VIEW_TYPE);
  }

  show(id: string): SweepPagePanel {
    return this.open(id, sweepTitle(this.sweeps, id), (page) => page.panel.reveal(), undefined);
  }

  protected idOf(state: unknown): string | undefined {
    return parseSweepPageState(state)?.sweepId;
  }

  protected create(panel: vscode.WebviewPanel, id: string): SweepPagePanel {
    panel.title = sweepTitle(this.sweeps, id);
    return new SweepPagePanel(panel, this.extensionUri, this.sweeps, id);
  }
}

function sweepTitle(sweeps: SweepService, id: string): string {
  return `Sweep: ${sweeps.get(id)?.name ?? id}`;
}
