import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { plainText } from '../util/plainText';
import type { ComparePageManager } from './ComparePageManager';
import { compareTarget, initialSelection, type CompareTarget } from './compareTarget';

export function registerCompareRunsCommand(pages: ComparePageManager, stores: StoreService): vscode.Disposable {
  return vscode.commands.registerCommand('runlog.compareRuns', async (...args: unknown[]) => {
    const target = compareTarget(args) ?? (await pickProject(stores));
    if (!target) return;
    const max = vscode.workspace.getConfiguration('runlog').get<number>('compareRunCount', 10);
    const newest = target.runs.length === 1 ? (stores.store?.listRuns(target.project, { sort: 'start', descending: true, limit: max }) ?? []).map((r) => r.key) : [];
    pages.show(target.project, initialSelection(target, newest, max));
  });
}

async function pickProject(stores: StoreService): Promise<CompareTarget | undefined> {
  const store = stores.store;
  if (!store) {
    void vscode.window.showInformationMessage(plainText(`No Runlog store yet at ${stores.dir}. Start a run first.`));
    return undefined;
  }
  const projects = store.listProjects();
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('No projects to compare yet. Start a run first.');
    return undefined;
  }
  if (projects.length === 1) return { project: projects[0]!.name, runs: [] };
  const picked = await vscode.window.showQuickPick(
    projects.map((p) => ({ label: p.name, description: `${p.runCount} run${p.runCount === 1 ? '' : 's'}${p.runningCount ? ` · ${p.runningCount} running` : ''}` })),
    { placeHolder: 'Compare the runs of which project?' },
  );
  return picked ? { project: picked.label, runs: [] } : undefined;
}
