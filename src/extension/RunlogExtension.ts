import * as vscode from 'vscode';
import type { RunKey, RunlogStore } from '../core/model';
import { ComparePageManager } from './comparePage/ComparePageManager';
import { registerCompareRunsCommand } from './comparePage/compareRunsCommand';
import { RunPageManager } from './runPage/RunPageManager';
import { StoreService } from './store/StoreService';
import { Disposable } from './util/dispose';

/** What `activate()` returns: for other extensions and for the integration tests. */
export interface RunlogApi {
  readonly storeDir: () => string;
  readonly store: () => RunlogStore | undefined;
  readonly openRun: (key: RunKey) => Promise<void>;
  /** The webview pages, for the integration tests. */
  readonly runPages: () => RunPageManager;
  readonly comparePages: () => ComparePageManager;
}

/** Builds every service at activation and disposes them together. */
export class RunlogExtension extends Disposable {
  readonly stores: StoreService;
  readonly runPages: RunPageManager;
  readonly comparePages: ComparePageManager;
  readonly api: RunlogApi;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.stores = this._register(new StoreService());
    const runPages = (this.runPages = this._register(new RunPageManager(context.extensionUri, this.stores)));
    this.comparePages = this._register(
      new ComparePageManager({ extensionUri: context.extensionUri, stores: this.stores, openRun: (key) => runPages.show(key) }),
    );
    this._register(
      vscode.commands.registerCommand('runlog.openRun', async (arg?: unknown) => {
        const key = await this.pickRun(arg);
        if (key) runPages.show(key);
      }),
    );
    this._register(registerCompareRunsCommand(this.comparePages, this.stores));
    this._register(
      vscode.commands.registerCommand('runlog.showSdkHelp', () => {
        void vscode.env.openExternal(vscode.Uri.parse('https://github.com/runlog/runlog#python-sdk'));
      }),
    );
    this.api = {
      storeDir: () => this.stores.dir,
      store: () => this.stores.store,
      openRun: async (key) => {
        runPages.show(key);
      },
      runPages: () => runPages,
      comparePages: () => this.comparePages,
    };
  }

  /** A run key from a command argument (tree item, string) or from a quick pick. */
  private async pickRun(arg: unknown): Promise<RunKey | undefined> {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'object' && arg !== null && typeof (arg as { key?: unknown }).key === 'string') {
      return (arg as { key: string }).key;
    }
    const store = this.stores.store;
    if (!store) {
      void vscode.window.showInformationMessage(`No Runlog store yet at ${this.stores.dir}. Start a run first.`);
      return undefined;
    }
    const runs = store.listRuns(undefined, { sort: 'start', descending: true, limit: 500 });
    const picked = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.name, description: `${r.state} · ${r.path}`, key: r.key })),
      { placeHolder: 'Select a run', matchOnDescription: true },
    );
    return picked?.key;
  }
}
