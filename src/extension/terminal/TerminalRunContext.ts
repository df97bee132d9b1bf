// Integrated terminals get the run context through the extension's environment variable
// collection: the store folder, a default project and the bundled SDK on PYTHONPATH. So
// `python train.py` typed by hand writes its run into the workspace store and shows up in the
// explorer. No run ID: each run a terminal starts gets its own. The `wandb` stand-in follows the
// SDK on PYTHONPATH as `runlog.wandbStandIn` says.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { projectFromFolderName } from '../runs/RunLauncher';
import { Disposable } from '../util/dispose';
import { runContextPythonPath, type WandbStandIn } from '../tasks/runExecution';

export class TerminalRunContext extends Disposable {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly stores: StoreService,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['runlog.terminalRunContext', 'runlog.storeDir', 'runlog.defaultProject', 'runlog.quiet', 'runlog.wandbStandIn'].some((s) => e.affectsConfiguration(s))) this.update();
      }),
    );
    this._register(stores.onDidChangeStore(() => this.update()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.update()));
    this.update();
  }

  private update(): void {
    const collection = this.context.environmentVariableCollection;
    // The terminal's variables are the first folder's, as the store is (resolveStoreDir).
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    const config = vscode.workspace.getConfiguration('runlog', first ?? null);
    collection.clear();
    if (!config.get<boolean>('terminalRunContext', true)) return;
    const folder = first?.fsPath;
    const project = config.get<string>('defaultProject', '').trim() || (folder ? projectFromFolderName(path.basename(folder)) : '');
    collection.description = 'Runlog: scripts started in this terminal are tracked in the workspace’s run store.';
    collection.replace('RUNLOG_DIR', this.stores.dir);
    if (project) collection.replace('RUNLOG_PROJECT', project);
    if (config.get<boolean>('quiet', false)) collection.replace('RUNLOG_QUIET', '1');
    const standIn = config.get<WandbStandIn>('wandbStandIn', 'auto');
    if (standIn !== 'off') collection.replace('RUNLOG_WANDB', standIn);
    const sdk = vscode.Uri.joinPath(this.context.extensionUri, 'sdk', 'python').fsPath;
    collection.prepend('PYTHONPATH', runContextPythonPath(sdk, standIn).join(path.delimiter) + path.delimiter);
  }
}
