// Quick picks over the store's runs and projects that stay true while the store is still being
// indexed: a command run in the first seconds after the window opens (the open pass reads run
// folders in the background) sees the runs appear as they are indexed, under a busy bar, instead
// of an empty list that never fills or a "no runs" message that is false.

import * as vscode from 'vscode';
import type { ProjectInfo, RunInfo, RunKey } from '../../core/model';
import { neutralizeBidi } from '../../common/displayText';
import { plainText } from '../util/plainText';
import type { StoreService } from './StoreService';

/** Redraws at most this often while runs stream in. */
const REFRESH_MS = 200;

interface LiveItem extends vscode.QuickPickItem {
  readonly id: string;
}

interface LivePickOptions<T extends LiveItem> {
  readonly title?: string;
  readonly placeHolder: string;
  readonly many?: boolean;
  readonly matchOnDescription?: boolean;
  /** The items as the store holds them now. */
  readonly items: () => T[];
  /** Said (and nothing shown) when there is nothing to pick once the store is fully indexed. */
  readonly emptyMessage: string;
}

/** Whether the store's open pass is still reading run folders. */
function indexing(stores: StoreService): boolean {
  return stores.store !== undefined && stores.openProgress !== undefined;
}

/**
 * Shows a quick pick whose items follow the store: re-read on every store change and when the
 * open pass ends, keeping what the user has selected and where the cursor is.
 */
async function livePick<T extends LiveItem>(stores: StoreService, options: LivePickOptions<T>): Promise<T[] | undefined> {
  let items = options.items();
  if (items.length === 0 && !indexing(stores)) {
    void vscode.window.showInformationMessage(plainText(options.emptyMessage));
    return undefined;
  }
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.placeholder = options.placeHolder;
  pick.canSelectMany = options.many ?? false;
  pick.matchOnDescription = options.matchOnDescription ?? true;
  pick.items = items;
  pick.busy = indexing(stores);

  let timer: NodeJS.Timeout | undefined;
  const refresh = (): void => {
    timer = undefined;
    const selected = new Set(pick.selectedItems.map((i) => i.id));
    const active = new Set(pick.activeItems.map((i) => i.id));
    items = options.items();
    pick.items = items;
    if (selected.size) pick.selectedItems = items.filter((i) => selected.has(i.id));
    if (active.size) pick.activeItems = items.filter((i) => active.has(i.id));
    pick.busy = indexing(stores);
  };
  const schedule = (): void => {
    timer ??= setTimeout(refresh, REFRESH_MS);
  };
  const subscriptions = [stores.onDidChange(schedule), stores.onDidChangeStore(schedule), stores.onDidChangeOpenProgress((p) => (p ? schedule() : refresh()))];

  try {
    return await new Promise<T[] | undefined>((resolve) => {
      subscriptions.push(
        pick.onDidAccept(() => {
          const chosen = pick.canSelectMany ? [...pick.selectedItems] : [...pick.activeItems].slice(0, 1);
          if (chosen.length === 0) return;
          resolve(chosen);
          pick.hide();
        }),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.show();
    });
  } finally {
    clearTimeout(timer);
    for (const s of subscriptions) s.dispose();
    pick.dispose();
  }
}

interface RunItem extends LiveItem {
  readonly key: RunKey;
}

function runItem(r: RunInfo): RunItem {
  return { id: r.key, key: r.key, label: neutralizeBidi(r.name), description: `${r.state} · ${r.path}` };
}

/** Asks for one run (or several, `many`) of the store, newest first; `only` narrows the list. */
export async function pickRuns(
  stores: StoreService,
  placeHolder: string,
  options: { readonly many?: boolean; readonly only?: (run: RunInfo) => boolean; readonly limit?: number } = {},
): Promise<RunKey[]> {
  const picked = await livePick(stores, {
    placeHolder,
    many: options.many,
    emptyMessage: stores.store ? 'There is no run to choose from.' : `No Runlog store yet at ${stores.dir}. Start a run first.`,
    items: () =>
      (stores.store?.listRuns(undefined, { sort: 'start', descending: true, limit: options.limit ?? 1000 }) ?? [])
        .filter(options.only ?? (() => true))
        .map(runItem),
  });
  return picked?.map((p) => p.key) ?? [];
}

interface ProjectItem extends LiveItem {
  readonly project: string;
}

function projectItem(p: ProjectInfo): ProjectItem {
  const running = p.runningCount ? ` · ${p.runningCount} running` : '';
  return { id: p.name, project: p.name, label: p.name, description: `${p.runCount} run${p.runCount === 1 ? '' : 's'}${running}` };
}

/**
 * Asks for a project of the store. With one project and the store fully indexed, that project is
 * the answer without asking.
 */
export async function pickProject(stores: StoreService, placeHolder: string): Promise<string | undefined> {
  const projects = stores.store?.listProjects() ?? [];
  if (projects.length === 1 && !indexing(stores)) return projects[0]!.name;
  const picked = await livePick(stores, {
    placeHolder,
    emptyMessage: stores.store ? 'There is no project yet. Start a run first.' : `No Runlog store yet at ${stores.dir}. Start a run first.`,
    matchOnDescription: false,
    items: () => (stores.store?.listProjects() ?? []).map(projectItem),
  });
  return picked?.[0]?.project;
}
