import * as assert from 'node:assert/strict';
import { ema } from '../../../src/webview/shared/ema';

describe('EMA smoothing', () => {
  it('is the identity at weight 0', () => {
    assert.deepEqual([...ema([1, 5, 3], 0)], [1, 5, 3]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of ema([2, 2, 2, 2], 0.9)) assert.ok(Math.abs(v - 2) < 1e-12);
  });

  it('follows a step slowly at high weight', () => {
    const out = ema([0, 0, 0, 10, 10, 10], 0.8);
    assert.equal(out[2], 0);
    assert.ok(out[3]! > 0 && out[3]! < 10);
    assert.ok(out[5]! > out[4]! && out[4]! > out[3]!);
  });

  it('matches the debiased formula', () => {
    const w = 0.6;
    const ys = [1, 3, 2];
    const out = ema(ys, w);
    let last = 0;
    ys.forEach((y, i) => {
      last = last * w + (1 - w) * y;
      assert.ok(Math.abs(out[i]! - last / (1 - w ** (i + 1))) < 1e-12);
    });
  });

  it('keeps NaN and infinities where they are without poisoning later points', () => {
    const out = ema([1, Number.NaN, Infinity, 1], 0.5);
    assert.equal(out[0], 1);
    assert.ok(Number.isNaN(out[1]!));
    assert.equal(out[2], Infinity);
    assert.equal(out[3], 1);
  });
});
