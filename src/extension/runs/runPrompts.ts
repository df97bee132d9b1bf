// The questions Start Run and the lifecycle commands ask, kept apart from what the commands do.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { projectNameProblem } from '../../core/names';
import { tagProblem, type RunlogTaskDefinition } from '../tasks/taskDefinition';
import { quoteArgs, splitArgs } from './argv';
import { neutralizeBidi } from '../../common/displayText';
import { readInitCall, type InitCallArguments } from '../codelens/initCall';
import { launchSummary } from './launchSummary';

/** Folders that hold no one's training scripts. */
export const SCRIPT_EXCLUDE = '**/{.runlog,node_modules,.git,.venv,venv,env,__pycache__,site-packages,dist,build}/**';

/** The active editor's Python file, if any. */
export function activePythonFile(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.uri.scheme === 'file' && (doc.languageId === 'python' || doc.uri.fsPath.endsWith('.py')) ? doc.uri : undefined;
}

export async function pickScript(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.py', SCRIPT_EXCLUDE, 2000);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Runlog found no Python script in this workspace. Open one and run Start Run again.');
    return undefined;
  }
  const items = files
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri, true), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, { title: 'Start Run', placeHolder: 'Which script?', matchOnDescription: true });
  return picked?.uri;
}

interface SheetItem extends vscode.QuickPickItem {
  readonly field?: 'start' | 'name' | 'tags' | 'notes' | 'args' | 'project' | 'group';
}

/** The script's init( call as the editor has it (unsaved edits included), else as saved; undefined if unreadable. */
export function scriptInitCall(script: string): InitCallArguments | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === script);
  try {
    return readInitCall(open ? open.getText() : fs.readFileSync(script, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * One quick pick that shows what will be launched; Enter starts, picking a field edits it and
 * comes back. Resolves undefined when dismissed. A project or name the script's init( call sets
 * is shown as the script's (it wins over the sheet's).
 */
export async function launchSheet(def: RunlogTaskDefinition, defaultProject: string): Promise<RunlogTaskDefinition | undefined> {
  let current = def;
  const call = scriptInitCall(def.script);
  for (;;) {
    const project = current.project || defaultProject;
    const summary = launchSummary(current, defaultProject, call);
    const items: SheetItem[] = [
      { field: 'start', label: '$(play) Start Run', description: `${vscode.workspace.asRelativePath(current.script)} ${summary.where}` },
      { label: 'Options', kind: vscode.QuickPickItemKind.Separator },
      { field: 'name', label: '$(symbol-string) Name', description: neutralizeBidi(summary.name.text) },
      { field: 'args', label: '$(symbol-parameter) Arguments', description: current.args?.length ? quoteArgs(current.args) : 'none' },
      { field: 'tags', label: '$(tag) Tags', description: current.tags?.length ? current.tags.join(', ') : 'none' },
      { field: 'notes', label: '$(note) Notes', description: current.notes || 'none' },
      { field: 'project', label: '$(folder-library) Project', description: neutralizeBidi(summary.project.text) },
      { field: 'group', label: '$(layers) Group', description: current.group || 'none' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Start Run: ${path.basename(current.script)}`,
      placeHolder: 'Press Enter to start, or pick an option to set it first',
      ignoreFocusOut: true,
    });
    if (!picked?.field) return undefined;
    const fixed = picked.field === 'project' ? summary.project : picked.field === 'name' ? summary.name : undefined;
    if (fixed?.fromScript && call) {
      // Editing it here would change nothing: say where it is set instead.
      void scriptSetsIt(current.script, picked.field, call.line);
      continue;
    }
    switch (picked.field) {
      case 'start':
        return current;
      case 'name': {
        const name = await vscode.window.showInputBox({ title: 'Run name', value: current.name ?? '', prompt: 'Leave empty for a generated name' });
        if (name !== undefined) current = { ...current, name: name.trim() || undefined };
        break;
      }
      case 'args': {
        const text = await vscode.window.showInputBox({
          title: 'Script arguments',
          value: current.args ? quoteArgs(current.args) : '',
          prompt: 'Split like a shell would (quotes group words), but no shell runs them',
          validateInput: (v) => {
            const r = splitArgs(v);
            return r.ok ? undefined : r.error;
          },
        });
        const r = text === undefined ? undefined : splitArgs(text);
        if (r?.ok) current = { ...current, args: r.args };
        break;
      }
      case 'tags': {
        const text = await vscode.window.showInputBox({
          title: 'Tags',
          value: current.tags?.join(', ') ?? '',
          prompt: 'Comma-separated',
          validateInput: (v) => tagList(v).map(tagProblem).find(Boolean),
        });
        if (text !== undefined) current = { ...current, tags: tagList(text) };
        break;
      }
      case 'notes': {
        const notes = await vscode.window.showInputBox({ title: 'Notes', value: current.notes ?? '' });
        if (notes !== undefined) current = { ...current, notes: notes || undefined };
        break;
      }
      case 'project': {
        const name = await vscode.window.showInputBox({ title: 'Project', value: project, validateInput: (v) => projectNameProblem(v.trim()) });
        if (name !== undefined) current = { ...current, project: name.trim() };
        break;
      }
      case 'group': {
        const group = await vscode.window.showInputBox({ title: 'Group', value: current.group ?? '', prompt: 'Runs of one experiment share a group' });
        if (group !== undefined) current = { ...current, group: group.trim() || undefined };
        break;
      }
    }
  }
}

async function scriptSetsIt(script: string, field: string, line: number): Promise<void> {
  const go = await vscode.window.showInformationMessage(`${path.basename(script)} sets the ${field} in its init(…) call on line ${line + 1}, and the script's value wins. Change it there.`, 'Go to Line');
  if (go) await vscode.window.showTextDocument(vscode.Uri.file(script), { selection: new vscode.Range(line, 0, line, 0) });
}

function tagList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
