// A text sparkline (▁▂▃▄▅▆▇█) of a series: the code lens above a `log()` call shows one per metric.

const BARS = '▁▂▃▄▅▆▇█';

/**
 * At most `width` bars: the finite values split into `width` runs of equal length, each shown by
 * its mean, scaled from the lowest to the highest mean. NaN, ±Infinity and null are left out; a
 * flat series is a row of middle bars; no finite value gives ''.
 */
export function sparkline(values: readonly (number | null)[], width = 8): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0 || width < 1) return '';
  const bins = Math.min(width, finite.length);
  const means: number[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * finite.length) / bins);
    const to = Math.floor(((b + 1) * finite.length) / bins);
    let sum = 0;
    for (let i = from; i < to; i++) sum += finite[i]!;
    means.push(sum / (to - from));
  }
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  if (!(hi > lo)) return BARS[3]!.repeat(bins);
  return means.map((m) => BARS[Math.min(BARS.length - 1, Math.floor(((m - lo) / (hi - lo)) * BARS.length))]!).join('');
}
