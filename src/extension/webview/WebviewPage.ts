// The one base of Runlog's webview pages (run, compare, sweep), after DVC's
// extension/src/webview: the panel's lifecycle, its CSP+nonce HTML, validated messages from the
// page, the ready handshake, posting; and the manager that keeps one page per id and brings
// pages back after Reload Window from the state the page saved.

import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { plainText } from '../util/plainText';
import { renderWebviewHtml, webviewOptions, webviewResourceRoots } from './html';

export interface WebviewPageOptions<ToHost extends { readonly type: string }, ToPage> {
  /** Bundle under dist/webview, e.g. `runPage.js`. */
  readonly script: string;
  /** Stylesheets under media/. */
  readonly styles: readonly string[];
  /** Narrows an untrusted message from the page; undefined drops it. */
  readonly parse: (raw: unknown) => ToHost | undefined;
  /** How a message travels (e.g. packed number arrays); as is by default. */
  readonly pack?: (message: ToPage) => unknown;
  /** Folders beyond the bundles the page may load files from (a run's folder for its media). */
  readonly roots?: readonly vscode.Uri[];
}

/** One webview panel. The page says `ready` before the host posts to it. */
export abstract class WebviewPage<ToHost extends { readonly type: string }, ToPage> extends Disposable {
  private _ready = false;
  private readonly _onDidPost = this._register(new vscode.EventEmitter<ToPage>());
  /** Every message posted to the page (for tests and diagnostics). */
  readonly onDidPost = this._onDidPost.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly extensionUri: vscode.Uri,
    private readonly _options: WebviewPageOptions<ToHost, ToPage>,
  ) {
    super();
    this._register(panel.onDidDispose(() => this.dispose()));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runlog.svg');
    if (_options.roots?.length) panel.webview.options = { ...webviewOptions(extensionUri), localResourceRoots: [...webviewResourceRoots(extensionUri), ..._options.roots] };
    this._register(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = _options.parse(raw);
        if (!message) return;
        if (message.type === 'ready') this._ready = true;
        try {
          void Promise.resolve(this.handle(message)).catch((e: unknown) => this.showError(e));
        } catch (e) {
          this.showError(e);
        }
      }),
    );
    this.render();
  }

  /** The page has said `ready` (it listens for messages). */
  get isReady(): boolean {
    return this._ready;
  }

  /** A validated message from the page (public so integration tests can drive the host). */
  abstract handle(message: ToHost): void | Promise<void>;

  protected render(): void {
    this.panel.webview.html = renderWebviewHtml(this.panel.webview, this.extensionUri, { title: this.panel.title, script: this._options.script, styles: this._options.styles });
  }

  protected post(message: ToPage): void {
    if (this.isDisposed) return;
    this._onDidPost.fire(message);
    void this.panel.webview.postMessage(this._options.pack ? this._options.pack(message) : message);
  }

  protected showError(error: unknown): void {
    void vscode.window.showErrorMessage(plainText(`Runlog: ${error instanceof Error ? error.message : String(error)}`));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }
}

/** What a manager needs of its pages. */
export interface ManagedPage extends vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
}

/**
 * One page per id: shown, revealed, and restored after a reload from the page's saved state.
 * `Opening` is what a caller hands to a new page (undefined when the page is restored).
 */
export abstract class WebviewPageManager<Id, Page extends ManagedPage, Opening = undefined> extends Disposable {
  private readonly _pages = new Map<Id, Page>();
  private readonly _onDidOpen = this._register(new vscode.EventEmitter<Page>());
  /** A page was opened or restored. */
  readonly onDidOpen = this._onDidOpen.event;

  constructor(protected readonly extensionUri: vscode.Uri, private readonly _viewType: string) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(_viewType, { deserializeWebviewPanel: async (panel, state) => this.restore(panel, state) }));
    this._register({ dispose: () => [...this._pages.values()].forEach((p) => p.dispose()) });
  }

  get panels(): readonly Page[] {
    return [...this._pages.values()];
  }

  get(id: Id): Page | undefined {
    return this._pages.get(id);
  }

  /** The id a restored panel's saved state names, or undefined (the panel is closed). */
  protected abstract idOf(state: unknown): Id | undefined;

  /** Builds the page for a new panel, or (`opening` undefined) a restored one. */
  protected abstract create(panel: vscode.WebviewPanel, id: Id, opening: Opening | undefined): Page;

  /** The page for `id`: `reveal` runs on one already open, else a new panel titled `title` opens. */
  protected open(id: Id, title: string, reveal: (page: Page) => void, opening: Opening): Page {
    const existing = this._pages.get(id);
    if (existing) {
      reveal(existing);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this._viewType, title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    return this.adopt(id, this.create(panel, id, opening));
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const id = this.idOf(state);
    if (id === undefined || this._pages.has(id)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.adopt(id, this.create(panel, id, undefined));
  }

  private adopt(id: Id, page: Page): Page {
    this._pages.set(id, page);
    page.panel.onDidDispose(() => {
      if (this._pages.get(id) === page) this._pages.delete(id);
    });
    this._onDidOpen.fire(page);
    return page;
  }
}
