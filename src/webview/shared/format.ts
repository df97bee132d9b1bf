// How numbers, sizes, durations and times read on the pages.
import { isNonFinite, type WireValue } from '../../common/wire';

export { formatDuration } from '../../common/format';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${u === 0 ? v.toFixed(0) : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${UNITS[u]}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local date and time, `2025-11-26 12:00:00`. */
export function formatTime(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '–';
  const d = new Date(epochSeconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Short clock time for axis ticks: `12:03:05`, or `Nov 26 12:03` when the span crosses days. */
export function formatClock(epochSeconds: number, withDate: boolean): string {
  const d = new Date(epochSeconds * 1000);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${withDate ? '' : `:${pad(d.getSeconds())}`}`;
  if (!withDate) return time;
  return `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()} ${time}`;
}

/** A relative time for axis ticks: `45s`, `12m`, `1h 30m`. */
export function formatRelative(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${trimNumber(s, 3)}s`;
  if (s < 3600) return `${sign}${trimNumber(s / 60, 3)}m`;
  if (s < 86400) return `${sign}${trimNumber(s / 3600, 3)}h`;
  return `${sign}${trimNumber(s / 86400, 3)}d`;
}

function trimNumber(v: number, digits: number): string {
  return String(Number(v.toPrecision(digits)));
}

/** A metric value for tables and tooltips: exact for integers, 6 significant digits otherwise. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** The full value, every digit JavaScript keeps. */
export function formatExact(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

/** Axis tick labels: compact (1.2k, 3M, 0.001). */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${trimNumber(v / 1e9, 3)}B`;
  if (abs >= 1e6) return `${trimNumber(v / 1e6, 3)}M`;
  if (abs >= 1e4) return `${trimNumber(v / 1e3, 3)}k`;
  if (abs !== 0 && abs < 1e-5) return Number(v.toPrecision(2)).toExponential();
  return trimNumber(v, 4);
}

export function formatWire(value: WireValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (isNonFinite(value)) return value.nonFinite;
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** The full value for hover titles and the clipboard. */
export function formatWireExact(value: WireValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (isNonFinite(value)) return value.nonFinite;
  if (typeof value === 'number') return formatExact(value);
  return String(value);
}

/** A command line as one would type it: arguments with spaces or quotes single-quoted. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((a) => (a === '' ? "''" : /[^\w@%+=:,./-]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

/** "3 runs", "1 run". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** A tick spacing in seconds that reads well on a clock (5m, 15m, 1h, …), about `span / ticks` apart. */
export function niceTimeStep(spanSeconds: number, ticks = 6): number {
  const raw = spanSeconds / Math.max(1, ticks);
  if (!(raw > 0)) return 1;
  const found = TIME_STEPS.find((s) => s >= raw);
  if (found !== undefined) return found;
  return Math.ceil(raw / 604800) * 604800;
}
