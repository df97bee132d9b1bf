import * as vscode from 'vscode';
import type { RunKey } from '../../core/model';
import { parseComparePageState } from '../../common/comparePageProtocol';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { webviewOptions } from '../webview/html';
import { COMPARE_PAGE_VIEW_TYPE, ComparePagePanel, type ComparePageServices } from './ComparePagePanel';

/** Owns the compare pages: one per project, restored after a reload. */
export class ComparePageManager extends Disposable {
  private readonly _panels = new Map<string, ComparePagePanel>();
  private readonly _onDidOpen = this._register(new vscode.EventEmitter<ComparePagePanel>());
  readonly onDidOpen = this._onDidOpen.event;

  constructor(private readonly _services: ComparePageServices) {
    super();
    const stores: StoreService = _services.stores;
    this._register(stores.onDidChange((changes) => this._panels.forEach((p) => p.onStoreChanges(changes))));
    this._register(stores.onDidChangeStore(() => this._panels.forEach((p) => p.reload())));
    this._register(
      vscode.window.registerWebviewPanelSerializer(COMPARE_PAGE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
    this._register({ dispose: () => [...this._panels.values()].forEach((p) => p.dispose()) });
  }

  get panels(): readonly ComparePagePanel[] {
    return [...this._panels.values()];
  }

  get(project: string): ComparePagePanel | undefined {
    return this._panels.get(project);
  }

  show(project: string, select?: readonly RunKey[]): ComparePagePanel {
    const existing = this._panels.get(project);
    if (existing) {
      existing.reveal(select);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      COMPARE_PAGE_VIEW_TYPE,
      compareTitle(project),
      vscode.ViewColumn.Active,
      webviewOptions(this._services.extensionUri),
    );
    return this.adopt(panel, project, select);
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseComparePageState(state);
    if (!saved || this._panels.has(saved.project)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this._services.extensionUri);
    panel.title = compareTitle(saved.project);
    this.adopt(panel, saved.project);
  }

  private adopt(panel: vscode.WebviewPanel, project: string, select?: readonly RunKey[]): ComparePagePanel {
    const page = new ComparePagePanel(panel, this._services, project, select);
    this._panels.set(project, page);
    page.panel.onDidDispose(() => {
      if (this._panels.get(project) === page) this._panels.delete(project);
    });
    this._onDidOpen.fire(page);
    return page;
  }
}

export function compareTitle(project: string): string {
  return `Compare: ${project}`;
}
