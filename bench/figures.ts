// Benchmark figures (a measurement beside a baseline measured in the same run), their table, and
// the statistics every bench computes them with.

export interface Figure {
  readonly name: string;
  /** What was measured, in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** The baseline measured in the same run (same unit), or null where the figure has none. */
  readonly baseline: number | null;
  readonly baselineLabel: string;
  /** value / baseline in the figure's unit (for a rate, the throughput ratio: 0.8 = 80% of the baseline's rate); null without baseline. */
  readonly ratio: number | null;
  readonly target: string;
  readonly met: boolean | null;
  readonly note?: string;
}

export function timeRatio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function printTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.baseline === null ? '-' : `${formatNumber(f.baseline)} ${f.unit} (${f.baselineLabel})`,
    f.ratio === null ? '-' : `${f.ratio.toFixed(2)}x`,
    f.target,
    f.met === null ? 'report' : f.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The nearest-rank percentile `p` (0–100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export interface LatencyResult {
  readonly p50: number;
  readonly p95: number;
  readonly points: number;
  readonly missing: number;
  readonly latencies: number[];
}

/**
 * Latency of each point sent ([step, epoch ms]): to the first time a step at or past it was seen
 * after it was sent; a point never seen counts as missing.
 */
export function latencyOf(sent: readonly (readonly [number, number])[], seen: readonly { step: number; at: number }[]): LatencyResult {
  const order = [...seen].sort((a, b) => a.at - b.at);
  const latencies: number[] = [];
  let missing = 0;
  for (const [step, sentAt] of sent) {
    const hit = order.find((r) => r.step >= step && r.at >= sentAt);
    if (hit) latencies.push(hit.at - sentAt);
    else missing++;
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), points: sent.length, missing, latencies };
}
