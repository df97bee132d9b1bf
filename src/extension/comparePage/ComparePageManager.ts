import type * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import { parseComparePageState } from '../../common/comparePageProtocol';
import { WebviewPageManager } from '../webview/WebviewPage';
import { COMPARE_PAGE_VIEW_TYPE, ComparePagePanel, type ComparePageServices } from './ComparePagePanel';

interface Opening {
  readonly select?: readonly RunKey[];
}

/** Owns the compare pages: one per project, restored after a reload. */
export class ComparePageManager extends WebviewPageManager<string, ComparePagePanel, Opening> {
  constructor(private readonly _services: ComparePageServices) {
    super(_services.extensionUri, COMPARE_PAGE_VIEW_TYPE);
    this._register(_services.stores.onDidChange((changes) => this.panels.forEach((p) => p.onStoreChanges(changes))));
    this._register(_services.stores.onDidChangeStore(() => this.panels.forEach((p) => p.reload())));
  }

  show(project: string, select?: readonly RunKey[]): ComparePagePanel {
    return this.open(project, compareTitle(project), (page) => page.reveal(select), { select });
  }

  protected idOf(state: unknown): string | undefined {
    return parseComparePageState(state)?.project;
  }

  protected create(panel: vscode.WebviewPanel, project: string, opening: Opening | undefined): ComparePagePanel {
    if (!opening) panel.title = compareTitle(project);
    return new ComparePagePanel(panel, this._services, project, opening?.select);
  }
}

export function compareTitle(project: string): string {
  return `Compare: ${project}`;
}
