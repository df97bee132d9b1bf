import * as assert from 'node:assert/strict';
import { correlationRatio, flattenParams, paramImportance, pearson, sweepRows, type SweepRow } from '../../../src/core/sweeps/sweepAnalysis';
import type { SweepInfo, SweepTrial } from '../../../src/core/sweeps/sweepModel';

function trial(i: number, params: Record<string, unknown>, metric: number | null): SweepTrial {
  return { trial: i, state: 'finished', params, project: 'p', runId: `r${i}`, metric, reason: null, note: null, claimed: 0, ended: 1 };
}

describe('sweep analysis', () => {
  it('flattens nested params and orders rows best first, trials without a metric last', () => {
    assert.deepEqual(flattenParams({ opt: { lr: 0.1, name: 'adam' }, layers: [1, 2] }), { 'opt.lr': 0.1, 'opt.name': 'adam', layers: '[1,2]' });
    const trials = [trial(0, { x: 1 }, 0.5), trial(1, { x: 2 }, null), trial(2, { x: 3 }, 0.1), trial(3, { x: 4 }, 0.9)];
    const sweep = { metric: { name: 'loss', goal: 'minimize' }, trials, best: trials[2]! } as unknown as SweepInfo;
    assert.deepEqual(sweepRows(sweep).map((r) => [r.trial, r.best]), [[2, true], [0, false], [3, false], [1, false]]);
    const max = { ...sweep, metric: { name: 'acc', goal: 'maximize' }, best: trials[3]! } as SweepInfo;
    assert.deepEqual(sweepRows(max).map((r) => r.trial), [3, 0, 2, 1]);
  });

  it('correlation finds a monotone effect; importance (eta²) also finds one best in the middle', () => {
    assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
    assert.equal(pearson([1, 2], [1, 2]), null);
    assert.equal(correlationRatio(['a', 'a', 'b', 'b'], [1, 1, 3, 3]), 1);
    const rows: SweepRow[] = [];
    for (let i = 0; i < 40; i++) {
      const x = i / 39; // a bowl: best at 0.5, no linear trend
      const noise = ((i * 7919) % 13) / 1000; // a parameter with no effect
      rows.push({ trial: i, project: 'p', runId: `r${i}`, state: 'finished', metric: (x - 0.5) ** 2, params: { x, noise, lr: 10 ** (-1 - (i % 4)) }, best: false, reason: null });
    }
    const imp = paramImportance(rows);
    const x = imp.find((p) => p.param === 'x')!;
    assert.equal(imp[0]!.param, 'x');
    assert.ok(Math.abs(x.correlation!) < 0.05, `r ${x.correlation}`);
    assert.ok(x.importance! > 0.8, `eta² ${x.importance}`);
    assert.ok(imp.find((p) => p.param === 'lr')!.logScale);
  });
});
