// The rows a compare page holds: pages of a project's runs in the table's order (newest first
// unless the user sorts by a column), read by keyset (the run's value of the column, its start
// time, its ID) so that a run started or deleted while the user scrolls is neither lost nor
// listed twice, and a sort by a column orders every run, not only those held. Refreshes re-read
// only what the page holds. No `vscode` here.

import type { PageCursor, RunInfo, RunKey, RunOrder, RunPageQuery, RunlogStore } from '../../core/model';
import { compareCursors, isOrderColumn } from '../../core/query/order';

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

export const NEWEST_FIRST: RunOrder = { column: 'start', descending: true };

type Page = { runs: RunInfo[]; cursors: PageCursor[] };

export class CompareRows {
  /** The filter applied (undefined: none, or the one typed does not parse). */
  private _applied: string | undefined;
  private _filterError: string | null = null;
  /** What the page was sent, by run, as JSON (to send only what changed). */
  private _sent = new Map<RunKey, string>();
  /** The last run the page holds; undefined while it holds none. */
  private _cursor: PageCursor | undefined;
  private _hasMore = false;
  private _order: RunOrder = NEWEST_FIRST;

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

  /** The order the rows are read in. */
  get order(): RunOrder {
    return this._order;
  }

  /**
   * Starts over with the first page under `filter` (a filter that does not parse lists every run
   * and says why), in `order` when given (a column runs cannot be sorted by keeps newest first).
   */
  reset(store: RunlogStore, filter: string, order?: RunOrder): RowsRead & { readonly rows: readonly RunInfo[] } {
    if (order) this._order = isOrderColumn(order.column) ? { column: order.column, descending: order.descending } : NEWEST_FIRST;
    this._applied = filter.trim() === '' ? undefined : filter;
    this._filterError = null;
    let page: Page;
    try {
      page = this.read(store, { limit: this.pageSize + 1 });
    } catch (e) {
      this._applied = undefined;
      this._filterError = e instanceof Error ? e.message : String(e);
      page = this.read(store, { limit: this.pageSize + 1 });
    }
    const rows = this.take(page);
    const read = this.replace(rows);
    return { ...read, rows, total: this.count(store), hasMore: this._hasMore };
  }

  /** The page after the last run held (none when all are held). */
  next(store: RunlogStore): { readonly rows: readonly RunInfo[]; readonly total: number; readonly hasMore: boolean } {
    if (!this._hasMore || !this._cursor) return { rows: [], total: this.count(store), hasMore: false };
    const rows = this.take(this.read(store, { after: this._cursor, limit: this.pageSize + 1 }));
    this.append(rows);
    return { rows, total: this.count(store), hasMore: this._hasMore };
  }

  /** The first `pageSize` runs of a page read one longer (to know whether more follow); the cursor moves to the last. */
  private take(page: Page): RunInfo[] {
    this._hasMore = page.runs.length > this.pageSize;
    const n = Math.min(page.runs.length, this.pageSize);
    this._cursor = page.cursors[n - 1];
    return page.runs.slice(0, n);
  }

  /**
   * Extends what the page holds down to the oldest of `keys` that the filter selects, so that
   * they can be selected; returns the rows added.
   */
  include(store: RunlogStore, keys: readonly RunKey[]): readonly RunInfo[] {
    if (!this._hasMore || !this._cursor) return [];
    const prefix = `${this.project}/`;
    const ids = keys.filter((k) => !this._sent.has(k) && k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const { descending } = this._order;
    let target: PageCursor | undefined;
    for (const c of store.cursorsOf(this.project, ids, this._order).values()) {
      if (!target || compareCursors(target, c, descending) < 0) target = c;
    }
    if (!target || compareCursors(this._cursor, target, descending) >= 0) return [];
    const rows = this.read(store, { after: this._cursor, until: target }).runs;
    this.append(rows);
    this._cursor = target;
    return rows;
  }

  /**
   * Re-reads what the page holds: the runs in `changed` alone when nothing was added or removed
   * and neither a filter nor the order could now leave them out, else the whole range held (new
   * runs come in at their place; the runs past the last one held wait for their page).
   */
  refresh(store: RunlogStore, changed: ReadonlySet<RunKey> | 'range'): RowsRead {
    // A run's value of the sort column (but its start) can change: it may move in or out of the range held.
    if (changed !== 'range' && this._applied === undefined && this._order.column === 'start') {
      const upserts: RunInfo[] = [];
      const removed: RunKey[] = [];
      for (const key of changed) {
        const old = this._sent.get(key);
        if (old === undefined) continue;
        const run = store.runInfo(key);
        if (!run) {
          removed.push(key);
          this._sent.delete(key);
        } else {
          const json = JSON.stringify(run);
          if (json === old) continue;
          upserts.push(run);
          this._sent.set(key, json);
        }
      }
      return { upserts, removed, total: this.count(store), hasMore: this._hasMore };
    }
    const page = this.read(store, this._hasMore && this._cursor ? { until: this._cursor } : {});
    if (!this._hasMore) this._cursor = page.cursors.at(-1);
    return { ...this.replace(page.runs), total: this.count(store), hasMore: this._hasMore };
  }

  private read(store: RunlogStore, query: Omit<RunPageQuery, 'filter' | 'order'>): Page {
    return store.pageRuns(this.project, { ...query, filter: this._applied, order: this._order });
  }

  /** How many runs the filter selects. */
  count(store: RunlogStore): number {
    return store.count(this.project, this._applied);
  }

  private append(rows: readonly RunInfo[]): void {
    for (const row of rows) this._sent.set(row.key, JSON.stringify(row));
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
