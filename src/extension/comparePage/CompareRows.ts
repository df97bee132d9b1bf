// The rows a compare page holds: pages of a project's runs, newest first, read by keyset (its
// start time, then its ID) so that a run started or deleted while the user scrolls is neither
// lost nor listed twice. Refreshes re-read only what the page holds. No `vscode` here.

import type { RunCursor, RunInfo, RunKey, RunListQuery, RunlogStore } from '../../core/model';

/** Rows a page holds at first and gains each time its table is scrolled near its end. */
export const COMPARE_PAGE_ROWS = 200;

export interface RowsRead {
  /** Rows new to the page or changed since it was sent them. */
  readonly upserts: readonly RunInfo[];
  /** Rows the page held that are gone (deleted, or no longer selected by the filter). */
  readonly removed: readonly RunKey[];
  /** How many runs the filter selects in the project. */
  readonly total: number;
  /** More runs follow the last one held. */
  readonly hasMore: boolean;
}

/** True when run `a` comes before run `b`, newest first (ties by ID). */
function before(a: RunCursor, b: RunCursor): boolean {
  return a.startTime > b.startTime || (a.startTime === b.startTime && a.id < b.id);
}

export class CompareRows {
  /** The filter applied (undefined: none, or the one typed does not parse). */
  private _applied: string | undefined;
  private _filterError: string | null = null;
  /** What the page was sent, by run, as JSON (to send only what changed). */
  private _sent = new Map<RunKey, string>();
  /** The last run the page holds; undefined while it holds none. */
  private _cursor: RunCursor | undefined;
  private _hasMore = false;

  constructor(
    private readonly project: string,
    private readonly pageSize = COMPARE_PAGE_ROWS,
  ) {}

  get filterError(): string | null {
    return this._filterError;
  }

  /** More runs follow the last one held. */
  get hasMore(): boolean {
    return this._hasMore;
  }

  /** Starts over with the first page under `filter` (a filter that does not parse lists every run and says why). */
  reset(store: RunlogStore, filter: string): RowsRead & { readonly rows: readonly RunInfo[] } {
    this._applied = filter.trim() === '' ? undefined : filter;
    this._filterError = null;
    let rows: RunInfo[];
    try {
      rows = this.read(store, { limit: this.pageSize + 1 });
    } catch (e) {
      this._applied = undefined;
      this._filterError = e instanceof Error ? e.message : String(e);
      rows = this.read(store, { limit: this.pageSize + 1 });
    }
    this._hasMore = rows.length > this.pageSize;
    if (this._hasMore) rows = rows.slice(0, this.pageSize);
    this._cursor = rows.at(-1);
    const read = this.replace(rows);
    return { ...read, rows, total: this.count(store), hasMore: this._hasMore };
  }

  /** The page after the last run held (none when all are held). */
  next(store: RunlogStore): { readonly rows: readonly RunInfo[]; readonly total: number; readonly hasMore: boolean } {
    if (!this._hasMore || !this._cursor) return { rows: [], total: this.count(store), hasMore: false };
    let rows = this.read(store, { after: this._cursor, limit: this.pageSize + 1 });
    this._hasMore = rows.length > this.pageSize;
    if (this._hasMore) rows = rows.slice(0, this.pageSize);
    this.append(rows);
    return { rows, total: this.count(store), hasMore: this._hasMore };
  }

  /**
   * Extends what the page holds down to the oldest of `keys` that the filter selects, so that
   * they can be selected; returns the rows added.
   */
  include(store: RunlogStore, keys: readonly RunKey[]): readonly RunInfo[] {
    if (!this._hasMore || !this._cursor) return [];
    let target: RunCursor | undefined;
    for (const key of keys) {
      if (this._sent.has(key)) continue;
      const run = store.runInfo(key);
      if (run && run.project === this.project && (!target || before(target, run))) target = run;
    }
    if (!target || !before(this._cursor, target)) return [];
    const rows = this.read(store, { after: this._cursor, until: target });
    this.append(rows);
    this._cursor = target;
    return rows;
  }

  /**
   * Re-reads what the page holds: the runs in `changed` alone when nothing was added or removed
   * and no filter could now leave them out, else the whole range held (new runs come in at the
   * top; the runs past the last one held wait for their page).
   */
  refresh(store: RunlogStore, changed: ReadonlySet<RunKey> | 'range'): RowsRead {
    if (changed !== 'range' && this._applied === undefined) {
      const upserts: RunInfo[] = [];
      const removed: RunKey[] = [];
      for (const key of changed) {
        const old = this._sent.get(key);
        if (old === undefined) continue;
        const run = store.runInfo(key);
        if (!run) {
          removed.push(key);
          this._sent.delete(key);
        } else if (JSON.stringify(run) !== old) {
          upserts.push(run);
          this._sent.set(key, JSON.stringify(run));
        }
      }
      return { upserts, removed, total: this.count(store), hasMore: this._hasMore };
    }
    const rows = this.read(store, this._hasMore && this._cursor ? { until: this._cursor } : {});
    if (!this._hasMore) this._cursor = rows.at(-1);
    return { ...this.replace(rows), total: this.count(store), hasMore: this._hasMore };
  }

  private read(store: RunlogStore, query: RunListQuery): RunInfo[] {
    return store.listRuns(this.project, { ...query, filter: this._applied, sort: 'start', descending: true });
  }

  /** How many runs the filter selects. */
  count(store: RunlogStore): number {
    return store.count(this.project, this._applied);
  }

  private append(rows: readonly RunInfo[]): void {
    for (const row of rows) this._sent.set(row.key, JSON.stringify(row));
    if (rows.length > 0) this._cursor = rows.at(-1);
  }

  /** Holds `rows` instead of what was held: what changed, what went. */
  private replace(rows: readonly RunInfo[]): { upserts: RunInfo[]; removed: RunKey[] } {
    const next = new Map<RunKey, string>();
    const upserts: RunInfo[] = [];
    for (const row of rows) {
      const json = JSON.stringify(row);
      next.set(row.key, json);
      if (this._sent.get(row.key) !== json) upserts.push(row);
    }
    const removed = [...this._sent.keys()].filter((k) => !next.has(k));
    this._sent = next;
    return { upserts, removed };
  }
}
