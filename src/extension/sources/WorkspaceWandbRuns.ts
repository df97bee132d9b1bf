// W&B run folders in the workspace (any `wandb/` folder, $WANDB_DIR, and the folders in the
// `runlog.wandbFolders` setting) show in the run explorer, live, read in place: each pass finds
// them, gives each new one a store folder holding only `source.json` (core/sources/inPlace), and
// has the store read those whose `.wandb` files changed straight from W&B's files. W&B's own
// files are only ever read; nothing of them is copied.

import * as vscode from 'vscode';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InPlaceRuns } from '../../core/sources/inPlace';
import { WandbSource } from '../../core/sources/wandb/WandbSource';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

/** How often the files are looked at. */
const PASS_MS = 500;

export class WorkspaceWandbRuns extends Disposable {
  private readonly source = new WandbSource();
  private readonly found = new Set<string>();
  private runs: InPlaceRuns | undefined;
  /** Skip reasons already logged. */
  private readonly logged = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly log: vscode.OutputChannel;
  /** The folders `runlog.wandbFolders` names, resolved: read when the settings change, not on every pass. */
  private configured: string[] = [];

  constructor(private readonly stores: StoreService) {
    super();
    this.log = this._register(vscode.window.createOutputChannel('Runlog W&B'));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/wandb/*/*.wandb', false, true, true));
    this._register(watcher.onDidCreate((uri) => this.found.add(dirname(dirname(uri.fsPath)))));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('runlog.wandbFolders')) this.configured = configuredFolders();
      if (e.affectsConfiguration('runlog.showWandbRuns')) this.restart();
    }));
    this.configured = configuredFolders();
    this._register({ dispose: () => this.stop() });
    this.restart();
  }

  private restart(): void {
    this.stop();
    // A window-scoped setting: read without a resource (null), which VS Code expects for those.
    if (!vscode.workspace.getConfiguration('runlog', null).get<boolean>('showWandbRuns', true)) return;
    void vscode.workspace.findFiles('**/wandb/*/*.wandb', '**/node_modules/**', 2000).then((uris) => {
      for (const uri of uris) this.found.add(dirname(dirname(uri.fsPath)));
    });
    this.timer = setInterval(() => this.pass(), PASS_MS);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private roots(): string[] {
    const roots = new Set([...this.found, ...this.configured]);
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const envDir = process.env.WANDB_DIR;
    if (envDir) roots.add(resolve(base, envDir));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const direct = join(folder.uri.fsPath, 'wandb');
      if (existsSync(direct)) roots.add(direct);
    }
    return [...roots].filter((r) => existsSync(r));
  }

  private pass(): void {
    if (this.busy) return;
    const roots = this.roots();
    if (roots.length === 0) return;
    this.busy = true;
    try {
      if (this.runs?.storeDir !== this.stores.dir) this.runs = new InPlaceRuns(this.source, this.stores.dir);
      mkdirSync(this.stores.dir, { recursive: true });
      const result = this.runs.link(roots);
      for (const key of result.converted) this.log.appendLine(`${key}: the copy an earlier Runlog kept in the store was removed; the run is read in place from its W&B folder (its edits are kept)`);
      for (const s of result.skipped) {
        const line = `${s.path}: ${s.reason}`;
        if (!this.logged.has(line)) this.log.appendLine(line);
        this.logged.add(line);
      }
      if (result.changed.length > 0) this.stores.store?.syncRuns(result.changed);
    } catch (error) {
      this.log.appendLine(`W&B runs: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}

/**
 * The folders `runlog.wandbFolders` names. The setting is resource-scoped: each workspace folder's
 * value is read with that folder as its scope and resolved against it (no folder open: the
 * window's value, against the current directory).
 */
function configuredFolders(): string[] {
  const scopes = vscode.workspace.workspaceFolders?.map((f) => ({ uri: f.uri as vscode.Uri | null, base: f.uri.fsPath })) ?? [{ uri: null, base: process.cwd() }];
  const out = new Set<string>();
  for (const scope of scopes) {
    for (const folder of vscode.workspace.getConfiguration('runlog', scope.uri).get<unknown[]>('wandbFolders', [])) {
      if (typeof folder === 'string' && folder.trim()) out.add(isAbsolute(folder) ? folder : resolve(scope.base, folder));
    }
  }
  return [...out];
}
