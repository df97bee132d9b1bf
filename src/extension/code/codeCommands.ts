// "Compare Config and Code" (two runs in VS Code's diff editor: configs as sorted JSON, then each
// file their code differs in) and "Check out this run's code" (the run's commit + working-tree
// diff restored into a new folder). Diff panes are read-only documents of the `runlog-code` scheme.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunDetail, RunKey } from '../../core/model';
import { neutralizeBidi } from '../../common/displayText';
import { parseCommandArgs } from '../runs/commandArgs';
import { pickRuns } from '../store/storePicks';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { plainText } from '../util/plainText';
import { checkoutRunCode, codeDifferences, readRunCode, RunCodeError, sortedJson, type RunCode } from './runCode';

export const CODE_SCHEME = 'runlog-code';

/** What `runlog.compareConfigAndCode` opened, for the tests. */
export interface CodeComparison {
  readonly title: string;
  readonly files: readonly string[];
  /** Why the code is not compared, when it is not. */
  readonly codeNote: string | undefined;
}

export class CodeCommands extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly documents = new Map<string, string>();
  private comparisons = 0;
  lastComparison: CodeComparison | undefined;

  constructor(private readonly stores: StoreService) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(CODE_SCHEME, this));
    const register = (id: string, handler: (...args: unknown[]) => Promise<unknown>): void => {
      this._register(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            return await handler(...args);
          } catch (e) {
            void vscode.window.showErrorMessage(plainText(e instanceof Error ? e.message : String(e)));
            return undefined;
          }
        }),
      );
    };
    register('runlog.compareConfigAndCode', (...args) => this.compare(args));
    register('runlog.checkoutRunCode', (...args) => this.checkout(args));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  private run(key: RunKey): RunDetail {
    const run = this.stores.store?.getRun(key);
    if (!run) throw new Error(`Run ${key} is not in the store any more.`);
    return run;
  }

  private document(set: number, side: string, run: RunDetail, file: string, text: string): vscode.Uri {
    // Both sides have the file's own path (its name picks the language and icon; one path, so the
    // diff editor shows a change, not a rename); the query tells them apart.
    const uri = vscode.Uri.from({ scheme: CODE_SCHEME, path: `/${file}`, query: `${set}-${side}-${run.key}` });
    this.documents.set(uri.toString(), text);
    return uri;
  }

  async compare(args: readonly unknown[]): Promise<CodeComparison | undefined> {
    let keys = parseCommandArgs(args).keys;
    if (keys.length === 0) keys = await pickRuns(this.stores, 'Select two runs to compare', { many: true });
    if (keys.length === 0) return undefined;
    if (keys.length !== 2) throw new Error(`Compare Config and Code compares two runs; ${keys.length} ${keys.length === 1 ? 'was' : 'were'} selected.`);
    // The older run on the left: the diff reads as what changed since.
    const [a, b] = [this.run(keys[0]!), this.run(keys[1]!)].sort((x, y) => x.startTime - y.startTime) as [RunDetail, RunDetail];
    const set = ++this.comparisons;
    const resources: [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined][] = [];
    const config = (run: RunDetail, side: string) => this.document(set, side, run, 'config.json', sortedJson(run.configTree));
    resources.push([config(a, 'left'), config(a, 'left'), config(b, 'right')]);

    let codeNote: string | undefined;
    const files: string[] = ['config.json'];
    const codeA = this.codeOf(a);
    const codeB = this.codeOf(b);
    if (typeof codeA === 'string' || typeof codeB === 'string') {
      codeNote = [codeA, codeB].filter((c): c is string => typeof c === 'string').join(' ');
    } else {
      const diffs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Runlog: reading the runs’ code' }, () => codeDifferences(codeA, codeB));
      for (const d of diffs) {
        const left = d.left === undefined ? undefined : this.document(set, 'left', a, d.path, d.left);
        const right = d.right === undefined ? undefined : this.document(set, 'right', b, d.path, d.right);
        resources.push([right ?? left!, left, right]);
        files.push(d.path);
      }
      if (diffs.length === 0) codeNote = `Both runs ran the same code (commit ${codeA.commit.slice(0, 12)}${codeA.patch ? ' with the same changes' : ''}).`;
    }
    const title = `${neutralizeBidi(a.name)} ↔ ${neutralizeBidi(b.name)}: Config and Code`;
    await vscode.commands.executeCommand('vscode.changes', title, resources);
    if (codeNote) void vscode.window.showInformationMessage(plainText(codeNote));
    this.lastComparison = { title, files, codeNote };
    return this.lastComparison;
  }

  /** The run's code record, or why it has none. */
  private codeOf(run: RunDetail): RunCode | string {
    try {
      const code = readRunCode(run.dir);
      if (!code) return `${run.name} has no code record (it was not started in a git repository, or recording was off: RUNLOG_CODE=0 or runlog.recordCode).`;
      if (code.leftOut) return `${run.name}'s working-tree diff was not recorded: ${code.leftOut}.`;
      return code;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  async checkout(args: readonly unknown[]): Promise<string | undefined> {
    const parsed = parseCommandArgs(args);
    const keys = parsed.keys.length ? parsed.keys : await pickRuns(this.stores, "Check out which run's code?");
    if (keys.length === 0) return undefined;
    const run = this.run(keys[0]!);
    const code = this.codeOf(run);
    if (typeof code === 'string') throw new RunCodeError(code);
    const given = (args.find((a) => typeof a === 'object' && a !== null && typeof (a as { folder?: unknown }).folder === 'string') as { folder: string } | undefined)?.folder;
    let dest = given;
    if (!dest) {
      const parent = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Check Out Here',
        title: `Folder to create ${run.name}'s code in (a new subfolder is made)`,
      });
      if (!parent?.[0]) return undefined;
      dest = path.join(parent[0].fsPath, `${path.basename(code.root)}-${run.id}`);
    }
    const count = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Runlog: checking out ${run.name}'s code` }, () => checkoutRunCode(code, dest));
    const open = 'Open Folder';
    void vscode.window
      .showInformationMessage(plainText(`${run.name}'s code (commit ${code.commit.slice(0, 12)}${code.patch ? ' with its uncommitted changes' : ''}, ${count} files) is in ${dest}.`), open)
      .then((picked) => {
        if (picked === open) void vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dest), { forceNewWindow: true });
      });
    return dest;
  }
}
