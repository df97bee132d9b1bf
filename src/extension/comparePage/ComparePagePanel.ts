import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRunKey, type RunKey, type RunlogStore, type StoreChange } from '../../core/model';
import {
  parseComparePageMessage,
  type ComparePageToHost,
  type HostToComparePage,
  type RunSeries,
  type RunsActionMessage,
} from '../../common/comparePageProtocol';
import { assertNever } from '../../common/guards';
import { normalizeTags } from '../../common/runPageProtocol';
import { packMessage, toWireSeries } from '../../common/wire';
import type { StoreService } from '../store/StoreService';
import type { MediaRun } from '../media/MediaFeed';
import { PageMedia } from '../media/PageMedia';
import { toRunRow } from '../webview/runViews';
import { Throttle } from '../util/Throttle';
import { WebviewPage } from '../webview/WebviewPage';
import { plainText } from '../util/plainText';
import { CompareRows } from './CompareRows';

export const COMPARE_PAGE_VIEW_TYPE = 'runlog.comparePage';
/** Rows and chart data reach a compare page at most once a second while runs are live. */
export const COMPARE_INTERVAL_MS = 1000;
/** Points per run and metric on the compare charts (min/max buckets). */
export const COMPARE_BUCKETS = 500;
const MAX_METRICS_PER_RUN = 200;
const MAX_OPEN = 10;

export interface ComparePageServices {
  readonly extensionUri: vscode.Uri;
  readonly stores: StoreService;
  readonly openRun: (key: RunKey) => void;
}

/** One webview panel comparing the runs of one project. */
export class ComparePagePanel extends WebviewPage<ComparePageToHost, HostToComparePage> {
  private _filter = '';
  /** The rows the page holds: pages newest first, by keyset. */
  private readonly _rows: CompareRows;
  private _chartRuns: readonly RunKey[] = [];
  /** Runs added or removed (or the index rebuilt): the whole range held is read again. */
  private _rangeDirty = false;
  /** Runs that changed: only these are read again (when no filter could leave them out). */
  private readonly _rowsChanged = new Set<RunKey>();
  private readonly _seriesDirty = new Set<RunKey>();
  private readonly _throttle: Throttle;
  private _pendingSelect: readonly RunKey[] | undefined;
  /** Once the page asked for media, the shown runs' media index is pushed when it changes. */
  private readonly _media: PageMedia;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly _services: ComparePageServices,
    readonly project: string,
    select?: readonly RunKey[],
  ) {
    super(panel, _services.extensionUri, {
      script: 'comparePage.js',
      styles: ['webview.css', 'comparePage.css', 'mediaView.css'],
      parse: parseComparePageMessage,
      pack: packMessage,
      // Media files load from the project's run folders (each path is checked against its own run),
      // and from the folders of the runs read in place from another tool (W&B's) when the page opens.
      roots: [vscode.Uri.file(path.join(_services.stores.dir, 'projects', project, 'runs')), ...sourceRoots(_services.stores.store, project)],
    });
    this._pendingSelect = select;
    this._rows = new CompareRows(project);
    this._throttle = this._register(new Throttle(COMPARE_INTERVAL_MS, () => this.flush()));
    this._media = new PageMedia(
      panel.webview,
      () => {
        const store = this._services.stores.store;
        return store ? { store, runs: this.mediaRuns(store) } : undefined;
      },
      (message) => this.post(message),
      { anyRun: true },
    );
  }

  reveal(select?: readonly RunKey[]): void {
    this.panel.reveal();
    if (select && select.length > 0) {
      if (!this.isReady) {
        this._pendingSelect = select;
        return;
      }
      this.postIncluded(select);
      this.post({ type: 'select', runs: select });
    }
  }

  onStoreChanges(changes: readonly StoreChange[]): void {
    let relevant = false;
    for (const change of changes) {
      switch (change.kind) {
        case 'projects':
        case 'system':
        case 'output':
        case 'alert':
          continue;
        case 'media':
          if (!this._media.wanted || !this._chartRuns.includes(change.run)) continue;
          this._media.markStale();
          break;
        case 'rebuilt':
          this._rangeDirty = true;
          this._chartRuns.forEach((k) => this._seriesDirty.add(k));
          break;
        case 'runAdded':
        case 'runRemoved':
          if (!this.owns(change.run)) continue;
          this._rangeDirty = true;
          break;
        case 'runUpdated':
          if (!this.owns(change.run)) continue;
          this._rowsChanged.add(change.run);
          break;
        case 'history':
          if (!this.owns(change.run)) continue;
          this._rowsChanged.add(change.run);
          if (this._chartRuns.includes(change.run)) this._seriesDirty.add(change.run);
          break;
        default:
          assertNever(change);
      }
      relevant = true;
    }
    if (relevant && this.isReady) this._throttle.schedule();
  }

  /** Start over from a snapshot (the store was reopened). */
  reload(): void {
    if (this.isReady) this.postSnapshot();
  }

  private owns(key: RunKey): boolean {
    return parseRunKey(key)?.project === this.project;
  }

  private requireStore(): RunlogStore {
    const store = this._services.stores.store;
    if (!store) throw new Error(`The Runlog store at ${this._services.stores.dir} is not open.`);
    return store;
  }

  async handle(message: ComparePageToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.postSnapshot();
        return;
      case 'setFilter': {
        this._filter = message.filter;
        const store = this._services.stores.store;
        if (!store) return;
        // A new filter is a new list: its first page, in place of what the page held.
        const { upserts, removed, total, hasMore } = this._rows.reset(store, this._filter);
        this.post({ type: 'rowsDelta', filter: this._filter, filterError: this._rows.filterError, upserts: upserts.map(toRunRow), removed, total, hasMore });
        return;
      }
      case 'setSort': {
        const store = this._services.stores.store;
        if (!store) return;
        // A new order is a new list too: its first page (every run in that order, not only those held).
        const { upserts, removed, total, hasMore } = this._rows.reset(store, this._filter, message.sort);
        this.post({ type: 'rowsDelta', filter: this._filter, filterError: this._rows.filterError, upserts: upserts.map(toRunRow), removed, total, hasMore });
        return;
      }
      case 'loadMore': {
        const store = this._services.stores.store;
        const { rows, total, hasMore } = store ? this._rows.next(store) : { rows: [], total: 0, hasMore: false };
        this.post({ type: 'rowsPage', rows: rows.map(toRunRow), total, hasMore });
        return;
      }
      case 'chartRuns':
        this._chartRuns = message.runs.filter((k) => this.owns(k));
        this.sendSeries(this._chartRuns);
        if (this._media.wanted) this._media.postIndex();
        return;
      case 'requestMedia':
      case 'requestTableRows':
        await this._media.handle(message);
        return;
      case 'runsAction':
        await this.runsAction(message);
        return;
      default:
        assertNever(message);
    }
  }

  private mediaRuns(store: RunlogStore): MediaRun[] {
    const out: MediaRun[] = [];
    for (const key of this._chartRuns) {
      const run = store.getRun(key);
      if (run) out.push({ key, name: run.name, dir: run.dir, roots: run.fileRoots });
    }
    return out;
  }

  private postSnapshot(): void {
    const store = this._services.stores.store;
    const select = this._pendingSelect;
    this._pendingSelect = undefined;
    if (!store) {
      this.post({ type: 'snapshot', project: this.project, filter: this._filter, filterError: null, sort: this._rows.order, rows: [], total: 0, hasMore: false });
      return;
    }
    const first = this._rows.reset(store, this._filter);
    // Runs to select further down than the first page are held too, so the page can select them.
    const rows = select && select.length > 0 ? [...first.rows, ...this._rows.include(store, select)] : first.rows;
    this.post({
      type: 'snapshot',
      project: this.project,
      filter: this._filter,
      filterError: this._rows.filterError,
      sort: this._rows.order,
      rows: rows.map(toRunRow),
      total: first.total,
      hasMore: this._rows.hasMore,
    });
    if (select && select.length > 0) this.post({ type: 'select', runs: select });
  }

  /** Holds the runs of `keys` (extending the pages held down to the oldest) and sends what was added. */
  private postIncluded(keys: readonly RunKey[]): void {
    const store = this._services.stores.store;
    if (!store) return;
    const rows = this._rows.include(store, keys);
    if (rows.length > 0) this.post({ type: 'rowsPage', rows: rows.map(toRunRow), total: this._rows.count(store), hasMore: this._rows.hasMore });
  }

  private flush(): void {
    if (this.isDisposed || !this.isReady) return;
    if (this._media.stale) this._media.postIndex();
    const store = this._services.stores.store;
    if (store && (this._rangeDirty || this._rowsChanged.size > 0)) {
      const range = this._rangeDirty;
      const { upserts, removed, total, hasMore } = this._rows.refresh(store, range ? 'range' : this._rowsChanged);
      this._rangeDirty = false;
      this._rowsChanged.clear();
      // Runs added or removed past the rows held change the count alone: it is sent too.
      if (range || upserts.length > 0 || removed.length > 0) {
        this.post({ type: 'rowsDelta', filter: this._filter, filterError: this._rows.filterError, upserts: upserts.map(toRunRow), removed, total, hasMore });
      }
    }
    if (this._seriesDirty.size > 0) {
      const runs = [...this._seriesDirty].filter((k) => this._chartRuns.includes(k));
      this._seriesDirty.clear();
      if (runs.length > 0) this.sendSeries(runs);
    }
  }

  private sendSeries(runs: readonly RunKey[]): void {
    const store = this._services.stores.store;
    if (!store) return;
    const series: RunSeries[] = [];
    for (const run of runs) {
      const detail = store.getRun(run);
      if (!detail) continue;
      for (const metric of detail.metrics.slice(0, MAX_METRICS_PER_RUN)) {
        const s = store.getHistory(run, metric.key, { buckets: COMPARE_BUCKETS });
        series.push({ ...toWireSeries(s), run });
      }
    }
    this.post({ type: 'series', runs, series });
  }

  private async runsAction(message: RunsActionMessage): Promise<void> {
    const store = this.requireStore();
    const runs = message.runs.filter((k) => this.owns(k)).map((k) => store.getRun(k)).filter((r) => r !== undefined);
    if (runs.length === 0) return;
    switch (message.action) {
      case 'open': {
        for (const run of runs.slice(0, MAX_OPEN)) this._services.openRun(run.key);
        if (runs.length > MAX_OPEN) void vscode.window.showInformationMessage(`Opened the first ${MAX_OPEN} of ${runs.length} selected runs.`);
        return;
      }
      case 'delete': {
        const running = runs.filter((r) => r.state === 'running').length;
        const what = runs.length === 1 ? `run "${runs[0]!.name}"` : `${runs.length} runs`;
        const detail = `Their files are deleted too; this cannot be undone.${running > 0 ? ` ${running} of them ${running === 1 ? 'is' : 'are'} still running.` : ''}`;
        const answer = await vscode.window.showWarningMessage(plainText(`Delete ${what}?`), { modal: true, detail }, 'Delete');
        if (answer !== 'Delete') return;
        store.deleteRuns(runs.map((r) => r.key));
        return;
      }
      case 'tag': {
        const input = await vscode.window.showInputBox({
          title: `Tag ${runs.length === 1 ? runs[0]!.name : `${runs.length} runs`}`,
          prompt: 'Tag to add (several separated by commas)',
          validateInput: (v) => (normalizeTags(v.split(',')).length === 0 ? 'Enter a tag' : undefined),
        });
        if (input === undefined) return;
        const added = normalizeTags(input.split(','));
        for (const run of runs) store.setTags(run.key, normalizeTags([...run.tags, ...added]));
        return;
      }
      default:
        assertNever(message.action);
    }
  }
}

/** The folders of the project's runs read in place from another tool's files (their media are there). */
function sourceRoots(store: RunlogStore | undefined, project: string): vscode.Uri[] {
  if (!store) return [];
  return store.sourceFileRoots(project).map((dir) => vscode.Uri.file(dir));
}
