// The pure checks behind the editor's Problems entries for live runs (src/core/health).

import * as assert from 'node:assert/strict';
import { isLossKey, runIssues, tailLength, type MetricTail } from '../../../src/core/health/runHealth';

const settings = { lossRiseSteps: 3, silentAfterSec: 60 };

function tail(key: string, values: (number | null)[], opts: { last?: number; from?: number; ts?: number } = {}): MetricTail {
  const from = opts.from ?? 0;
  const steps = values.map((_, i) => from + i);
  const ts = opts.ts ?? 1000;
  return { key, last: opts.last ?? values[values.length - 1] ?? null, lastStep: steps[steps.length - 1] ?? 0, steps, values, times: steps.map((_, i) => ts - (steps.length - 1 - i)) };
}

describe('run health (Problems entries of live runs)', () => {
  it('a metric whose last value is NaN or ±Infinity: the first step of the trailing stretch', () => {
    const issues = runIssues([tail('loss', [1, 0.5, null, null], { last: Number.NaN, from: 10 }), tail('grad', [1, Infinity], { from: 4 }), tail('g2', [-Infinity])], true, 1000, settings);
    assert.deepEqual(issues.map((i) => [i.kind, i.key, i.step, i.message]), [
      ['non-finite', 'loss', 12, 'loss became NaN at step 12'],
      ['non-finite', 'grad', 5, 'grad became Infinity at step 5'],
      ['non-finite', 'g2', 0, 'g2 became -Infinity at step 0'],
    ]);
  });

  it('a finite last value is no problem, even after NaN earlier; a None (null) last value is not NaN', () => {
    assert.deepEqual(runIssues([tail('loss', [null, 1, 0.9]), tail('x', [1, null], { last: null as unknown as number })], true, 1000, settings), []);
  });

  it('a loss growing N logged steps in a row; N-1 is not enough; other keys may grow', () => {
    const grown = runIssues([tail('train/loss', [1, 0.5, 0.6, 0.7, 0.8], { from: 96 })], true, 1000, settings);
    assert.deepEqual(grown.map((i) => [i.kind, i.key, i.step, i.message]), [['loss-rising', 'train/loss', 100, 'train/loss grew 3 logged steps in a row, to 0.8 at step 100']]);
    assert.deepEqual(runIssues([tail('val_loss', [1, 0.5, 0.6, 0.7])], true, 1000, settings), []);
    assert.deepEqual(runIssues([tail('accuracy', [0.1, 0.2, 0.3, 0.4, 0.5])], true, 1000, settings), []);
    assert.deepEqual(runIssues([tail('loss', [1, 2, 2, 3, 4])], true, 1000, settings), [], 'a flat step breaks the run');
    assert.deepEqual(runIssues([tail('loss', [1, 2, 3, 4, 5])], true, 1000, { ...settings, lossRiseSteps: 0 }), [], '0 turns the check off');
  });

  it('alive but silent longer than the setting: at the metric logged last', () => {
    const metrics = [tail('loss', [1, 0.5], { ts: 900 }), tail('acc', [0.1, 0.2], { ts: 930 })];
    assert.deepEqual(runIssues(metrics, true, 989, settings), []);
    const silent = runIssues(metrics, true, 990, settings);
    assert.deepEqual(silent.map((i) => [i.kind, i.key, i.step, i.message]), [['silent', 'acc', 1, 'logged nothing for over 60 s (process alive; last step 1)']]);
    assert.equal(runIssues(metrics, true, 930 + 3 * 3600, settings)[0]!.message, silent[0]!.message, 'the message stays the same while the silence lasts');
    assert.match(runIssues(metrics, true, 930 + 3 * 3600, { ...settings, silentAfterSec: 600 })[0]!.message, /for over 10 min/);
    assert.deepEqual(runIssues(metrics, true, 5000, { ...settings, silentAfterSec: 0 }), []);
  });

  it('a run that ended has no problems', () => {
    assert.deepEqual(runIssues([tail('loss', [1, Number.NaN], { last: Number.NaN })], false, 1e9, settings), []);
  });

  it('isLossKey and tailLength', () => {
    assert.equal(isLossKey('loss'), true);
    assert.equal(isLossKey('val/Loss_total'), true);
    assert.equal(isLossKey('loss_scale/acc'), false);
    assert.equal(tailLength({ lossRiseSteps: 10, silentAfterSec: 0 }), 11);
    assert.equal(tailLength({ lossRiseSteps: 0, silentAfterSec: 0 }), 2);
  });
});
