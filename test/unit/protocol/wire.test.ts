import * as assert from 'node:assert/strict';
import { applySeriesTail, lowerBound, packMessage, toWireSeries, toWireValue, unpackMessage, wireNumber, type Packed, type WireSeriesTail } from '../../../src/common/wire';
import { toRunRow, toRunView } from '../../../src/extension/webview/runViews';
import type { RunDetail } from '../../../src/core/model';

describe('values on the wire', () => {
  it('keeps NaN and ±Infinity through JSON as markers', () => {
    const through = (v: number) => JSON.parse(JSON.stringify(toWireValue(v))) as unknown;
    assert.deepEqual(through(Number.NaN), { nonFinite: 'NaN' });
    assert.deepEqual(through(Infinity), { nonFinite: 'Infinity' });
    assert.deepEqual(through(-Infinity), { nonFinite: '-Infinity' });
    assert.equal(through(0.5), 0.5);
    assert.ok(Number.isNaN(wireNumber({ nonFinite: 'NaN' })));
    assert.equal(wireNumber({ nonFinite: '-Infinity' }), -Infinity);
    assert.equal(wireNumber('text'), undefined);
    assert.equal(wireNumber(true), 1);
  });

  it('puts series in typed arrays: null becomes NaN, Infinity stays', () => {
    const s = toWireSeries({ key: 'loss', steps: [0, 1, 2], values: [1, null, Infinity], times: [10, 11, 12], downsampled: false, totalPoints: 3 });
    assert.ok(s.values instanceof Float64Array);
    assert.deepEqual([...s.steps], [0, 1, 2]);
    assert.equal(s.values[0], 1);
    assert.ok(Number.isNaN(s.values[1]!));
    assert.equal(s.values[2], Infinity);
    assert.deepEqual([...s.times], [10, 11, 12]);
  });

  it('applies a tail: keeps points before fromStep, replaces the rest', () => {
    const base = toWireSeries({ key: 'k', steps: [0, 10, 20, 30], values: [1, 2, 3, 4], times: [0, 1, 2, 3], downsampled: true, totalPoints: 40 });
    const tail: WireSeriesTail = {
      ...toWireSeries({ key: 'k', steps: [20, 25, 40], values: [5, 6, 7], times: [2, 2.5, 4], downsampled: true, totalPoints: 0 }),
      totalPoints: 50,
      fromStep: 20,
    };
    const merged = applySeriesTail(base, tail);
    assert.deepEqual([...merged.steps], [0, 10, 20, 25, 40]);
    assert.deepEqual([...merged.values], [1, 2, 5, 6, 7]);
    assert.equal(merged.totalPoints, 50);
  });

  it('finds the first index at or after a step', () => {
    const steps = new Float64Array([0, 2, 2, 5, 9]);
    assert.equal(lowerBound(steps, -1), 0);
    assert.equal(lowerBound(steps, 2), 1);
    assert.equal(lowerBound(steps, 3), 3);
    assert.equal(lowerBound(steps, 10), 5);
  });

  it('builds a run view and a table row whose summary survives JSON', () => {
    const detail = {
      key: 'p/r', id: 'r', project: 'p', entity: null, path: 'p/r', name: 'n', state: 'finished', group: null, jobType: null, sweepId: null,
      tags: [], notes: '', startTime: 0, endTime: 1, lastSeen: 1, runtimeSec: 1, durationSec: 1, lastStep: 2, exitCode: 0,
      pid: null, host: null, program: null, command: null, cwd: null, dir: '/tmp/x',
      config: { lr: 0.1 }, summary: { loss: Number.NaN, best: Infinity }, meta: {}, configTree: { lr: 0.1 },
      metrics: [{ key: 'loss', count: 3, firstStep: 0, lastStep: 2, min: -Infinity, max: 1, last: Number.NaN }],
      systemMetrics: [], files: [], artifacts: [], alerts: [], forkOf: null, segments: [], outputLines: 0, problems: [],
    } satisfies RunDetail;
    const view = JSON.parse(JSON.stringify(toRunView(detail))) as ReturnType<typeof toRunView>;
    assert.deepEqual(view.summary, { loss: { nonFinite: 'NaN' }, best: { nonFinite: 'Infinity' } });
    assert.deepEqual(view.metrics[0]!.min, { nonFinite: '-Infinity' });
    assert.equal('configTree' in view, false);
    const row = JSON.parse(JSON.stringify(toRunRow(detail))) as ReturnType<typeof toRunRow>;
    assert.deepEqual(row.summary.loss, { nonFinite: 'NaN' });
    assert.equal('metrics' in row, false, 'a row carries no run detail');
  });
});

describe('one buffer per message', () => {
  it('moves every Float64Array of a message into one buffer and back', () => {
    const series = Array.from({ length: 300 }, (_, i) =>
      toWireSeries({ key: `m${i}`, steps: [i, i + 1], values: [i / 2, Number.NaN], times: [1, Infinity], downsampled: false, totalPoints: 2 }),
    );
    const message = { type: 'series', runs: ['p/a'], series, note: { nested: [{ a: new Float64Array([1, 2, 3]) }] } };
    const packed = packMessage(message) as Packed<typeof message>;
    assert.ok(packed.$f64buffer instanceof Float64Array);
    assert.equal(packed.$f64buffer.length, 300 * 6 + 3);
    // What crosses postMessage: JSON for the rest, one buffer.
    const crossed = { ...JSON.parse(JSON.stringify({ ...packed, $f64buffer: undefined })), $f64buffer: packed.$f64buffer.slice() };
    const back = unpackMessage(crossed) as typeof message;
    assert.equal(back.type, 'series');
    assert.equal(back.series.length, 300);
    assert.deepEqual([...back.series[299]!.steps], [299, 300]);
    assert.equal(back.series[299]!.values[0], 149.5);
    assert.ok(Number.isNaN(back.series[299]!.values[1]!));
    assert.equal(back.series[7]!.times[1], Infinity);
    assert.deepEqual([...back.note.nested[0]!.a], [1, 2, 3]);
    assert.equal('$f64buffer' in back, false);
  });

  it('leaves a message without typed arrays as it is', () => {
    const message = { type: 'logLength', total: 3 };
    assert.equal(packMessage(message), message);
    assert.equal(unpackMessage(message), message);
  });
});
