// Reads metric and system history for charts and export: raw rows when few, otherwise min/max
// buckets folded from the level-of-detail blocks and the rows at either end.

import type { Statement } from 'better-sqlite3';
import type { HistoryQuery, HistorySeries } from '../model';
import type { MetricKeyRow } from '../index/rows';
import type { Db } from '../index/schema';
import { bucketLayout, emptySeries, MinMaxBuckets, rawSeries } from './downsample';
import { LOD_LEVELS, type LodRow } from './lod';

type Raw3 = [number, number | null, number];

/** The run a read is for: its row id and how many system samples it has. */
export interface HistoryRun {
  readonly rid: number;
  readonly system_samples: number;
}

export class HistoryReader {
  private readonly metricKeys: Statement;
  private readonly metricKey: Statement;
  private readonly historyRange: Statement;
  private readonly countRangeLimited: Statement;
  private readonly nextStep: Statement;
  private readonly lodRange: Statement;
  private readonly systemKey: Statement;
  private readonly systemRange: Statement;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.metricKeys = p('SELECT * FROM metric_keys WHERE run = ? ORDER BY key');
    this.metricKey = p('SELECT * FROM metric_keys WHERE run = ? AND key = ?');
    this.historyRange = p('SELECT step, value, ts FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step').raw();
    this.countRangeLimited = p('SELECT count(*) FROM (SELECT 1 FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? LIMIT ?)').pluck();
    this.nextStep = p('SELECT min(step) FROM history WHERE run = ? AND key = ? AND step > ?').pluck();
    this.lodRange = p('SELECT block, count, min_step, min_value, min_ts, max_step, max_value, max_ts FROM history_lod WHERE key = ? AND level = ? AND block BETWEEN ? AND ? ORDER BY block').raw();
    this.systemKey = p('SELECT skid FROM system_keys WHERE run = ? AND key = ?').pluck();
    this.systemRange = p('SELECT idx, value, ts FROM system WHERE run = ? AND key = ? AND idx BETWEEN ? AND ? ORDER BY idx').raw();
  }

  /** The metric keys of a run with their stats, by name. */
  keys(rid: number): MetricKeyRow[] {
    return this.metricKeys.all(rid) as MetricKeyRow[];
  }

  metric(run: HistoryRun, metric: string, query: HistoryQuery = {}): HistorySeries {
    const meta = this.metricKey.get(run.rid, metric) as MetricKeyRow | undefined;
    if (!meta || meta.first_step === null || meta.last_step === null || meta.count === 0) return emptySeries(metric);
    const from = Math.max(query.fromStep ?? meta.first_step, meta.first_step);
    const to = Math.min(query.toStep ?? meta.last_step, meta.last_step);
    if (from > to) return emptySeries(metric);
    const rid = run.rid;
    const buckets = query.buckets;
    if (buckets === undefined || buckets <= 0) return rawSeries(metric, this.historyRange.all(rid, meta.kid, from, to) as Raw3[]);
    const limit = 2 * Math.floor(buckets);
    const whole = from === meta.first_step && to === meta.last_step;
    const few = whole ? meta.count <= limit : to - from + 1 <= limit || (this.countRangeLimited.get(rid, meta.kid, from, to, limit + 1) as number) <= limit;
    if (few) return rawSeries(metric, this.historyRange.all(rid, meta.kid, from, to) as Raw3[]);

    const layout = bucketLayout(from, to, buckets, LOD_LEVELS);
    const out = new MinMaxBuckets(layout.origin, layout.width, layout.count);
    const level = layout.level;
    const firstBlock = level === undefined ? 0 : Math.ceil(from / level);
    const lastBlock = level === undefined ? -1 : Math.floor((to + 1) / level) - 1;
    const addRows = (a: number, b: number) => {
      for (const [step, value, ts] of this.historyRange.iterate(rid, meta.kid, a, b) as Iterable<Raw3>) out.addPoint(step, value, ts);
    };
    if (level === undefined || firstBlock > lastBlock) {
      addRows(from, to);
      return out.series(metric);
    }
    // Whole blocks from the level-of-detail table, the partial blocks at either end from rows.
    addRows(from, firstBlock * level - 1);
    for (const b of this.lodRange.iterate(meta.kid, level, firstBlock, lastBlock) as Iterable<[number, ...LodRow]>) {
      out.addBlock(b[0] * level, { count: b[1], minStep: b[2], minValue: b[3], minTs: b[4], maxStep: b[5], maxValue: b[6], maxTs: b[7] });
    }
    addRows((lastBlock + 1) * level, to);
    return out.series(metric);
  }

  system(run: HistoryRun, metric: string, query: HistoryQuery = {}): HistorySeries {
    const skid = this.systemKey.get(run.rid, metric) as number | undefined;
    if (skid === undefined) return emptySeries(metric);
    const from = Math.max(query.fromStep ?? 0, 0);
    const to = Math.min(query.toStep ?? run.system_samples - 1, run.system_samples - 1);
    if (from > to) return emptySeries(metric);
    const rows = this.systemRange.all(run.rid, skid, from, to) as Raw3[];
    const buckets = query.buckets;
    if (buckets === undefined || buckets <= 0 || rows.length <= 2 * buckets) return rawSeries(metric, rows);
    const width = Math.ceil((to - from + 1) / buckets);
    const out = new MinMaxBuckets(from, width, Math.ceil((to - from + 1) / width));
    for (const [idx, value, ts] of rows) out.addPoint(idx, value, ts);
    return out.series(metric);
  }

  /**
   * Every history step of a run in step order, one object per step (for export). Keys that a
   * step did not log are absent from its `values`. Reads a page of steps at a time and holds no
   * statement open between pages, so ingest can go on while a consumer awaits.
   */
  *rows(run: HistoryRun, pageSteps = 10_000): IterableIterator<{ step: number; ts: number; values: Record<string, number | null> }> {
    const rid = run.rid;
    const metrics = this.keys(rid).filter((m) => m.count > 0);
    let from = Math.min(...metrics.map((m) => m.first_step ?? Infinity));
    while (Number.isFinite(from)) {
      const to = from + pageSteps - 1;
      const page = new Map<number, { step: number; ts: number; values: Record<string, number | null> }>();
      for (const m of metrics) {
        for (const [step, value, ts] of this.historyRange.all(rid, m.kid, from, to) as Raw3[]) {
          let entry = page.get(step);
          if (!entry) page.set(step, (entry = { step, ts, values: {} }));
          entry.values[m.key] = value;
        }
      }
      yield* [...page.values()].sort((a, b) => a.step - b.step);
      // The next page starts at the next stored step, however far (steps may be sparse).
      let next = Infinity;
      for (const m of metrics) {
        const step = this.nextStep.get(rid, m.kid, to) as number | null;
        if (step !== null && step < next) next = step;
      }
      from = next;
    }
  }
}
