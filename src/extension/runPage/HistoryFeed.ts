// Decides which history points a run page receives: the whole range in about CHART_BUCKETS
// min/max buckets once, then only tails. Buckets sit on a fixed grid of `width` steps from the
// series' first step, so a tail re-sends just the bucket that was still filling plus the new
// ones, and a spike inside any bucket stays visible. When the run has grown to twice the grid,
// the series is sent whole again on a coarser grid, so the page never holds more than a few
// thousand points per chart whatever the run's length.
import type { HistoryQuery, HistorySeries, MetricKeyInfo } from '../../core/model';
import { toWireSeries, type WireSeries, type WireSeriesTail } from '../../common/wire';

export const CHART_BUCKETS = 1000;

/** What the feed needs to know of a metric: its step span and row count. */
export type MetricSpan = Pick<MetricKeyInfo, 'key' | 'count' | 'firstStep' | 'lastStep'>;

export type HistoryQueryFn = (metric: string, query: HistoryQuery) => HistorySeries;

interface SentSeries {
  /** First step of the grid. */
  readonly first: number;
  /** Steps per bucket; 0 while the series is sent row by row. */
  readonly width: number;
  /** Last step the page has. */
  sentLast: number;
}

export type FeedUpdate = { readonly kind: 'whole'; readonly series: WireSeries } | { readonly kind: 'tail'; readonly tail: WireSeriesTail };

export class HistoryFeed {
  private readonly _sent = new Map<string, SentSeries>();

  constructor(
    private readonly _query: HistoryQueryFn,
    private readonly _buckets = CHART_BUCKETS,
  ) {}

  /** Keys the page has asked for. */
  get keys(): string[] {
    return [...this._sent.keys()];
  }

  has(key: string): boolean {
    return this._sent.has(key);
  }

  /** Forget everything sent (the page reloaded). */
  reset(): void {
    this._sent.clear();
  }

  /** The whole series, and from now on tails for it. */
  whole(span: MetricSpan): WireSeries {
    const { width, query } = this.gridFor(span);
    const series = this._query(span.key, query);
    const steps = series.steps;
    this._sent.set(span.key, {
      first: span.firstStep,
      width: series.downsampled ? width : 0,
      sentLast: steps.length > 0 ? steps[steps.length - 1]! : Number.NEGATIVE_INFINITY,
    });
    return { ...toWireSeries(series), totalPoints: span.count };
  }

  /**
   * What the page lacks of a series after the store changed it from `changedFrom` on
   * (undefined: appended only). Nothing when the page never asked for it or holds it all.
   */
  update(span: MetricSpan, changedFrom?: number): FeedUpdate | undefined {
    const sent = this._sent.get(span.key);
    if (!sent) return undefined;
    if (changedFrom === undefined && span.lastStep <= sent.sentLast) return undefined;
    if (span.firstStep !== sent.first) return { kind: 'whole', series: this.whole(span) };
    const earliest = Math.min(changedFrom ?? Number.POSITIVE_INFINITY, sent.sentLast + (sent.width > 0 ? 0 : 1));
    if (sent.width > 0) {
      const from = sent.first + Math.floor((Math.max(earliest, sent.first) - sent.first) / sent.width) * sent.width;
      const buckets = Math.ceil((span.lastStep - from + 1) / sent.width);
      if ((span.lastStep - sent.first + 1) / sent.width > 2 * this._buckets) return { kind: 'whole', series: this.whole(span) };
      const series = this._query(span.key, { fromStep: from, toStep: from + buckets * sent.width - 1, buckets: Math.max(1, buckets) });
      return { kind: 'tail', tail: this.tail(sent, series, from, span) };
    }
    const from = Math.max(earliest, span.firstStep);
    const series = this._query(span.key, { fromStep: from, toStep: span.lastStep, buckets: this._buckets });
    if (series.downsampled || span.count > 2 * this._buckets) return { kind: 'whole', series: this.whole(span) };
    return { kind: 'tail', tail: this.tail(sent, series, from, span) };
  }

  private tail(sent: SentSeries, series: HistorySeries, from: number, span: MetricSpan): WireSeriesTail {
    const steps = series.steps;
    if (steps.length > 0) sent.sentLast = steps[steps.length - 1]!;
    return { ...toWireSeries(series), totalPoints: span.count, fromStep: from };
  }

  private gridFor(span: MetricSpan): { width: number; query: HistoryQuery } {
    const length = span.lastStep - span.firstStep + 1;
    if (span.count <= this._buckets || length <= this._buckets) {
      return { width: 1, query: { buckets: this._buckets } };
    }
    const width = Math.ceil(length / this._buckets);
    const buckets = Math.ceil(length / width);
    return { width, query: { fromStep: span.firstStep, toStep: span.firstStep + buckets * width - 1, buckets } };
  }
}
