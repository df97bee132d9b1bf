// The read side of the store: every question the editor, the CLI and the tests ask of the index,
// answered by query/ and history/ over the connection the store has open now (Store.ts swaps it
// when the index file is replaced or rebuilt).

import type {
  FileCallsite,
  GroupCount,
  HistoryQuery,
  HistorySeries,
  MediaItem,
  MediaKeyInfo,
  MediaQuery,
  MetricCallsite,
  OutputLine,
  ProjectInfo,
  RunDetail,
  RunInfo,
  RunKey,
  RunListQuery,
  RunOrder,
  RunPageQuery,
  PageCursor,
} from '../model';
import { emptySeries } from '../history/downsample';
import { HistoryReader } from '../history/HistoryReader';
import type { RunRow } from '../index/rows';
import type { Db } from '../index/schema';
import { CallsiteQueries } from '../query/callsites';
import { MediaQueries } from '../query/media';
import { RunQueries } from '../query/RunQueries';

export abstract class StoreReads {
  protected queries!: RunQueries;
  protected history!: HistoryReader;
  protected media!: MediaQueries;
  protected callsites!: CallsiteQueries;

  /** Points every read at `db` (a store's connection, new after a rebuild). */
  protected attachReads(db: Db, dir: string, now: () => number): void {
    this.history = new HistoryReader(db);
    this.media = new MediaQueries(db);
    this.callsites = new CallsiteQueries(db);
    this.queries = new RunQueries(db, dir, this.history, now);
  }

  listProjects(): ProjectInfo[] {
    return this.queries.listProjects();
  }

  listRuns(project: string | undefined, query: RunListQuery = {}): RunInfo[] {
    return this.queries.listRuns(project, query);
  }

  pageRuns(project: string, query: RunPageQuery): { runs: RunInfo[]; cursors: PageCursor[] } {
    return this.queries.pageRuns(project, query);
  }

  cursorsOf(project: string, ids: readonly string[], order: RunOrder): Map<string, PageCursor> {
    return this.queries.cursorsOf(project, ids, order);
  }

  sourceFileRoots(project: string): string[] {
    return this.queries.sourceFileRoots(project);
  }

  hasSourcedRuns(): boolean {
    return this.queries.hasSourcedRuns();
  }

  runInfo(key: RunKey): RunInfo | undefined {
    return this.queries.runInfo(key);
  }

  liveRuns(): RunInfo[] {
    return this.queries.liveRuns();
  }

  count(project?: string, filter?: string): number {
    return this.queries.count(project, filter);
  }

  filterNotSql(filter: string): readonly string[] {
    return this.queries.filterNotSql(filter);
  }

  groupCounts(project: string, filter?: string): GroupCount[] {
    return this.queries.groupCounts(project, filter);
  }

  getRun(key: RunKey): RunDetail | undefined {
    return this.queries.getRun(key);
  }

  getHistory(key: RunKey, metric: string, query: HistoryQuery = {}): HistorySeries {
    const row = this.queries.row(key);
    return row ? this.history.metric(row, metric, query) : emptySeries(metric);
  }

  getSystem(key: RunKey, metric: string, query: HistoryQuery = {}): HistorySeries {
    const row = this.queries.row(key);
    return row ? this.history.system(row, metric, query) : emptySeries(metric);
  }

  readOutput(key: RunKey, fromLine: number, count: number): OutputLine[] {
    return this.queries.readOutput(key, fromLine, count);
  }

  listMediaKeys(key: RunKey): MediaKeyInfo[] {
    const row = this.queries.row(key);
    return row ? this.media.listKeys(row.rid) : [];
  }

  listMedia(key: RunKey, query?: MediaQuery): MediaItem[] {
    const row = this.queries.row(key);
    return row ? this.media.list(row.rid, query) : [];
  }

  listCallsites(key: RunKey): MetricCallsite[] {
    const row = this.queries.row(key);
    return row ? this.callsites.list(row.rid) : [];
  }

  callsitesInFile(file: string, limit = 2000): FileCallsite[] {
    return this.callsites.inFileOf(file, limit);
  }

  searchOutput(key: RunKey, text: string, limit = 1000): number[] {
    return this.queries.searchOutput(key, text, limit);
  }

  /** Every history step of a run in step order, one object per step (for export). */
  *historyRows(key: RunKey, pageSteps = 10_000): IterableIterator<{ step: number; ts: number; values: Record<string, number | null> }> {
    const row: RunRow | undefined = this.queries.row(key);
    if (row) yield* this.history.rows(row, pageSteps);
  }
}
