import type * as vscode from 'vscode';
import { RunlogExtension, type RunlogApi } from './RunlogExtension';

export function activate(context: vscode.ExtensionContext): RunlogApi & { readonly activationMs: number } {
  const started = performance.now();
  const extension = new RunlogExtension(context);
  context.subscriptions.push(extension);
  // How long activate() took (the benchmark reads it: bench/host/probe.ts).
  return { ...extension.api, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
