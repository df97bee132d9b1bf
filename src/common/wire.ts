// How store values cross into a webview. postMessage serializes plain values as JSON, which
// turns NaN and ±Infinity into null; numbers that must survive travel as typed arrays (which
// VS Code transfers as binary) or as an explicit NonFinite marker.
import type { HistorySeries, MetricValue } from '../core/model';

export interface NonFinite {
  readonly nonFinite: 'NaN' | 'Infinity' | '-Infinity';
}

export type WireValue = string | number | boolean | null | NonFinite;

export function toWireValue(value: MetricValue | undefined): WireValue {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { nonFinite: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  return value;
}

export function toWireRecord(record: Readonly<Record<string, MetricValue>>): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const [k, v] of Object.entries(record)) out[k] = toWireValue(v);
  return out;
}

export function isNonFinite(value: WireValue): value is NonFinite {
  return typeof value === 'object' && value !== null;
}

/** The number a wire value stands for, for sorting and charts; undefined for text and null. */
export function wireNumber(value: WireValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined || typeof value === 'string') return undefined;
  return value.nonFinite === 'NaN' ? Number.NaN : value.nonFinite === 'Infinity' ? Infinity : -Infinity;
}

/**
 * One chart series. `values` holds NaN where the run logged NaN and keeps ±Infinity.
 * Steps are ascending. For system metrics `steps` are sample indexes.
 */
export interface WireSeries {
  readonly key: string;
  readonly steps: Float64Array;
  readonly values: Float64Array;
  /** Wall time of each point, epoch seconds. */
  readonly times: Float64Array;
  readonly downsampled: boolean;
  readonly totalPoints: number;
}

/** New points for a series already sent: drop the points at or after `fromStep`, then append these. */
export interface WireSeriesTail extends WireSeries {
  readonly fromStep: number;
}

export function toWireSeries(series: HistorySeries): WireSeries {
  const n = series.steps.length;
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = series.steps[i]!;
    const v = series.values[i];
    values[i] = v === null || v === undefined ? Number.NaN : v;
    times[i] = series.times[i] ?? Number.NaN;
  }
  return { key: series.key, steps, values, times, downsampled: series.downsampled, totalPoints: series.totalPoints };
}

/** Applies a tail to a series: the series' points before `fromStep`, then the tail's points. */
export function applySeriesTail(series: WireSeries, tail: WireSeriesTail): WireSeries {
  const keep = lowerBound(series.steps, tail.fromStep);
  const n = keep + tail.steps.length;
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  steps.set(series.steps.subarray(0, keep));
  values.set(series.values.subarray(0, keep));
  times.set(series.times.subarray(0, keep));
  steps.set(tail.steps, keep);
  values.set(tail.values, keep);
  times.set(tail.times, keep);
  return {
    key: series.key,
    steps,
    values,
    times,
    downsampled: series.downsampled || tail.downsampled,
    totalPoints: tail.totalPoints,
  };
}

/** The first index whose step is >= `step` (the array is ascending). */
export function lowerBound(steps: ArrayLike<number>, step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- One buffer per message ------------------------------------------------------------
// A message holding hundreds of typed arrays (a compare page charting 50 runs) reached the
// webview with all but the first few emptied. Every Float64Array of a message therefore
// travels inside a single buffer: packMessage() swaps each for an { $f64: [offset, length] }
// marker, unpackMessage() swaps the markers for views into that buffer.

interface F64Marker {
  readonly $f64: readonly [number, number];
}

/** A message with its Float64Arrays moved into `$f64buffer`. */
export type Packed<T> = T & { readonly $f64buffer: Float64Array };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Array.isArray(value);
}

export function packMessage<T extends object>(message: T): T | Packed<T> {
  const arrays: Float64Array[] = [];
  let total = 0;
  const walk = (value: unknown): unknown => {
    if (value instanceof Float64Array) {
      const marker: F64Marker = { $f64: [total, value.length] };
      arrays.push(value);
      total += value.length;
      return marker;
    }
    if (Array.isArray(value)) return value.some(needsWalk) ? value.map(walk) : value;
    if (isPlainObject(value)) {
      if (!Object.values(value).some(needsWalk)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v);
      return out;
    }
    return value;
  };
  const walked = walk(message) as T;
  if (arrays.length === 0) return message;
  const buffer = new Float64Array(total);
  let offset = 0;
  for (const a of arrays) {
    buffer.set(a, offset);
    offset += a.length;
  }
  return { ...walked, $f64buffer: buffer };
}

function needsWalk(value: unknown): boolean {
  if (value instanceof Float64Array) return true;
  if (Array.isArray(value)) return value.some(needsWalk);
  if (isPlainObject(value)) return Object.values(value).some(needsWalk);
  return false;
}

/** The message as it was before packMessage(): views into the one buffer stand for the arrays. */
export function unpackMessage<T>(message: T): T {
  if (!isPlainObject(message) || !(message.$f64buffer instanceof Float64Array)) return message;
  const buffer = message.$f64buffer;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (isPlainObject(value)) {
      const marker = value.$f64;
      if (Array.isArray(marker) && marker.length === 2 && typeof marker[0] === 'number' && typeof marker[1] === 'number') {
        return buffer.subarray(marker[0], marker[0] + marker[1]);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (k !== '$f64buffer') out[k] = walk(v);
      return out;
    }
    return value;
  };
  return walk(message) as T;
}
