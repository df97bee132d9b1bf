// What the sweep page shows, computed from a sweep's trials: one row per trial with flat params,
// best first, and each parameter's relation to the metric.
//
// Correlation: Pearson's r between the parameter (numeric; log-scaled when its values span more
// than two decades, as learning rates do) and the metric. It says the direction, and misses
// effects that are not monotone.
// Importance: the correlation ratio eta² (Fisher), the share of the metric's variance that the
// parameter alone explains: trials are split into bins of the parameter (each category, or up to
// five quantile bins of a number) and eta² = between-bin variance / total variance, in [0, 1].
// It catches a metric best in the middle of a range, where r is near 0.

import type { SweepInfo, SweepTrial } from './sweepModel';

export type ParamValue = number | string | boolean | null;

export interface SweepRow {
  readonly trial: number;
  readonly project: string;
  readonly runId: string;
  readonly state: SweepTrial['state'];
  readonly metric: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly best: boolean;
  readonly reason: string | null;
}

export interface ParamImportance {
  readonly param: string;
  /** Pearson's r with the metric, or null for a categorical or constant parameter. */
  readonly correlation: number | null;
  /** eta², 0..1, or null with fewer than 3 trials. */
  readonly importance: number | null;
  readonly numeric: boolean;
  readonly logScale: boolean;
}

/** `{a: {b: 1}}` → `{"a.b": 1}`; lists and objects become their JSON text. */
export function flattenParams(params: Readonly<Record<string, unknown>>, prefix = '', out: Record<string, ParamValue> = {}): Record<string, ParamValue> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix + k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) flattenParams(v as Record<string, unknown>, `${key}.`, out);
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out[key] = v;
    else out[key] = JSON.stringify(v);
  }
  return out;
}

/** Rows best first (by the metric and goal), then trials without a metric by trial number. */
export function sweepRows(sweep: SweepInfo): SweepRow[] {
  const sign = sweep.metric?.goal === 'maximize' ? -1 : 1;
  const rows = sweep.trials.map((t) => ({
    trial: t.trial,
    project: t.project,
    runId: t.runId,
    state: t.state,
    metric: t.metric,
    params: flattenParams(t.params),
    best: sweep.best?.trial === t.trial,
    reason: t.reason ?? t.note,
  }));
  return rows.sort((a, b) => {
    if (a.metric === null || b.metric === null) return a.metric === null && b.metric === null ? a.trial - b.trial : a.metric === null ? 1 : -1;
    return sign * (a.metric - b.metric) || a.trial - b.trial;
  });
}

export function paramKeys(rows: readonly SweepRow[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.params)) keys.add(k);
  return [...keys];
}

export function isLogScaled(values: readonly number[]): boolean {
  if (values.length < 2 || values.some((v) => v <= 0)) return false;
  return Math.max(...values) / Math.min(...values) > 100;
}

export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** eta² of `ys` grouped by `groups`. */
export function correlationRatio(groups: readonly (string | number)[], ys: readonly number[]): number | null {
  const n = ys.length;
  if (n < 3) return null;
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const total = ys.reduce((a, y) => a + (y - mean) ** 2, 0);
  if (total === 0) return null;
  const bins = new Map<string | number, number[]>();
  groups.forEach((g, i) => {
    const list = bins.get(g);
    if (list) list.push(ys[i]!);
    else bins.set(g, [ys[i]!]);
  });
  let between = 0;
  for (const list of bins.values()) {
    const m = list.reduce((a, b) => a + b, 0) / list.length;
    between += list.length * (m - mean) ** 2;
  }
  return between / total;
}

function quantileBins(xs: readonly number[], count: number): number[] {
  const sorted = [...xs].sort((a, b) => a - b);
  const distinct = new Set(sorted).size;
  if (distinct <= count) return xs.map((x) => x);
  const cuts = Array.from({ length: count - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / count)]!);
  return xs.map((x) => cuts.filter((c) => x >= c).length);
}

export function paramImportance(rows: readonly SweepRow[]): ParamImportance[] {
  const scored = rows.filter((r) => r.metric !== null);
  const out: ParamImportance[] = [];
  for (const param of paramKeys(rows)) {
    const pairs = scored.map((r) => [r.params[param], r.metric!] as const).filter(([v]) => v !== undefined && v !== null);
    const ys = pairs.map(([, y]) => y);
    const numeric = pairs.length > 0 && pairs.every(([v]) => typeof v === 'number');
    if (numeric) {
      const raw = pairs.map(([v]) => v as number);
      const logScale = isLogScaled(raw);
      const xs = logScale ? raw.map(Math.log10) : raw;
      out.push({ param, correlation: pearson(xs, ys), importance: correlationRatio(quantileBins(xs, 5), ys), numeric, logScale });
    } else {
      out.push({ param, correlation: null, importance: correlationRatio(pairs.map(([v]) => String(v)), ys), numeric: false, logScale: false });
    }
  }
  return out.sort((a, b) => (b.importance ?? -1) - (a.importance ?? -1) || a.param.localeCompare(b.param));
}
