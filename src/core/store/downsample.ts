// Min/max downsampling by step: each bucket contributes its lowest and its highest point, in
// step order, so a single spike in a million points still shows in a thousand-bucket chart.

import type { HistorySeries } from '../model';

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

export class MinMaxBuckets {
  private readonly count: Float64Array;
  private readonly minValue: Float64Array;
  private readonly minStep: Float64Array;
  private readonly minTs: Float64Array;
  private readonly maxValue: Float64Array;
  private readonly maxStep: Float64Array;
  private readonly maxTs: Float64Array;
  /** First step seen in each bucket, for buckets whose points are all NaN/null. */
  private readonly firstStep: Float64Array;
  private readonly firstTs: Float64Array;

  constructor(
    private readonly from: number,
    private readonly width: number,
    readonly buckets: number,
  ) {
    this.count = new Float64Array(buckets);
    this.minValue = new Float64Array(buckets).fill(Infinity);
    this.maxValue = new Float64Array(buckets).fill(-Infinity);
    this.minStep = new Float64Array(buckets).fill(NaN);
    this.maxStep = new Float64Array(buckets).fill(NaN);
    this.minTs = new Float64Array(buckets);
    this.maxTs = new Float64Array(buckets);
    this.firstStep = new Float64Array(buckets).fill(NaN);
    this.firstTs = new Float64Array(buckets);
  }

  bucketOf(step: number): number {
    const b = Math.floor((step - this.from) / this.width);
    return b < 0 ? 0 : b >= this.buckets ? this.buckets - 1 : b;
  }

  addPoint(step: number, value: number | null, ts: number): void {
    const b = this.bucketOf(step);
    this.count[b]!++;
    if (Number.isNaN(this.firstStep[b]!)) {
      this.firstStep[b] = step;
      this.firstTs[b] = ts;
    }
    if (value === null) return;
    // `<=`/`>=` against the initial ±Infinity so a bucket of infinities still gets its points.
    if (value < this.minValue[b]! || Number.isNaN(this.minStep[b]!)) {
      this.minValue[b] = value;
      this.minStep[b] = step;
      this.minTs[b] = ts;
    }
    if (value > this.maxValue[b]! || Number.isNaN(this.maxStep[b]!)) {
      this.maxValue[b] = value;
      this.maxStep[b] = step;
      this.maxTs[b] = ts;
    }
  }

  /** A precomputed block of `count` rows starting at `blockStart`. */
  addBlock(
    blockStart: number,
    count: number,
    minStep: number | null,
    minValue: number | null,
    minTs: number | null,
    maxStep: number | null,
    maxValue: number | null,
    maxTs: number | null,
  ): void {
    const b = this.bucketOf(blockStart);
    this.count[b]! += count;
    if (Number.isNaN(this.firstStep[b]!)) {
      this.firstStep[b] = minStep ?? blockStart;
      this.firstTs[b] = minTs ?? 0;
    }
    if (minValue !== null && minStep !== null && (minValue < this.minValue[b]! || Number.isNaN(this.minStep[b]!))) {
      this.minValue[b] = minValue;
      this.minStep[b] = minStep;
      this.minTs[b] = minTs ?? 0;
    }
    if (maxValue !== null && maxStep !== null && (maxValue > this.maxValue[b]! || Number.isNaN(this.maxStep[b]!))) {
      this.maxValue[b] = maxValue;
      this.maxStep[b] = maxStep;
      this.maxTs[b] = maxTs ?? 0;
    }
  }

  series(key: string): HistorySeries {
    const steps: number[] = [];
    const values: (number | null)[] = [];
    const times: number[] = [];
    let total = 0;
    for (let b = 0; b < this.buckets; b++) {
      const count = this.count[b]!;
      if (count === 0) continue;
      total += count;
      const minStep = this.minStep[b]!;
      if (Number.isNaN(minStep)) {
        // Only NaN/null here: one null point keeps the gap visible.
        steps.push(this.firstStep[b]!);
        values.push(null);
        times.push(this.firstTs[b]!);
        continue;
      }
      const maxStep = this.maxStep[b]!;
      if (minStep === maxStep) {
        steps.push(minStep);
        values.push(this.minValue[b]!);
        times.push(this.minTs[b]!);
      } else if (minStep < maxStep) {
        steps.push(minStep, maxStep);
        values.push(this.minValue[b]!, this.maxValue[b]!);
        times.push(this.minTs[b]!, this.maxTs[b]!);
      } else {
        steps.push(maxStep, minStep);
        values.push(this.maxValue[b]!, this.minValue[b]!);
        times.push(this.maxTs[b]!, this.minTs[b]!);
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
