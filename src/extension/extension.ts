import type * as vscode from 'vscode';
import { RunlogExtension, type RunlogApi } from './RunlogExtension';

export function activate(context: vscode.ExtensionContext): RunlogApi {
  const extension = new RunlogExtension(context);
  context.subscriptions.push(extension);
  return extension.api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
