// The explorer's title actions: Filter (the core's query language), Clear Filter, Sort, Refresh
// and Rebuild Index.

import * as vscode from 'vscode';
import type { SortKey } from '../../core/model';
import type { StoreService } from '../store/StoreService';
import { DEFAULT_SORT, OPEN_ROW_COMMAND, type RunExplorer, type RunSort } from './RunExplorer';

const FILTER_HELP = 'e.g. state:running  tag:baseline  config.lr>0.01  loss<0.3  name~haze  group:sweep-1';

interface SortItem extends vscode.QuickPickItem {
  readonly sort?: RunSort;
  readonly metric?: string;
}

function isSort(v: unknown): v is RunSort {
  return typeof v === 'object' && v !== null && typeof (v as RunSort).key === 'string' && typeof (v as RunSort).descending === 'boolean';
}

export function registerExplorerCommands(explorer: RunExplorer, stores: StoreService): vscode.Disposable {
  const disposables = [
    vscode.commands.registerCommand('runlog.filterRuns', async (arg?: unknown) => {
      let filter = typeof arg === 'string' ? arg : undefined;
      if (filter === undefined) {
        filter = await vscode.window.showInputBox({
          title: 'Filter Runs',
          value: explorer.filter,
          prompt: FILTER_HELP,
          placeHolder: 'state:running tag:baseline loss<0.3',
          validateInput: (v) => explorer.filterProblem(v),
        });
        if (filter === undefined) return;
      }
      const problem = explorer.filterProblem(filter);
      if (problem) {
        void vscode.window.showErrorMessage(`The filter "${filter}" is not valid: ${problem}`);
        return;
      }
      explorer.setFilter(filter);
    }),
    vscode.commands.registerCommand('runlog.clearFilter', () => explorer.setFilter('')),
    // A clicked row: VS Code runs a row's command only when exactly that row is selected.
    vscode.commands.registerCommand(OPEN_ROW_COMMAND, async () => {
      const [node] = explorer.view.selection;
      if (node?.kind === 'run') await vscode.commands.executeCommand('runlog.openRun', node.key);
      else if (node?.kind === 'more') explorer.showMore(node.project);
    }),
    vscode.commands.registerCommand('runlog.showMoreRuns', (project?: unknown) => {
      if (typeof project === 'string') explorer.showMore(project);
    }),
    vscode.commands.registerCommand('runlog.sortRuns', async (arg?: unknown) => {
      if (isSort(arg)) {
        explorer.setSort(arg);
        return;
      }
      const mark = (s: RunSort): string => (explorer.sort.key === s.key && explorer.sort.descending === s.descending ? '$(check) ' : '');
      const fixed: [string, RunSort][] = [
        ['Start time, newest first', DEFAULT_SORT],
        ['Start time, oldest first', { key: 'start', descending: false }],
        ['Name, A to Z', { key: 'name', descending: false }],
        ['Duration, longest first', { key: 'duration', descending: true }],
        ['State', { key: 'state', descending: false }],
      ];
      const items: SortItem[] = fixed.map(([label, sort]) => ({ label: mark(sort) + label, sort }));
      const metrics = explorer.summaryKeys();
      if (metrics.length) {
        items.push({ label: 'Summary metric', kind: vscode.QuickPickItemKind.Separator });
        for (const metric of metrics) {
          const active = explorer.sort.key === `summary.${metric}`;
          items.push({ label: `${active ? '$(check) ' : ''}${metric}`, description: 'summary metric', metric });
        }
      }
      const picked = await vscode.window.showQuickPick(items, { title: 'Sort Runs', placeHolder: 'Sort runs by' });
      if (!picked) return;
      if (picked.sort) {
        explorer.setSort(picked.sort);
        return;
      }
      if (!picked.metric) return;
      const direction = await vscode.window.showQuickPick(
        [
          { label: 'Lowest first', descending: false },
          { label: 'Highest first', descending: true },
        ],
        { title: `Sort by ${picked.metric}` },
      );
      if (direction) explorer.setSort({ key: `summary.${picked.metric}` as SortKey, descending: direction.descending });
    }),
    vscode.commands.registerCommand('runlog.refresh', () => {
      stores.store?.sync();
      explorer.refresh();
    }),
    vscode.commands.registerCommand('runlog.reindex', async () => {
      const store = stores.store;
      if (!store) {
        void vscode.window.showInformationMessage(`There is no Runlog store at ${stores.dir} yet.`);
        return;
      }
      // A slice of runs at a time: the editor stays responsive, the count shows, Cancel stops it
      // (the runs not reached keep their previous index rows).
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Rebuilding the Runlog index', cancellable: true },
        async (progress, token) => {
          let shown = 0;
          return store.reindex('rebuild requested from the explorer', {
            cancelled: () => token.isCancellationRequested,
            onProgress: (done, total) => {
              const percent = total === 0 ? 100 : (100 * done) / total;
              progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`, increment: percent - shown });
              shown = percent;
            },
          });
        },
      );
      if (result.cancelled) void vscode.window.showInformationMessage(`Rebuilding the Runlog index was cancelled after ${result.done} of ${result.total} runs; the others keep their previous index rows.`);
      explorer.refresh();
    }),
  ];
  return vscode.Disposable.from(...disposables);
}
