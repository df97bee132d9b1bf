// "Start Sweep" above the `method:` line of a sweep config (YAML or JSON).

import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { looksLikeSweepConfig } from './sweepLaunch';

export class SweepCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this._onDidChange.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.lineCount > 5000) return [];
    const line = looksLikeSweepConfig(document.getText());
    if (line === undefined) return [];
    const range = new vscode.Range(line, 0, line, 0);
    return [new vscode.CodeLens(range, { title: '$(play) Start Sweep', command: 'runlog.startSweep', arguments: [document.uri] })];
  }
}

export function registerSweepCodeLens(provider: SweepCodeLensProvider): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    [{ scheme: 'file', pattern: '**/*.{yaml,yml}' }, { scheme: 'file', pattern: '**/*.json' }],
    provider,
  );
}
