// A run's output outside the webview: a read-only document ("Open in Editor") and a plain text
// file ("Save As…"), both without escape sequences.
import * as vscode from 'vscode';
import { stripAnsi } from '../../common/ansi';
import type { RunKey, RunlogStore } from '../../core/model';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

export const OUTPUT_SCHEME = 'runlog-output';
const CHUNK = 10_000;

/** Every output line of the run as plain text. */
export function outputText(store: RunlogStore, key: RunKey, total: number): string {
  const parts: string[] = [];
  for (let from = 0; from < total; from += CHUNK) {
    const lines = store.readOutput(key, from, CHUNK);
    if (lines.length === 0) break;
    for (const line of lines) parts.push(stripAnsi(line.text));
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

export function outputUri(key: RunKey, runName: string): vscode.Uri {
  const safeName = runName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'run';
  return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${safeName}.log`, query: new URLSearchParams({ run: key }).toString() });
}

/** Serves `runlog-output:` documents: the output of the run named in the query. */
export class RunOutputDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly _stores: StoreService) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = new URLSearchParams(uri.query).get('run');
    const store = this._stores.store;
    const run = key ? store?.getRun(key) : undefined;
    if (!store || !key || !run) return `This run no longer exists: ${key ?? uri.toString()}\n`;
    return outputText(store, key, run.outputLines);
  }

  /** Re-read open documents of a run whose output grew. */
  refresh(key: RunKey): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === OUTPUT_SCHEME && new URLSearchParams(doc.uri.query).get('run') === key) this._onDidChange.fire(doc.uri);
    }
  }
}
