// How numbers, durations and times read in the explorer, the code lens and the status bar.

import type { MetricValue } from '../../core/model';

export { formatDuration } from '../../common/format';

/** Four significant digits; exponent form when tiny or huge; NaN and infinities as themselves. */
export function formatMetric(value: MetricValue | undefined): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}

/** Local date and time, e.g. `2025-11-26 13:00:05`. */
export function formatTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
