// A parallel-coordinates chart on a canvas: one vertical axis per parameter and the metric last,
// one polyline per trial, coloured by its metric (best bright, worst dim); the best trial on top.
// Text is drawn with fillText: nothing from the sweep reaches the DOM as markup.

import type { SweepRow } from '../../core/sweeps/sweepAnalysis';
import { isLogScaled } from '../../core/sweeps/sweepAnalysis';
import { readChartTheme } from '../shared/theme';

interface Axis {
  readonly name: string;
  /** 0 (bottom) .. 1 (top), or undefined when the row has no value. */
  readonly position: (row: SweepRow) => number | undefined;
  readonly ticks: readonly { readonly at: number; readonly label: string }[];
}

function label(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

function numericAxis(name: string, get: (r: SweepRow) => number | undefined, rows: readonly SweepRow[]): Axis {
  const values = rows.map(get).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const log = isLogScaled(values);
  const f = (v: number) => (log ? Math.log10(v) : v);
  const lo = values.length ? Math.min(...values.map(f)) : 0;
  const hi = values.length ? Math.max(...values.map(f)) : 1;
  const span = hi - lo || 1;
  const position = (r: SweepRow) => {
    const v = get(r);
    return v === undefined || !Number.isFinite(v) ? undefined : hi === lo ? 0.5 : (f(v) - lo) / span;
  };
  const unf = (x: number) => (log ? 10 ** x : x);
  const ticks = hi === lo ? [{ at: 0.5, label: label(unf(lo)) }] : [0, 0.5, 1].map((t) => ({ at: t, label: label(unf(lo + t * span)) }));
  return { name: log ? `${name} (log)` : name, position, ticks };
}

function categoricalAxis(name: string, rows: readonly SweepRow[]): Axis {
  const cats = [...new Set(rows.map((r) => r.params[name]).filter((v) => v !== undefined).map((v) => String(v)))].sort();
  const at = (i: number) => (cats.length === 1 ? 0.5 : i / (cats.length - 1));
  return {
    name,
    position: (r) => {
      const v = r.params[name];
      if (v === undefined) return undefined;
      const i = cats.indexOf(String(v));
      return i < 0 ? undefined : at(i);
    },
    ticks: cats.map((c, i) => ({ at: at(i), label: c.length > 14 ? `${c.slice(0, 13)}…` : c })),
  };
}

export function buildAxes(rows: readonly SweepRow[], params: readonly string[], metric: string): Axis[] {
  const axes: Axis[] = [];
  for (const p of params) {
    const present = rows.map((r) => r.params[p]).filter((v) => v !== undefined && v !== null);
    if (present.length === 0) continue;
    axes.push(present.every((v) => typeof v === 'number') ? numericAxis(p, (r) => r.params[p] as number | undefined, rows) : categoricalAxis(p, rows));
  }
  axes.push(numericAxis(metric, (r) => r.metric ?? undefined, rows));
  return axes;
}

/** Colour for a trial ranked `rank` (0 = best) of `n`: the theme's blue for the best, fading to grey. */
function color(rank: number, n: number, alpha: number): string {
  const t = n <= 1 ? 0 : rank / (n - 1);
  const hue = 200 + 80 * t; // blue → violet
  const light = 62 - 22 * t;
  return `hsla(${hue}, ${Math.round(85 - 55 * t)}%, ${light}%, ${alpha})`;
}

export function drawParallelCoordinates(canvas: HTMLCanvasElement, rows: readonly SweepRow[], params: readonly string[], metric: string): void {
  const theme = readChartTheme();
  const width = canvas.clientWidth || 800;
  const height = canvas.clientHeight || 320;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const scored = rows.filter((r) => r.metric !== null);
  const axes = buildAxes(scored, params, metric);
  const top = 36;
  const bottom = height - 16;
  const left = 60;
  const right = width - 60;
  const x = (i: number) => (axes.length === 1 ? (left + right) / 2 : left + (i * (right - left)) / (axes.length - 1));
  const y = (p: number) => bottom - p * (bottom - top);

  // lines: worst first, so the best end up on top; rows arrive best first
  const ranked = scored.map((r, rank) => ({ r, rank })).reverse();
  for (const { r, rank } of ranked) {
    ctx.beginPath();
    let started = false;
    axes.forEach((axis, i) => {
      const p = axis.position(r);
      if (p === undefined) {
        started = false;
        return;
      }
      if (started) ctx.lineTo(x(i), y(p));
      else ctx.moveTo(x(i), y(p));
      started = true;
    });
    ctx.strokeStyle = r.best ? '#f5c518' : color(rank, scored.length, 0.75);
    ctx.lineWidth = r.best ? 3 : 1.5;
    ctx.stroke();
  }

  ctx.font = `12px ${theme.font}`;
  ctx.textAlign = 'center';
  axes.forEach((axis, i) => {
    ctx.strokeStyle = theme.foreground;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x(i), top);
    ctx.lineTo(x(i), bottom);
    ctx.stroke();
    ctx.fillStyle = theme.foreground;
    ctx.fillText(axis.name.length > 22 ? `${axis.name.slice(0, 21)}…` : axis.name, x(i), top - 18);
    ctx.fillStyle = theme.muted;
    for (const t of axis.ticks) {
      ctx.textAlign = i === axes.length - 1 ? 'left' : 'right';
      ctx.fillText(t.label, x(i) + (i === axes.length - 1 ? 6 : -6), y(t.at) + 4);
    }
    ctx.textAlign = 'center';
  });
}
