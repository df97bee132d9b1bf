// define_metric(name, step_metric=...) and hidden=True on the Charts tab, as W&B documents them
// (https://docs.wandb.ai/guides/track/log/customize-logging-axes): a key with a step metric is
// charted against that metric's values instead of the step; a hidden key gets no chart.
import type { MetricView } from '../../common/runPageProtocol';
import { lowerBound } from '../../common/wire';

/** The history keys the Charts tab draws, each with the key of its x axis when it has one. */
export function chartedMetrics(metrics: readonly MetricView[]): { key: string; xKey?: string }[] {
  const numeric = new Set(metrics.filter((m) => m.count > 0 && typeof m.last !== 'string').map((m) => m.key));
  return metrics
    .filter((m) => numeric.has(m.key) && m.hidden !== true)
    .map((m) => (m.stepMetric !== undefined && m.stepMetric !== m.key && numeric.has(m.stepMetric) ? { key: m.key, xKey: m.stepMetric } : { key: m.key }));
}

/**
 * The x of each point at `steps`: the step metric's value logged at that step, or else the last
 * one logged before it (W&B's step_sync fills a missing x with the latest); NaN before the first.
 * `xSteps` ascend, as every series does.
 */
export function stepMetricX(steps: ArrayLike<number>, xSteps: ArrayLike<number>, xValues: ArrayLike<number>): Float64Array {
  const out = new Float64Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let j = lowerBound(xSteps, step);
    // The last of equal steps (a bucket's min and max) is the latest value at that step.
    while (j + 1 < xSteps.length && xSteps[j + 1] === step) j++;
    if (j >= xSteps.length || xSteps[j]! > step) j--;
    out[i] = j >= 0 ? xValues[j]! : Number.NaN;
  }
  return out;
}
