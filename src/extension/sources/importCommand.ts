// "Runlog: Import W&B Runs…": pick a wandb/ folder, run folders or .wandb files, copy them into the store.

import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { describeImport, importRuns } from '../../core/sources/importer';
import { WandbSource } from '../../core/sources/wandb/WandbSource';
import type { StoreService } from '../store/StoreService';

export function registerImportCommand(stores: StoreService): vscode.Disposable {
  return vscode.commands.registerCommand('runlog.importWandb', async (arg?: unknown) => {
    let paths = Array.isArray(arg) && arg.every((p) => typeof p === 'string') ? (arg as string[]) : typeof arg === 'string' ? [arg] : undefined;
    if (paths === undefined) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Import W&B Runs',
        openLabel: 'Import',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (!picked || picked.length === 0) return;
      paths = picked.map((u) => u.fsPath);
    }
    const source = new WandbSource();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Importing W&B runs', cancellable: false },
      async (progress) => {
        mkdirSync(stores.dir, { recursive: true });
        return importRuns(source, paths, stores.dir, {
          onProgress: (done, total, run) => progress.report({ message: `${done + 1}/${total}: ${run.id}`, increment: 100 / total }),
        });
      },
    );
    stores.store?.sync();
    const text = describeImport(result, stores.dir, source.label);
    const first = text.split('\n')[0] ?? '';
    const more = result.skipped.length > 0 ? ` Skipped ${result.skipped.length}: ${result.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}` : '';
    if (result.runs.length === 0) void vscode.window.showWarningMessage(`Runlog: no W&B runs imported.${more}`);
    else void vscode.window.showInformationMessage(`Runlog: ${first}.${more}`);
  });
}
