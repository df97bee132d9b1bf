import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { pickProject } from '../store/storePicks';
import type { ComparePageManager } from './ComparePageManager';
import { compareTarget, initialSelection, type CompareTarget } from './compareTarget';

export function registerCompareRunsCommand(pages: ComparePageManager, stores: StoreService): vscode.Disposable {
  return vscode.commands.registerCommand('runlog.compareRuns', async (...args: unknown[]) => {
    const target = compareTarget(args) ?? (await pickProjectToCompare(stores));
    if (!target) return;
    const max = vscode.workspace.getConfiguration('runlog').get<number>('compareRunCount', 10);
    const newest = target.runs.length === 1 ? (stores.store?.listRuns(target.project, { sort: 'start', descending: true, limit: max }) ?? []).map((r) => r.key) : [];
    pages.show(target.project, initialSelection(target, newest, max));
  });
}

async function pickProjectToCompare(stores: StoreService): Promise<CompareTarget | undefined> {
  const project = await pickProject(stores, 'Compare the runs of which project?');
  return project === undefined ? undefined : { project, runs: [] };
}
