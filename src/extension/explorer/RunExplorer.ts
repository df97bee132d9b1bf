// The activity-bar run explorer: projects → (groups →) runs, from the store. Store changes come
// in bursts while a run logs; they are folded into at most one refresh per REFRESH_MS, and a
// refresh tells the view only which rows changed, so rows keep their selection and expansion
// and nothing flickers. getChildren() reads the model; only refresh() reads the store.

import * as vscode from 'vscode';
import { isRunDataChange, type RunInfo, type RunKey, type RunlogStore, type SortKey, type StoreChange } from '../../core/model';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { describeGroup, describeProject, describeRun, type ItemView } from './runItem';
import { RunTreeModel, type ProjectRuns, type RunNode, type RunTreeNode, type TreeDelta } from './runTreeModel';

const VIEW_ID = 'runlog.runs';
/** Runs read per project at first, and added by each "Show more". */
export const RUN_PAGE = 100;
const REFRESH_MS = 250;
const TICK_MS = 1000;
const FILTER_CONTEXT = 'runlog.filterActive';
/** Sorts that a run's new history cannot reorder (a summary value or the duration could). */
const ROW_STABLE_SORTS: ReadonlySet<string> = new Set(['start', 'name', 'state']);
/** What a click (or Enter) on a run row or a "Show more" row runs: see getTreeItem. */
export const OPEN_ROW_COMMAND = 'runlog.openExplorerRow';

export interface RunSort {
  readonly key: SortKey;
  readonly descending: boolean;
}

export const DEFAULT_SORT: RunSort = { key: 'start', descending: true };

export class RunExplorer extends Disposable implements vscode.TreeDataProvider<RunTreeNode> {
  readonly view: vscode.TreeView<RunTreeNode>;
  private readonly model = new RunTreeModel();
  private loaded = false;
  private dirty = false;
  private filterText = '';
  private sortOrder: RunSort = DEFAULT_SORT;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private ticker: NodeJS.Timeout | undefined;
  /** How many runs of each project are shown (RUN_PAGE until "Show more"). */
  private readonly shown = new Map<string, number>();
  /**
   * What changed since the last refresh: the runs whose history or media alone changed (only
   * their rows are read again, when no filter or sort could move them), or `all`.
   */
  private pending: Set<RunKey> | 'all' = new Set();
  /** How many refreshes read every project, and how many read only changed rows (for the tests and the bench). */
  readonly refreshes = { full: 0, rows: 0 };

  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<RunTreeNode | RunTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly stores: StoreService) {
    super();
    this.view = this._register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true }));
    this._register(stores.onDidChange((changes) => this.onChanges(changes)));
    this._register(stores.onDidChangeStore(() => this.scheduleRefresh('all')));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('runlog.keyMetric')) this.scheduleRefresh('all');
      }),
    );
    this._register(
      this.view.onDidChangeVisibility(({ visible }) => {
        if (visible && this.dirty) this.scheduleRefresh();
        this.updateTicker();
      }),
    );
    this._register({
      dispose: () => {
        clearTimeout(this.refreshTimer);
        clearInterval(this.ticker);
      },
    });
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT, false);
  }

  // ---- TreeDataProvider -------------------------------------------------------------------

  getChildren(node?: RunTreeNode): RunTreeNode[] {
    if (!this.loaded) this.refresh();
    return this.model.getChildren(node);
  }

  getParent(node: RunTreeNode): RunTreeNode | undefined {
    return this.model.getParent(node);
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    const view = this.viewOf(node);
    const leaf = node.kind === 'run' || node.kind === 'more';
    const item = new vscode.TreeItem(view.label, leaf ? vscode.TreeItemCollapsibleState.None : this.collapsedState(node));
    item.id = node.id;
    item.description = view.description;
    item.contextValue = view.contextValue;
    item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
    // A row's click runs a command WITHOUT arguments that acts on the row VS Code selected for
    // the click. VS Code keeps a command with arguments under a temporary id that it drops when
    // the row is refreshed, so a click on a live run's row (refreshed several times a second)
    // could land on a dropped id and do nothing ("Actual command not found", microsoft/vscode#173233).
    if (node.kind === 'run') {
      item.command = { command: OPEN_ROW_COMMAND, title: 'Open Run' };
      item.accessibilityInformation = { label: `${view.label}, ${node.run.state}, ${view.description}` };
    } else if (node.kind === 'more') {
      item.command = { command: OPEN_ROW_COMMAND, title: 'Show More Runs' };
    }
    return item;
  }

  /** The tooltip is built only when the pointer rests on a row (a page of 100 rows builds none). */
  resolveTreeItem(item: vscode.TreeItem, node: RunTreeNode): vscode.TreeItem {
    item.tooltip = tooltip(this.viewOf(node));
    return item;
  }

  private collapsedState(node: RunTreeNode): vscode.TreeItemCollapsibleState {
    if (node.kind === 'project') return vscode.TreeItemCollapsibleState.Expanded;
    if (node.kind === 'group' && node.runningCount > 0) return vscode.TreeItemCollapsibleState.Expanded;
    return vscode.TreeItemCollapsibleState.Collapsed;
  }

  private viewOf(node: RunTreeNode): ItemView {
    switch (node.kind) {
      case 'run':
        return describeRun(node.run, { keyMetric: this.keyMetric(), fetchedAt: node.fetchedAt, now: Date.now() / 1000 });
      case 'group':
        return describeGroup(node.project, node.group, node.runCount, node.runningCount);
      case 'more':
        return { label: 'Show more', description: `${node.remaining.toLocaleString('en')} more run${node.remaining === 1 ? '' : 's'}`, contextValue: 'runlog.more', icon: { id: 'ellipsis', color: undefined }, tooltip: [] };
      case 'project': {
        const v = describeProject(node.name, node.runCount, node.runningCount);
        if (!this.filterText || node.totalRuns === node.runCount) return v;
        const running = node.runningCount ? ` · ${node.runningCount} running` : '';
        return { ...v, description: `${node.runCount.toLocaleString('en')} of ${node.totalRuns.toLocaleString('en')} runs${running}` };
      }
    }
  }

  private keyMetric(): string {
    return vscode.workspace.getConfiguration('runlog').get<string>('keyMetric', '').trim();
  }

  private readonly fingerprint = (node: RunTreeNode): string => {
    const v = this.viewOf(node);
    return `${v.label}\u0000${v.description}\u0000${v.contextValue}\u0000${v.icon.id}\u0000${v.tooltip.map((r) => r.join('\u0001')).join('\u0002')}`;
  };

  // ---- Refreshing -------------------------------------------------------------------------

  private onChanges(changes: readonly StoreChange[]): void {
    let relevant = false;
    for (const change of changes) {
      if (!isRunDataChange(change)) continue;
      relevant = true;
      if (this.pending === 'all') break;
      if (change.kind === 'history' || change.kind === 'media') this.pending.add(change.run);
      else this.pending = 'all';
    }
    if (relevant) this.scheduleRefresh();
  }

  /** At most one refresh per REFRESH_MS, and none while the view is hidden (it catches up when shown). */
  scheduleRefresh(what?: 'all'): void {
    if (what === 'all') this.pending = 'all';
    if (!this.loaded) return; // nothing shown yet; the first getChildren() reads everything
    if (!this.view.visible) {
      this.dirty = true;
      return;
    }
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      const pending = this.pending;
      this.pending = new Set();
      if (pending === 'all' || !this.refreshRows(pending)) this.refresh();
    }, wait);
  }

  /**
   * Re-reads only the rows of runs whose history or media changed (a live run logging), when
   * nothing else changed and neither the filter nor the sort could move them; false when a whole
   * refresh is needed (a run's state changed, say).
   */
  private refreshRows(keys: ReadonlySet<RunKey>): boolean {
    const store = this.stores.store;
    if (!store || this.filterText !== '' || !ROW_STABLE_SORTS.has(this.sortOrder.key)) return false;
    const now = Date.now();
    const rows: [RunNode, RunInfo][] = [];
    for (const key of keys) {
      const node = this.model.findRun(key);
      if (!node) continue; // not shown: no row to redraw
      const info = store.runInfo(key);
      if (!info || info.state !== node.run.state) return false;
      rows.push([node, info]);
    }
    for (const [node, info] of rows) {
      node.run = info;
      node.fetchedAt = now / 1000;
    }
    this.lastRefresh = now;
    this.refreshes.rows++;
    this.fire(this.model.rerender(rows.map(([node]) => node), this.fingerprint));
    return true;
  }

  /** Reads the store into the model now and tells the view what changed. */
  refresh(): void {
    const first = !this.loaded;
    this.loaded = true;
    this.dirty = false;
    this.pending = new Set();
    this.refreshes.full++;
    this.lastRefresh = Date.now();
    const store = this.stores.store;
    let delta: TreeDelta;
    try {
      const projects = store ? this.readProjects(store) : [];
      delta = this.model.update(projects, Date.now() / 1000, this.fingerprint, this.filterText !== '');
      // The description is hidden while the view is alone in its container; the message is not.
      const slow = this.filterText && store ? store.filterNotSql(this.filterText) : [];
      const note = slow.length > 0 ? ` (not SQL, so every run it selects is read: ${slow.join('; ')})` : '';
      this.view.message = this.filterText ? (this.model.isEmpty ? `No run matches the filter: ${this.filterText}${note}` : `Filter: ${this.filterText}${note}`) : undefined;
    } catch (e) {
      this.view.message = `Runlog could not read its store: ${e instanceof Error ? e.message : String(e)}`;
      delta = this.model.update([], Date.now() / 1000, this.fingerprint, true);
    }
    if (!first) this.fire(delta);
    this.updateTicker();
  }

  /** Each project's first page of runs (newest first by default) and its counts, from SQL. */
  private readProjects(store: RunlogStore): ProjectRuns[] {
    const filter = this.filterText;
    return store
      .listProjects()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => {
        const limit = this.shown.get(p.name) ?? RUN_PAGE;
        const runs = store.listRuns(p.name, { sort: this.sortOrder.key, descending: this.sortOrder.descending, limit, ...(filter ? { filter } : {}) });
        // Group counts cover the whole project (the runs the filter selects), not only the page shown.
        const groups = runs.some((r) => r.group) ? store.groupCounts(p.name, filter || undefined) : [];
        if (!filter) return { name: p.name, runs, totalRuns: p.runCount, matching: p.runCount, running: p.runningCount, groups };
        const matching = runs.length < limit ? runs.length : store.count(p.name, filter);
        return { name: p.name, runs, totalRuns: p.runCount, matching, running: store.count(p.name, `${filter} state:running`), groups };
      });
  }

  /** Shows another page of a project's runs. */
  showMore(project: string): void {
    this.shown.set(project, (this.shown.get(project) ?? RUN_PAGE) + RUN_PAGE);
    this.refreshAll();
  }

  private fire(delta: TreeDelta): void {
    if (delta.kind === 'all') this._onDidChangeTreeData.fire(undefined);
    else if (delta.kind === 'nodes') this._onDidChangeTreeData.fire([...delta.nodes]);
  }

  /** While runs are live and the view is shown, their durations tick once a second. */
  private updateTicker(): void {
    const live = this.view.visible && this.model.runs().some((r) => r.run.state === 'running');
    if (live && !this.ticker) {
      this.ticker = setInterval(() => {
        this.fire(this.model.rerender(this.model.runs().filter((r) => r.run.state === 'running'), this.fingerprint));
      }, TICK_MS);
    } else if (!live && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  // ---- Filter and sort --------------------------------------------------------------------

  get filter(): string {
    return this.filterText;
  }

  get sort(): RunSort {
    return this.sortOrder;
  }

  /** Why `filter` is not a valid query, or undefined. */
  filterProblem(filter: string): string | undefined {
    const store = this.stores.store;
    if (!store || !filter.trim()) return undefined;
    try {
      store.listRuns(undefined, { filter, limit: 1 });
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  setFilter(filter: string): void {
    this.filterText = filter.trim();
    this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT, this.filterText !== '');
    this.refreshAll();
  }

  setSort(sort: RunSort): void {
    this.sortOrder = sort;
    this.refreshAll();
  }

  private refreshAll(): void {
    if (!this.loaded) return;
    this.refresh();
  }

  /** Numeric summary keys of the runs shown, for the sort picker. */
  summaryKeys(): string[] {
    const keys = new Set<string>();
    for (const { run } of this.model.runs()) {
      for (const [k, v] of Object.entries(run.summary)) if (typeof v === 'number' && !k.startsWith('_')) keys.add(k);
    }
    return [...keys].sort();
  }

  /** The run rows shown, in tree order (tests and pickers). */
  runNodes(): RunNode[] {
    return this.model.runs();
  }

  findRun(key: RunKey): RunNode | undefined {
    return this.model.findRun(key);
  }
}

function tooltip(view: ItemView): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  for (const [label, value] of view.tooltip) {
    md.appendMarkdown(`**${label}:** `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  }
  return md;
}
