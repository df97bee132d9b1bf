// The x axis of the run page's charts: step, time since the run started, or wall time; the x
// values a series draws at, their labels, the tooltip's title, and zoom ranges (kept in steps,
// which the host queries by) mapped to and from x. On the Step axis, a chart of a key with a
// define_metric step_metric draws against that metric's values instead (stepMetric.ts).
import type { RunView, SeriesScope, XAxis } from '../../common/runPageProtocol';
import { lowerBound, type WireSeries } from '../../common/wire';
import { formatClock, formatExact, formatRelative, formatTick, formatTime } from '../shared/format';
import { stepMetricX } from './stepMetric';

/** A chart's define_metric step metric: its key and its series (undefined until it arrives). */
export interface StepMetricAxis {
  readonly key: string;
  readonly series: WireSeries | undefined;
}

/** The axis a tab draws: system metrics have no steps, so the System tab shows relative time instead. */
export function tabXAxis(scope: SeriesScope, axis: XAxis): XAxis {
  return scope === 'system' && axis === 'step' ? 'relative' : axis;
}

/** The x of each point of `series`; with a step metric, its values (NaN until they arrive). */
export function xValues(axis: XAxis, series: WireSeries, run: RunView, stepMetric?: StepMetricAxis): Float64Array {
  if (stepMetric) {
    const x = stepMetric.series;
    return x ? stepMetricX(series.steps, x.steps, x.values) : new Float64Array(series.steps.length).fill(Number.NaN);
  }
  switch (axis) {
    case 'step':
      return series.steps;
    case 'relative': {
      const origin = run.startTime;
      return series.times.map((t) => t - origin);
    }
    case 'wall':
      return series.times;
  }
  return series.steps;
}

export function formatX(axis: XAxis, x: number, run: RunView): string {
  switch (axis) {
    case 'step':
      return formatTick(x);
    case 'relative':
      return formatRelative(x);
    case 'wall': {
      const span = (run.endTime ?? run.lastSeen) - run.startTime;
      return formatClock(x, span > 86400);
    }
  }
}

/** The tooltip's title at `x`: the step (history only) and time, or step metric, of `base`'s nearest point. */
export function tooltipTitle(axis: XAxis, scope: SeriesScope, run: RunView, base: WireSeries | undefined, x: number, stepMetric?: StepMetricAxis): string {
  if (!base || base.steps.length === 0) return '';
  const xs = xValues(axis, base, run, stepMetric);
  let i = lowerBound(xs, x);
  if (i >= xs.length) i = xs.length - 1;
  if (i > 0 && Math.abs(xs[i - 1]! - x) < Math.abs(xs[i]! - x)) i--;
  const step = base.steps[i]!;
  const time = base.times[i]!;
  const stepText = scope === 'history' ? `Step ${step.toLocaleString('en')}` : '';
  if (stepMetric) return `${stepMetric.key} ${formatExact(xs[i]!)} · ${stepText}`;
  if (axis === 'step') return stepText;
  const timeText = axis === 'relative' ? formatRelative(time - run.startTime) : formatTime(time);
  return [stepText, timeText].filter(Boolean).join(' · ');
}

/** The steps a zoom to [xMin, xMax] covers, or undefined when there is no data to map time to steps. */
export function zoomSteps(axis: XAxis, base: WireSeries | undefined, run: RunView, xMin: number, xMax: number, stepMetric?: StepMetricAxis): { fromStep: number; toStep: number } | undefined {
  let fromStep: number;
  let toStep: number;
  if (axis === 'step' && !stepMetric) {
    fromStep = Math.floor(xMin);
    toStep = Math.ceil(xMax);
  } else {
    if (!base || base.steps.length === 0) return undefined;
    const xs = xValues(axis, base, run, stepMetric);
    const lo = Math.max(0, lowerBound(xs, xMin) - 1);
    const hi = Math.min(xs.length - 1, lowerBound(xs, xMax));
    fromStep = base.steps[lo]!;
    toStep = base.steps[hi]!;
  }
  if (toStep <= fromStep) toStep = fromStep + 1;
  return { fromStep, toStep };
}

/** The x range that shows steps [fromStep, toStep]; an end is undefined where it cannot be mapped. */
export function zoomXRange(axis: XAxis, base: WireSeries | undefined, run: RunView, fromStep: number, toStep: number, stepMetric?: StepMetricAxis): [number | undefined, number | undefined] {
  if ((axis === 'step' && !stepMetric) || !base) return [fromStep, toStep];
  const xs = xValues(axis, base, run, stepMetric);
  const at = (step: number): number => xs[Math.min(xs.length - 1, lowerBound(base.steps, step))] ?? Number.NaN;
  const a = at(fromStep);
  const b = at(toStep);
  return [Number.isFinite(a) ? a : undefined, Number.isFinite(b) ? b : undefined];
}
