import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IngestFailure, RunlogStore, StoreChange } from '../../core/model';
import { Store, type OpenProgress } from '../../core/store/Store';
import { Disposable } from '../util/dispose';
import { plainText } from '../util/plainText';

/** Resolves the store folder from settings and the workspace; `.runlog` in the first folder by default. */
export function resolveStoreDir(): string {
  // The store belongs to the first folder: its settings (a folder's own, else the workspace's) name it.
  const first = vscode.workspace.workspaceFolders?.[0]?.uri;
  const configured = vscode.workspace.getConfiguration('runlog', first ?? null).get<string>('storeDir', '').trim();
  const folder = first?.fsPath;
  const base = folder ?? os.homedir();
  if (configured) return path.resolve(base, configured.replace(/^~(?=$|\/)/, os.homedir()));
  return path.join(base, '.runlog');
}

/**
 * Owns the open store. The store is opened only once its folder exists, so opening a Python
 * workspace never creates `.runlog/`; a run started later creates it and the service picks it up.
 */
export class StoreService extends Disposable {
  private _store: Store | undefined;
  private _dir: string;
  private _storeListener: vscode.Disposable | undefined;
  private _creationWatcher: vscode.FileSystemWatcher | undefined;
  private _openError: string | undefined;

  private readonly _onDidChange = this._register(new vscode.EventEmitter<readonly StoreChange[]>());
  /** Batched changes, once per ingest pass. */
  readonly onDidChange = this._onDidChange.event;

  private readonly _onDidChangeStore = this._register(new vscode.EventEmitter<void>());
  /** The store was opened, closed or replaced (setting changed, folder created). */
  readonly onDidChangeStore = this._onDidChangeStore.event;

  private readonly _onDidChangeOpenProgress = this._register(new vscode.EventEmitter<OpenProgress | undefined>());
  /** The open pass that runs in the background after the store opens (undefined: it ended). */
  readonly onDidChangeOpenProgress = this._onDidChangeOpenProgress.event;

  constructor() {
    super();
    this._dir = resolveStoreDir();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('runlog.storeDir')) this.reopen();
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.reopen()));
    this._register({ dispose: () => this.closeStore() });
  }

  get dir(): string {
    return this._dir;
  }

  /** Where the background open pass of the store is; undefined when none runs. */
  get openProgress(): OpenProgress | undefined {
    return this._store?.openProgress;
  }

  /** Why the store could not be opened, if it could not. */
  get openError(): string | undefined {
    return this._openError;
  }

  /** The open store, or undefined while its folder does not exist yet. */
  get store(): RunlogStore | undefined {
    if (!this._store && !this._openError) this.tryOpen();
    return this._store;
  }

  /** Opens the store, creating its folder: for commands that are about to write a run. */
  ensureStore(): RunlogStore {
    if (!this._store) {
      fs.mkdirSync(this._dir, { recursive: true });
      this._openError = undefined;
      this.tryOpen();
    }
    if (!this._store) throw new Error(this._openError ?? `Could not open the Runlog store at ${this._dir}`);
    return this._store;
  }

  private tryOpen(): void {
    if (!fs.existsSync(this._dir)) {
      this.watchForCreation();
      return;
    }
    try {
      // The index answers at once with what it holds; the run folders are listed (not every run's
      // files read) in the background, a slice at a time, so the editor never waits for them.
      const store = Store.open(this._dir, { openPass: 'background' });
      this._store = store;
      const sub = store.onDidChange((changes) => {
        this.noticeRebuilt(changes, store);
        this._onDidChange.fire(changes);
      });
      const failed = store.onDidFail((failures) => this.noticeFailures(failures));
      const progress = store.onOpenProgress((p) => this._onDidChangeOpenProgress.fire(p));
      this._storeListener = { dispose: () => (sub.dispose(), failed.dispose(), progress.dispose()) };
      if (store.openProgress) this._onDidChangeOpenProgress.fire(store.openProgress);
      this._creationWatcher?.dispose();
      this._creationWatcher = undefined;
      store.watch();
      this._onDidChangeStore.fire();
    } catch (e) {
      this._openError = `Runlog could not open its store at ${this._dir}: ${e instanceof Error ? e.message : String(e)}`;
      void vscode.window.showErrorMessage(this._openError);
    }
  }

  private _failing = false;

  /** Says when the index was rebuilt from the run files by itself (damaged, deleted, replaced). */
  private noticeRebuilt(changes: readonly StoreChange[], store: Store): void {
    for (const change of changes) {
      if (change.kind !== 'rebuilt' || change.reason === 'the index did not exist' || /requested/.test(change.reason)) continue;
      const runs = store.count();
      void vscode.window.showWarningMessage(
        plainText(`Runlog rebuilt its index of ${this._dir} from the run files (${runs} run${runs === 1 ? '' : 's'}): ${change.reason}.`),
      );
    }
    if (this._failing && store.failures.length === 0) this._failing = false;
  }

  /** Says once (until a pass succeeds again) that new data could not be stored, and why. */
  private noticeFailures(failures: readonly IngestFailure[]): void {
    if (this._failing || failures.length === 0) return;
    this._failing = true;
    const first = failures[0]!;
    const which = failures.length === 1 ? `run ${first.run || this._dir}` : `${failures.length} runs`;
    void vscode.window.showErrorMessage(
      plainText(`Runlog could not store new data of ${which}: ${first.message}. Nothing stored before was changed; Runlog retries on every pass.`),
    );
  }

  private watchForCreation(): void {
    if (this._creationWatcher) return;
    const parent = path.dirname(this._dir);
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(parent), `${path.basename(this._dir)}/**`),
      false,
      true,
      true,
    );
    watcher.onDidCreate(() => {
      if (!this._store && fs.existsSync(this._dir)) this.tryOpen();
    });
    this._creationWatcher = watcher;
  }

  private reopen(): void {
    this.closeStore();
    this._dir = resolveStoreDir();
    this._openError = undefined;
    this.tryOpen();
    this._onDidChangeStore.fire();
  }

  private closeStore(): void {
    this._storeListener?.dispose();
    this._storeListener = undefined;
    this._creationWatcher?.dispose();
    this._creationWatcher = undefined;
    // Stops the open pass between two slices: what it read is committed, the rest is read next time.
    this._store?.close();
    this._store = undefined;
    this._onDidChangeOpenProgress.fire(undefined);
  }
}
