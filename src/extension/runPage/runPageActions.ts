// The run page's actions on files: save or open the output, open/reveal/save a file the run
// saved, open or reveal an artifact's files. Paths from the page resolve inside their folder first.

import { readdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunDetail, RunlogStore } from '../../core/model';
import { assertNever } from '../../common/guards';
import type { ArtifactActionMessage, FileActionMessage, LogAction } from '../../common/runPageProtocol';
import { plainText } from '../util/plainText';
import { resolveInside } from './runFiles';
import { outputText, outputUri } from './runOutput';

/** The Logs tab's actions on the run's output. */
export async function logAction(store: RunlogStore, run: RunDetail, action: LogAction): Promise<void> {
  switch (action) {
    case 'openInEditor': {
      const doc = await vscode.workspace.openTextDocument(outputUri(run.key, run.name));
      await vscode.languages.setTextDocumentLanguage(doc, 'log').then(undefined, () => doc);
      await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
      return;
    }
    case 'saveAs': {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(defaultSaveFolder(), `${fileSafe(run.name)}-output.log`),
        filters: { 'Log files': ['log', 'txt'] },
        title: `Save the output of ${run.name}`,
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(outputText(store, run.key, run.outputLines), 'utf8'));
      void vscode.window.showInformationMessage(plainText(`Saved the output of ${run.name} to ${target.fsPath}`));
      return;
    }
    default:
      assertNever(action);
  }
}

/** The Files tab's actions: a path from the page, opened only when it resolves inside the run's folder. */
export async function fileAction(run: RunDetail, message: FileActionMessage): Promise<void> {
  let resolved = await resolveInside(run.dir, message.path);
  // A run read in place from another tool's folders: its files are there.
  for (const dir of (run.fileRoots ?? []).slice(1)) {
    if (resolved.ok) break;
    const there = await resolveInside(dir, message.path);
    if (there.ok) resolved = there;
  }
  if (!resolved.ok) {
    void vscode.window.showErrorMessage(plainText(`Runlog refused to ${message.action === 'saveAs' ? 'save' : message.action} a file of ${run.name}: ${resolved.reason}`));
    return;
  }
  const uri = vscode.Uri.file(resolved.path);
  switch (message.action) {
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
      return;
    case 'reveal':
      await revealPath(uri);
      return;
    case 'saveAs': {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(defaultSaveFolder(), path.basename(resolved.path)),
        title: `Save ${message.path} of ${run.name}`,
      });
      if (!target) return;
      await vscode.workspace.fs.copy(uri, target, { overwrite: true });
      return;
    }
    default:
      assertNever(message.action);
  }
}

/** The Artifacts tab's actions on an artifact the run logged or used. */
export async function artifactAction(store: RunlogStore, run: RunDetail, message: ArtifactActionMessage): Promise<void> {
  const artifact = run.artifacts.find((a) => a.direction === message.direction && a.name === message.name && a.version === message.version);
  if (!artifact) {
    void vscode.window.showErrorMessage(plainText(`${run.name} has no ${message.direction} artifact ${message.name}:${message.version}.`));
    return;
  }
  const resolved = await resolveInside(store.dir, path.relative(store.dir, artifact.dir));
  if (!resolved.ok) {
    void vscode.window.showErrorMessage(plainText(`The files of artifact ${artifact.name}:${artifact.version} are missing from the store.`));
    return;
  }
  switch (message.action) {
    case 'reveal':
      await revealPath(vscode.Uri.file(resolved.path));
      return;
    case 'open': {
      const files = await listFiles(resolved.path, 500);
      if (files.length === 0) {
        void vscode.window.showInformationMessage(plainText(`Artifact ${artifact.name}:${artifact.version} holds no files.`));
        return;
      }
      const picked =
        files.length === 1
          ? files[0]
          : await vscode.window.showQuickPick(files, { placeHolder: `Open a file of ${artifact.name}:${artifact.version}` });
      if (!picked) return;
      const inside = await resolveInside(resolved.path, picked);
      if (inside.ok) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(inside.path), { preview: false });
      return;
    }
    default:
      assertNever(message.action);
  }
}

function fileSafe(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'run';
}

function defaultSaveFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}

async function revealPath(uri: vscode.Uri): Promise<void> {
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/** Relative paths of the files under `dir`, `/`-separated, at most `limit`. */
async function listFiles(dir: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length >= limit) return;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('');
  return out;
}
