// Min/max downsampling by step: each bucket contributes its lowest and its highest point, in
// step order, so a single spike in a million points still shows in a thousand-bucket chart.

import type { HistorySeries } from '../model';
import { emptyExtremes, foldExtremes, foldPoint, type Extremes } from './lod';

export interface BucketLayout {
  /** Step where bucket 0 starts. */
  readonly origin: number;
  /** Steps per bucket. */
  readonly width: number;
  readonly count: number;
  /** Block size of the level-of-detail table whose blocks tile the buckets exactly, if any. */
  readonly level: number | undefined;
}

/**
 * Buckets for steps `from`..`to`: at most `buckets` of them, each a whole number of blocks of
 * the coarsest level-of-detail size that fits, aligned so that every block lies in one bucket.
 */
export function bucketLayout(from: number, to: number, buckets: number, levels: readonly number[]): BucketLayout {
  const target = Math.ceil((to - from + 1) / buckets);
  const level = [...levels].sort((a, b) => b - a).find((l) => l <= target);
  if (level === undefined) return { origin: from, width: target, count: Math.ceil((to - from + 1) / target), level };
  const origin = Math.floor(from / level) * level;
  const width = Math.ceil(Math.ceil((to - origin + 1) / buckets) / level) * level;
  return { origin, width, count: Math.ceil((to - origin + 1) / width), level };
}

/** Chart buckets over a step range, each folded from points and stored blocks. */
export class MinMaxBuckets {
  private readonly extremes: Extremes[];
  /** First step seen in each bucket, for buckets whose points are all NaN/null. */
  private readonly firstStep: Float64Array;
  private readonly firstTs: Float64Array;

  constructor(
    private readonly from: number,
    private readonly width: number,
    readonly buckets: number,
  ) {
    this.extremes = Array.from({ length: buckets }, emptyExtremes);
    this.firstStep = new Float64Array(buckets).fill(NaN);
    this.firstTs = new Float64Array(buckets);
  }

  bucketOf(step: number): number {
    const b = Math.floor((step - this.from) / this.width);
    return b < 0 ? 0 : b >= this.buckets ? this.buckets - 1 : b;
  }

  addPoint(step: number, value: number | null, ts: number): void {
    const b = this.bucketOf(step);
    if (Number.isNaN(this.firstStep[b]!)) {
      this.firstStep[b] = step;
      this.firstTs[b] = ts;
    }
    foldPoint(this.extremes[b]!, step, value, ts);
  }

  /** A precomputed block of rows starting at `blockStart`. */
  addBlock(blockStart: number, block: Extremes): void {
    const b = this.bucketOf(blockStart);
    if (Number.isNaN(this.firstStep[b]!)) {
      this.firstStep[b] = block.minStep ?? blockStart;
      this.firstTs[b] = block.minTs ?? 0;
    }
    foldExtremes(this.extremes[b]!, block);
  }

  series(key: string): HistorySeries {
    const steps: number[] = [];
    const values: (number | null)[] = [];
    const times: number[] = [];
    let total = 0;
    for (let b = 0; b < this.buckets; b++) {
      const e = this.extremes[b]!;
      if (e.count === 0) continue;
      total += e.count;
      if (e.minStep === null || e.maxStep === null) {
        // Only NaN/null here: one null point keeps the gap visible.
        steps.push(this.firstStep[b]!);
        values.push(null);
        times.push(this.firstTs[b]!);
        continue;
      }
      if (e.minStep === e.maxStep) {
        steps.push(e.minStep);
        values.push(e.minValue);
        times.push(e.minTs ?? 0);
      } else if (e.minStep < e.maxStep) {
        steps.push(e.minStep, e.maxStep);
        values.push(e.minValue, e.maxValue);
        times.push(e.minTs ?? 0, e.maxTs ?? 0);
      } else {
        steps.push(e.maxStep, e.minStep);
        values.push(e.maxValue, e.minValue);
        times.push(e.maxTs ?? 0, e.minTs ?? 0);
      }
    }
    return { key, steps, values, times, downsampled: true, totalPoints: total };
  }
}

export function emptySeries(key: string): HistorySeries {
  return { key, steps: [], values: [], times: [], downsampled: false, totalPoints: 0 };
}

/** Raw `[step, value, ts]` rows as a series. */
export function rawSeries(key: string, rows: readonly (readonly [number, number | null, number])[]): HistorySeries {
  const steps = new Array<number>(rows.length);
  const values = new Array<number | null>(rows.length);
  const times = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    steps[i] = r[0];
    values[i] = r[1];
    times[i] = r[2];
  }
  return { key, steps, values, times, downsampled: false, totalPoints: rows.length };
}
