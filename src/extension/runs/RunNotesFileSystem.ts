// A run's notes as a Markdown document (`runlog-notes:/<project>/<id>/<name> notes.md`): Edit
// Notes from the tree opens it in a real, multi-line editor, and saving it (Ctrl+S) stores the
// notes as an edit of the run, as the run page's editor does. Nothing is written anywhere else.

import * as vscode from 'vscode';
import { LIMITS } from '../../common/runPageProtocol';
import { neutralizeBidi } from '../../common/displayText';
import type { RunKey, RunlogStore } from '../../core/model';
import { parseRunKey, runKey } from '../../core/model';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

export const NOTES_SCHEME = 'runlog-notes';

export function notesUri(key: RunKey, runName: string): vscode.Uri {
  const parsed = parseRunKey(key);
  if (!parsed) throw new Error(`${key} is not a run key.`);
  const safeName = neutralizeBidi(runName).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || parsed.id;
  return vscode.Uri.from({ scheme: NOTES_SCHEME, path: `/${parsed.project}/${parsed.id}/${safeName} notes.md` });
}

function keyOf(uri: vscode.Uri): RunKey {
  const [project, id] = uri.path.split('/').filter(Boolean);
  if (!project || !id) throw vscode.FileSystemError.FileNotFound(uri);
  return runKey(project, id);
}

export class RunNotesFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly _onDidChangeFile = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this._onDidChangeFile.event;
  /** Per open document: its URI, the notes it was last read or saved with, and their time. */
  private readonly open = new Map<RunKey, { uri: vscode.Uri; notes: string; mtime: number }>();

  constructor(private readonly stores: StoreService) {
    super();
    this._register(vscode.workspace.registerFileSystemProvider(NOTES_SCHEME, this, { isCaseSensitive: true }));
    // Notes changed elsewhere (the run page, another window): an open, unmodified editor
    // follows. A change this provider wrote itself is not news: announcing it would make the
    // editor see its own save as a newer file on disk.
    this._register(
      stores.onDidChange((changes) => {
        const events: vscode.FileChangeEvent[] = [];
        for (const c of changes) {
          const entry = c.kind === 'runUpdated' ? this.open.get(c.run) : undefined;
          const notes = entry ? this.stores.store?.getRun((c as { run: RunKey }).run)?.notes : undefined;
          if (!entry || notes === undefined || notes === entry.notes) continue;
          entry.notes = notes;
          entry.mtime = Date.now();
          events.push({ type: vscode.FileChangeType.Changed, uri: entry.uri });
        }
        if (events.length > 0) this._onDidChangeFile.fire(events);
      }),
    );
  }

  private store(): RunlogStore {
    const store = this.stores.store;
    if (!store) throw vscode.FileSystemError.Unavailable('The Runlog store is not open.');
    return store;
  }

  /** What the editor sees of the run's notes; remembered so a save is not mistaken for news. */
  private entry(uri: vscode.Uri): { uri: vscode.Uri; notes: string; mtime: number } {
    const key = keyOf(uri);
    const run = this.store().getRun(key);
    if (!run) throw vscode.FileSystemError.FileNotFound(`Run ${key} is not in the store any more.`);
    let entry = this.open.get(key);
    if (!entry) {
      entry = { uri, notes: run.notes, mtime: Date.now() };
      this.open.set(key, entry);
    }
    return entry;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const entry = this.entry(uri);
    return { type: vscode.FileType.File, ctime: entry.mtime, mtime: entry.mtime, size: Buffer.byteLength(entry.notes) };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const entry = this.entry(uri);
    entry.notes = this.store().getRun(keyOf(uri))?.notes ?? entry.notes;
    return Buffer.from(entry.notes, 'utf8');
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const key = keyOf(uri);
    const text = Buffer.from(content).toString('utf8');
    if (text.length > LIMITS.notes) {
      throw vscode.FileSystemError.NoPermissions(`Notes are limited to ${LIMITS.notes} characters; these have ${text.length}. Nothing was stored.`);
    }
    const entry = this.entry(uri);
    entry.notes = text;
    entry.mtime = Date.now();
    this.store().setNotes(key, text);
    this.store().sync();
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
