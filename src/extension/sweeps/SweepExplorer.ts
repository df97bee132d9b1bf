// The Sweeps view beside the runs explorer: sweep → its trials' runs, progress k/N, the best run
// marked. Its own view, so the runs tree (src/extension/explorer) stays one owner's; they meet
// only in the commands (a trial row opens its run page).

import * as vscode from 'vscode';
import type { RunState } from '../../core/model';
import type { SweepInfo, SweepTrial } from '../../core/sweeps/sweepModel';
import { Disposable } from '../util/dispose';
import type { SweepService } from './SweepService';

export const SWEEP_VIEW_ID = 'runlog.sweeps';

export interface SweepNode {
  readonly kind: 'sweep';
  readonly sweep: SweepInfo;
}
export interface SweepTrialNode {
  readonly kind: 'trial';
  readonly sweep: SweepInfo;
  readonly trial: SweepTrial;
}
export type SweepTreeNode = SweepNode | SweepTrialNode;

const STATE_ICONS: Record<RunState, [string, string]> = {
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
  crashed: ['warning', 'charts.orange'],
  killed: ['circle-slash', 'charts.yellow'],
};

export function formatMetricValue(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}

/** "bayes · 7/20 · running" */
export function describeSweep(s: SweepInfo): string {
  const ended = s.trials.length - s.counts.running;
  return `${s.method} · ${ended}/${s.total ?? '∞'} · ${s.state}${s.counts.running ? ` (${s.counts.running} running)` : ''}`;
}

export class SweepExplorer extends Disposable implements vscode.TreeDataProvider<SweepTreeNode> {
  readonly view: vscode.TreeView<SweepTreeNode>;
  private _nodes = new Map<string, SweepNode>();
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly sweeps: SweepService) {
    super();
    this.view = this._register(vscode.window.createTreeView(SWEEP_VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this._register(sweeps.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
  }

  getChildren(node?: SweepTreeNode): SweepTreeNode[] {
    if (!node) {
      this._nodes = new Map(this.sweeps.sweeps.map((sweep) => [sweep.id, { kind: 'sweep', sweep }]));
      return [...this._nodes.values()];
    }
    if (node.kind === 'trial') return [];
    return node.sweep.trials.map((trial) => ({ kind: 'trial', sweep: node.sweep, trial }));
  }

  getParent(node: SweepTreeNode): SweepTreeNode | undefined {
    return node.kind === 'trial' ? this._nodes.get(node.sweep.id) : undefined;
  }

  getTreeItem(node: SweepTreeNode): vscode.TreeItem {
    if (node.kind === 'sweep') {
      const s = node.sweep;
      const item = new vscode.TreeItem(s.name ?? `sweep ${s.id}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `sweep:${s.id}`;
      item.description = describeSweep(s);
      item.contextValue = `runlog.sweep.${s.state}`;
      item.iconPath = new vscode.ThemeIcon(s.state === 'done' ? 'check-all' : s.state === 'paused' ? 'debug-pause' : s.state === 'stopped' ? 'debug-stop' : 'beaker');
      const best = s.best && s.metric ? `best ${s.metric.name} = ${formatMetricValue(s.best.metric!)} (run ${s.best.runId})` : 'no best run yet';
      item.tooltip = `Sweep ${s.id} in project ${s.project}\n${describeSweep(s)}\n${best}${s.metricMissing ? `\nNo ended trial logged the metric "${s.metric!.name}".` : ''}`;
      item.command = { command: 'runlog.openSweep', title: 'Open Sweep', arguments: [s.id] };
      item.accessibilityInformation = { label: `${item.label as string}, ${item.description}, ${best}` };
      return item;
    }
    const { sweep, trial } = node;
    const best = sweep.best?.trial === trial.trial;
    const item = new vscode.TreeItem(`${best ? '★ ' : ''}trial ${trial.trial} · ${trial.runId}`, vscode.TreeItemCollapsibleState.None);
    item.id = `sweep:${sweep.id}/${trial.trial}`;
    const metric = trial.metric !== null && sweep.metric ? `${sweep.metric.name}=${formatMetricValue(trial.metric)}` : trial.state;
    item.description = `${metric}${best ? ' · best' : ''}`;
    const [iconId, color] = STATE_ICONS[trial.state];
    item.iconPath = best ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon(iconId, new vscode.ThemeColor(color));
    item.tooltip = `${trial.state}${trial.reason ? `: ${trial.reason}` : trial.note ? `: ${trial.note}` : ''}\n${JSON.stringify(trial.params)}`;
    item.contextValue = 'runlog.sweepTrial';
    item.accessibilityInformation = { label: `${item.label as string}, ${trial.state}, ${item.description}` };
    item.command = { command: 'runlog.openRun', title: 'Open Run', arguments: [`${trial.project}/${trial.runId}`] };
    return item;
  }

  /** Shows the sweep's node (after Start Sweep). */
  async reveal(id: string): Promise<void> {
    this.getChildren();
    const node = this._nodes.get(id);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }
}
