// Issue 10: the run page's Charts tab honours define_metric's hidden and step_metric (W&B,
// https://docs.wandb.ai/guides/track/log/customize-logging-axes).
import * as assert from 'node:assert/strict';
import type { MetricView } from '../../../src/common/runPageProtocol';
import { chartedMetrics, stepMetricX } from '../../../src/webview/runPage/stepMetric';

const metric = (key: string, extra: Partial<MetricView> = {}): MetricView => ({ key, count: 3, firstStep: 0, lastStep: 2, min: 0, max: 1, last: 1, ...extra });

describe('run page: define_metric on the Charts tab', () => {
  it('charts no hidden key and gives a step_metric key its x axis when that key holds numbers', () => {
    const charted = chartedMetrics([
      metric('epoch', { hidden: true }),
      metric('val/loss', { stepMetric: 'epoch' }),
      metric('val/acc', { stepMetric: 'missing' }),
      metric('val/f1', { stepMetric: 'phase' }),
      metric('phase', { last: 'warmup' }),
      metric('self', { stepMetric: 'self' }),
      metric('train/loss'),
      metric('debug/noise', { hidden: true, stepMetric: 'epoch' }),
      metric('empty', { count: 0 }),
    ]);
    assert.deepEqual(charted, [
      { key: 'val/loss', xKey: 'epoch' },
      { key: 'val/acc' },
      { key: 'val/f1' },
      { key: 'self' },
      { key: 'train/loss' },
    ]);
  });

  it('takes x from the step metric logged at the same step, else the last one before it', () => {
    // epoch logged at steps 0, 100 and 200; val/loss at those steps and between them.
    const x = stepMetricX([0, 100, 150, 200, 250], [0, 100, 200], [0, 1, 2]);
    assert.deepEqual([...x], [0, 1, 1, 2, 2]);
  });

  it('has no x before the step metric was first logged, and takes the latest of one step\'s min and max', () => {
    const x = stepMetricX([5, 10, 20], [10, 10, 20], [0.5, 1, 2]);
    assert.ok(Number.isNaN(x[0]!));
    assert.deepEqual([...x.subarray(1)], [1, 2]);
    assert.equal(stepMetricX([1, 2], [], []).every(Number.isNaN), true);
  });
});
