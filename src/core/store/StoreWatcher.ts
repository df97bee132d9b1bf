// Keeps a store current: fs events for low latency, a poll timer for whatever they miss (and for
// crash detection of runs that write nothing). Calls `sync` at most once per debounce window, with
// the paths the events named, so a pass reads only the folders that changed.

import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { INDEX_FILE } from './indexFile';

/** How long fs events gather before a pass: one pass per SDK flush (every 50 ms while it logs), soon after it. */
const DEBOUNCE_MS = 25;

/**
 * What a pass reads: the paths fs events named (`all` when an event named none), or, on the poll
 * timer, what the target checks on its own (live runs, a rolling slice of the rest).
 */
export type SyncScope = { readonly kind: 'paths'; readonly paths: readonly string[] } | { readonly kind: 'all' } | { readonly kind: 'tick' };

export interface WatchTarget {
  readonly dir: string;
  /** Ingests and emits; errors are the target's to report. */
  sync(scope: SyncScope): void;
  /** Reads what other processes changed (the index file changed). */
  poll(): void;
  /** Names of the projects in the index. */
  projectNames(): string[];
  /** Folders of the runs that look alive. */
  liveRunDirs(): string[];
}

export class StoreWatcher {
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private logTimer: NodeJS.Timeout | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;
  /** Paths named by the fs events since the last pass; `all` after an event that named none. */
  private touched: Set<string> | 'all' = new Set();

  constructor(private readonly target: WatchTarget) {}

  get started(): boolean {
    return this.pollTimer !== undefined;
  }

  start(pollMs: number): void {
    if (this.closed || this.pollTimer) return;
    this.pollTimer = setInterval(() => this.tick(), Math.max(50, pollMs));
    this.pollTimer.unref?.();
    this.updateWatchers();
  }

  private tick(): void {
    if (this.closed) return;
    this.target.sync({ kind: 'tick' });
    this.updateWatchers();
  }

  private schedule(path: string | undefined): void {
    if (this.closed) return;
    if (path === undefined) this.touched = 'all';
    else if (this.touched !== 'all') this.touched.add(path);
    if (this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      if (this.closed) return;
      const touched = this.touched;
      this.touched = new Set();
      this.target.sync(touched === 'all' ? { kind: 'all' } : { kind: 'paths', paths: [...touched] });
      this.updateWatchers();
    }, DEBOUNCE_MS);
    this.debounceTimer.unref?.();
  }

  private schedulePoll(): void {
    if (this.logTimer || this.closed) return;
    this.logTimer = setTimeout(() => {
      this.logTimer = undefined;
      if (!this.closed) this.target.poll();
    }, 10);
    this.logTimer.unref?.();
  }

  /**
   * The store, `projects/`, each project's `runs/` and each live run's folder (non-recursive
   * watchers; appends to a file show as events on its folder).
   */
  private updateWatchers(): void {
    if (!this.pollTimer) return;
    const dir = this.target.dir;
    if (process.platform === 'darwin' || process.platform === 'win32') {
      // Native recursive watching: one watcher on the whole store.
      if (this.watchers.size === 0) this.addWatcher(dir, true);
      return;
    }
    const wanted = new Set<string>([dir, join(dir, 'projects')]);
    for (const project of this.target.projectNames()) wanted.add(join(dir, 'projects', project, 'runs'));
    for (const runDir of this.target.liveRunDirs()) wanted.add(runDir);
    for (const [watched, watcher] of this.watchers) {
      if (!wanted.has(watched)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
    for (const w of wanted) if (!this.watchers.has(w)) this.addWatcher(w, false);
  }

  private addWatcher(dir: string, recursive: boolean): void {
    try {
      const watcher = watch(dir, { persistent: false, recursive }, (_event, filename) => {
        // A commit to the index (its -wal file grows): maybe another process ingested something.
        if (filename && basename(filename.toString()).startsWith(INDEX_FILE)) this.schedulePoll();
        else this.schedule(filename ? join(dir, filename.toString()) : undefined);
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch {
      // Not there yet, or no fs events here: polling covers it.
    }
  }

  close(): void {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.logTimer) clearTimeout(this.logTimer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
