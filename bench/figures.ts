// One benchmark figure: a measurement beside a baseline measured in the same run.
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
