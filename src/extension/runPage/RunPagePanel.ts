import * as vscode from 'vscode';
import type { HistorySeries, RunDetail, RunKey, RunlogStore, StoreChange } from '../../core/model';
import { assertNever } from '../../common/guards';
import { parseRunPageMessage, type HostToRunPage, type RunPageToHost, type SeriesScope } from '../../common/runPageProtocol';
import { packMessage, toWireSeries, type WireSeries, type WireSeriesTail } from '../../common/wire';
import type { StoreService } from '../store/StoreService';
import { PageMedia } from '../media/PageMedia';
import { toRunView } from '../webview/runViews';
import { Throttle } from '../util/Throttle';
import { WebviewPage } from '../webview/WebviewPage';
import { CHART_BUCKETS, HistoryFeed } from './HistoryFeed';
import { artifactAction, fileAction, logAction } from './runPageActions';
import { SentRunView } from './runPatch';
import type { RunOutputDocuments } from './runOutput';
import { tabTitle } from '../../common/displayText';

export const RUN_PAGE_VIEW_TYPE = 'runlog.runPage';
/**
 * Live updates reach a page at most every 50 ms while a tick costs under 5 ms of the host's time
 * (a point logged shows within the live-latency target), and less often as ticks cost more: a
 * page takes at most a tenth of the extension host, and never waits more than 250 ms.
 */
export const LIVE_INTERVAL = { minMs: 50, maxMs: 250, costFactor: 10 } as const;
/** The longest a live update waits. */
export const LIVE_INTERVAL_MS = LIVE_INTERVAL.maxMs;
const LOG_MATCH_LIMIT = 10_000;

export interface RunPageServices {
  readonly extensionUri: vscode.Uri;
  readonly stores: StoreService;
  readonly outputDocuments: RunOutputDocuments;
}

interface PendingChanges {
  run: boolean;
  /** Metric → earliest changed step. */
  history: Map<string, number>;
  system: boolean;
  output: boolean;
  removed: boolean;
  media: boolean;
}

function noChanges(): PendingChanges {
  return { run: false, history: new Map(), system: false, output: false, removed: false, media: false };
}

/** One webview panel showing one run. */
export class RunPagePanel extends WebviewPage<RunPageToHost, HostToRunPage> {
  private readonly _feed: HistoryFeed;
  private readonly _systemKeys = new Set<string>();
  private readonly _throttle: Throttle;
  private _pending = noChanges();
  private readonly _sent = new SentRunView();
  /** Media changes are pushed once the page showed its Media tab. */
  private readonly _media: PageMedia;
  private _revealMetric: string | undefined;
  private _deleted = false;
  private _openedAt: number;
  private _firstChartMs: number | undefined;
  private readonly _onDidDrawFirstChart = this._register(new vscode.EventEmitter<number>());
  /** Milliseconds from opening the page to its first chart drawn. */
  readonly onDidDrawFirstChart = this._onDidDrawFirstChart.event;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly _services: RunPageServices,
    readonly key: RunKey,
    openedAt: number,
  ) {
    const run = _services.stores.store?.getRun(key);
    const dirs = run ? (run.fileRoots ?? [run.dir]) : [];
    super(panel, _services.extensionUri, {
      script: 'runPage.js',
      styles: ['webview.css', 'runPage.css', 'mediaView.css'],
      parse: parseRunPageMessage,
      pack: packMessage,
      // Media files load from this run's folders and nowhere else (a run read in place: its source's too).
      roots: dirs.map((dir) => vscode.Uri.file(dir)),
    });
    this._openedAt = openedAt;
    this._feed = new HistoryFeed((metric, query) => this.requireStore().getHistory(this.key, metric, query));
    this._throttle = this._register(new Throttle(LIVE_INTERVAL, () => this.flush()));
    this._media = new PageMedia(
      panel.webview,
      () => {
        const store = this._services.stores.store;
        const run = this.currentRun();
        return store && run ? { store, runs: [{ key: run.key, name: run.name, dir: run.dir, roots: run.fileRoots }] } : undefined;
      },
      (message) => this.post(message),
      { anyRun: false },
    );
  }

  get firstChartMs(): number | undefined {
    return this._firstChartMs;
  }

  /** Shows the Charts tab at `metric`'s chart, now or as soon as the page is ready. */
  revealMetric(metric: string): void {
    this._revealMetric = metric;
    if (this.isReady) this.post({ type: 'revealMetric', key: metric });
  }

  reveal(openedAt: number): void {
    if (this._firstChartMs === undefined) this._openedAt = openedAt;
    this.panel.reveal();
  }

  /** The store changed; relevant changes reach the page at most every LIVE_INTERVAL (50–250 ms, by a tick's cost). */
  onStoreChanges(changes: readonly StoreChange[]): void {
    let relevant = false;
    for (const change of changes) {
      switch (change.kind) {
        case 'projects':
        case 'runAdded':
          continue;
        case 'runUpdated':
        case 'alert':
          if (change.run !== this.key) continue;
          this._pending.run = true;
          break;
        case 'runRemoved':
          if (change.run !== this.key) continue;
          this._pending.removed = true;
          break;
        case 'history':
          if (change.run !== this.key) continue;
          this._pending.run = true;
          for (const k of change.keys) this._pending.history.set(k, Math.min(this._pending.history.get(k) ?? Infinity, change.fromStep));
          break;
        case 'system':
          if (change.run !== this.key) continue;
          this._pending.system = true;
          break;
        case 'output':
          if (change.run !== this.key) continue;
          this._pending.output = true;
          break;
        case 'media':
          if (change.run !== this.key) continue;
          this._pending.media = true;
          break;
        case 'rebuilt':
          this.reload();
          continue;
        default:
          assertNever(change);
      }
      relevant = true;
    }
    if (relevant && this.isReady) this._throttle.schedule();
  }

  /** Start over from a snapshot (the store was reopened or rebuilt). */
  reload(): void {
    this._pending = noChanges();
    this._feed.reset();
    this._systemKeys.clear();
    if (this.isReady) this.postSnapshot();
  }

  private requireStore(): RunlogStore {
    const store = this._services.stores.store;
    if (!store) throw new Error(`The Runlog store at ${this._services.stores.dir} is not open.`);
    return store;
  }

  private currentRun(): RunDetail | undefined {
    return this._services.stores.store?.getRun(this.key);
  }

  async handle(message: RunPageToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.reload();
        if (this._revealMetric !== undefined) this.post({ type: 'revealMetric', key: this._revealMetric });
        return;
      case 'requestSeries':
        this.sendSeries(message.scope, message.keys);
        return;
      case 'zoom':
        this.sendZoom(message.requestId, message.scope, message.keys, message.fromStep, message.toStep);
        return;
      case 'requestLines': {
        const lines = this.requireStore().readOutput(this.key, message.from, message.count);
        this.post({ type: 'lines', from: message.from, lines });
        return;
      }
      case 'searchLogs': {
        const query = message.query;
        const lines = query.trim() === '' ? [] : this.requireStore().searchOutput(this.key, query, LOG_MATCH_LIMIT);
        this.post({ type: 'logMatches', requestId: message.requestId, query, lines, limited: lines.length >= LOG_MATCH_LIMIT });
        return;
      }
      case 'setNotes':
        this.requireStore().setNotes(this.key, message.notes);
        return;
      case 'setTags':
        this.requireStore().setTags(this.key, message.tags);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('Copied to the clipboard', 2000);
        return;
      case 'logAction': {
        const run = this.currentRun();
        if (!run) return this.markDeleted();
        await logAction(this.requireStore(), run, message.action);
        return;
      }
      case 'fileAction': {
        const run = this.currentRun();
        if (!run) return this.markDeleted();
        await fileAction(run, message);
        return;
      }
      case 'artifactAction': {
        const run = this.currentRun();
        if (!run) return this.markDeleted();
        await artifactAction(this.requireStore(), run, message);
        return;
      }
      case 'firstChartDrawn':
        if (this._firstChartMs === undefined) {
          this._firstChartMs = Math.max(0, message.at - this._openedAt);
          this._onDidDrawFirstChart.fire(this._firstChartMs);
        }
        // The chart is up: now the media index, so the Media tab opens on images and rows.
        this._media.prefetch();
        return;
      case 'requestMedia':
      case 'requestTableRows':
        await this._media.handle(message);
        return;
      default:
        assertNever(message);
    }
  }

  private postSnapshot(): void {
    const run = this.currentRun();
    if (!run) {
      this.markDeleted();
      return;
    }
    this._deleted = false;
    this.panel.title = tabTitle(run.name);
    const view = toRunView(run);
    this._sent.reset(view);
    this.post({ type: 'snapshot', run: view });
  }

  private markDeleted(): void {
    this._deleted = true;
    this.panel.title = `${this.panel.title.replace(/ \(deleted\)$/, '')} (deleted)`;
    this.post({ type: 'runDeleted', key: this.key });
  }

  private sendSeries(scope: SeriesScope, keys: readonly string[]): void {
    const store = this.requireStore();
    const run = store.getRun(this.key);
    if (!run) return this.markDeleted();
    if (scope === 'history') {
      const spans = new Map(run.metrics.map((m) => [m.key, m]));
      const series: WireSeries[] = [];
      for (const key of keys) {
        const span = spans.get(key);
        if (span) series.push(this._feed.whole(span));
      }
      this.post({ type: 'series', scope, series });
    } else {
      const known = new Set(run.systemMetrics);
      const wanted = keys.filter((k) => known.has(k));
      for (const k of wanted) this._systemKeys.add(k);
      this.post({ type: 'series', scope, series: wanted.map((k) => this.systemSeries(store, k)) });
    }
  }

  private systemSeries(store: RunlogStore, metric: string): WireSeries {
    return toWireSeries(store.getSystem(this.key, metric, { buckets: CHART_BUCKETS }));
  }

  private sendZoom(requestId: number, scope: SeriesScope, keys: readonly string[], fromStep: number, toStep: number): void {
    const store = this.requireStore();
    const query = { fromStep: Math.floor(fromStep), toStep: Math.ceil(toStep), buckets: CHART_BUCKETS };
    const series = keys.map((k): HistorySeries => (scope === 'history' ? store.getHistory(this.key, k, query) : store.getSystem(this.key, k, query)));
    this.post({ type: 'zoomData', requestId, scope, fromStep, toStep, series: series.map(toWireSeries) });
  }

  private flush(): void {
    if (this.isDisposed || !this.isReady) return;
    const pending = this._pending;
    this._pending = noChanges();
    const store = this._services.stores.store;
    const run = store?.getRun(this.key);
    if (pending.removed || !store || !run) {
      if (!this._deleted) this.markDeleted();
      return;
    }
    if (this._deleted) {
      this.postSnapshot();
      return;
    }
    if (pending.run || pending.output || pending.history.size > 0) {
      if (this.panel.title !== tabTitle(run.name)) this.panel.title = tabTitle(run.name);
      const fields = this._sent.patch(toRunView(run));
      if (fields) this.post({ type: 'runPatch', key: this.key, fields });
    }
    if (pending.history.size > 0) {
      const whole: WireSeries[] = [];
      const tails: WireSeriesTail[] = [];
      for (const span of run.metrics) {
        if (!this._feed.has(span.key)) continue;
        if (!pending.history.has(span.key)) continue;
        const changedFrom = pending.history.get(span.key);
        // A change that starts at or before what the page has is a rewrite (rewind), not an append.
        const update = this._feed.update(span, changedFrom);
        if (update?.kind === 'whole') whole.push(update.series);
        else if (update?.kind === 'tail') tails.push(update.tail);
      }
      if (whole.length > 0) this.post({ type: 'series', scope: 'history', series: whole });
      if (tails.length > 0) this.post({ type: 'seriesTail', scope: 'history', tails });
    }
    if (pending.system && this._systemKeys.size > 0) {
      const known = new Set(run.systemMetrics);
      const keys = [...this._systemKeys].filter((k) => known.has(k));
      this.post({ type: 'series', scope: 'system', series: keys.map((k) => this.systemSeries(store, k)) });
    }
    if (pending.media && this._media.wanted) this._media.postIndex();
    else if (pending.media) this._media.markStale();
    if (pending.output) {
      this.post({ type: 'logLength', total: run.outputLines });
      this._services.outputDocuments.refresh(this.key);
    }
  }
}
