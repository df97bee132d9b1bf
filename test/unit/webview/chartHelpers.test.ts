import * as assert from 'node:assert/strict';
import { groupStats } from '../../../src/webview/shared/groupStats';
import { assignRunColors, distinctColors, RUN_COLORS, runColor, withAlpha } from '../../../src/webview/shared/palette';
import { groupBySection, matchesMetricFilter, sectionOf } from '../../../src/webview/shared/sections';
import { formatBytes, formatCommand, formatDuration, formatNumber, formatRelative, formatWire, niceTimeStep } from '../../../src/webview/shared/format';

describe('metric sections and search', () => {
  it('puts metrics in sections by prefix, top-level ones in Charts first', () => {
    assert.equal(sectionOf('train/loss'), 'train');
    assert.equal(sectionOf('a/b/c'), 'a/b');
    assert.equal(sectionOf('loss'), 'Charts');
    assert.deepEqual(groupBySection(['val/acc', 'loss', 'train/loss', 'train/acc', 'val/loss', 'epoch']), [
      { name: 'Charts', keys: ['epoch', 'loss'] },
      { name: 'train', keys: ['train/acc', 'train/loss'] },
      { name: 'val', keys: ['val/acc', 'val/loss'] },
    ]);
  });

  it('sorts numbered keys naturally', () => {
    assert.deepEqual(groupBySection(['layer10/w', 'layer2/w'])[0]!.name, 'layer2');
  });

  it('matches every word, case-insensitively, or a /regex/', () => {
    assert.ok(matchesMetricFilter('train/Loss', 'loss'));
    assert.ok(matchesMetricFilter('train/loss', 'tra los'));
    assert.ok(!matchesMetricFilter('train/loss', 'val'));
    assert.ok(matchesMetricFilter('val/acc_top5', '/acc_top\\d/'));
    assert.ok(!matchesMetricFilter('val/acc', '/^train/'));
    assert.ok(matchesMetricFilter('x', '   '));
  });
});

describe('run colours', () => {
  it('gives a run the same colour every time', () => {
    assert.equal(runColor('p/abc'), runColor('p/abc'));
    assert.ok(RUN_COLORS.includes(runColor('p/abc') as (typeof RUN_COLORS)[number]));
  });

  it('gives the runs of a project distinct colours, and keeps them as newer runs appear', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `p/run${i}`);
    const first = assignRunColors(keys.slice(0, 8));
    assert.equal(new Set(first.values()).size, 8);
    const later = assignRunColors(keys);
    for (const k of keys.slice(0, 8)) assert.equal(later.get(k), first.get(k));
    assert.equal(new Set(later.values()).size, 10);
  });

  it('keeps runs drawn together apart, changing only the newer of two that collide', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `p/run${i}`);
    const project = assignRunColors(keys);
    const shown = keys.slice(28, 38);
    const colors = distinctColors(shown, project);
    assert.equal(new Set(colors.values()).size, 10);
    const kept = shown.filter((k) => colors.get(k) === project.get(k)).length;
    assert.ok(kept >= 8, `${kept} of 10 runs keep their own colour`);
  });

  it('fades a colour', () => {
    assert.equal(withAlpha('#ff0080', 0.5), 'rgba(255, 0, 128, 0.5)');
  });
});

describe('group mean and min–max band', () => {
  it('averages runs logged at different steps on a shared grid', () => {
    const a = { x: [0, 10, 20, 30, 40], y: [0, 1, 2, 3, 4] };
    const b = { x: [0, 20, 40], y: [2, 4, 6] };
    const s = groupStats([a, b], 5);
    assert.equal(s.x.length, 5);
    for (let i = 0; i < 5; i++) {
      assert.ok(s.min[i]! <= s.mean[i]! && s.mean[i]! <= s.max[i]!);
      assert.equal(s.count[i], 2);
    }
    assert.equal(s.mean[0], 1);
    assert.equal(s.min[0], 0);
    assert.equal(s.max[0], 2);
    assert.equal(s.mean[4], 5);
  });

  it('counts a run only where it has data', () => {
    const long = { x: Array.from({ length: 10 }, (_, i) => i * 10), y: Array.from({ length: 10 }, () => 1) };
    const short = { x: [0, 10], y: [3, 3] };
    const s = groupStats([long, short], 10);
    assert.equal(s.count[0], 2);
    assert.equal(s.count[9], 1);
    assert.equal(s.mean[9], 1);
  });

  it('interpolates a sparse run across empty bins', () => {
    const dense = { x: Array.from({ length: 10 }, (_, i) => i), y: Array.from({ length: 10 }, (_, i) => i) };
    const sparse = { x: [0, 9], y: [0, 9] };
    const s = groupStats([dense, sparse], 10);
    for (let i = 0; i < 10; i++) {
      assert.equal(s.count[i], 2);
      assert.ok(Math.abs(s.mean[i]! - i) < 1e-9, `bin ${i}: ${s.mean[i]}`);
    }
  });

  it('skips NaN points and handles empty input', () => {
    const s = groupStats([{ x: [0, 1, 2, 3], y: [1, Number.NaN, 3, 4] }], 3);
    assert.deepEqual([...s.count], [1, 1, 1]);
    assert.ok(s.mean.every((v) => Number.isFinite(v)));
    assert.equal(groupStats([], 10).x.length, 0);
  });
});

describe('formatting', () => {
  it('formats durations, sizes and numbers', () => {
    assert.equal(formatDuration(59), '59s');
    assert.equal(formatDuration(3725), '1h 02m');
    assert.equal(formatDuration(90061), '1d 1h');
    assert.equal(formatBytes(1536), '1.50 KB');
    assert.equal(formatBytes(12 * 1024 ** 3), '12.0 GB');
    assert.equal(formatNumber(0.123456789), '0.123457');
    assert.equal(formatNumber(1e-7), '1e-7');
    assert.equal(formatNumber(123456789), '123456789');
    assert.equal(formatRelative(90), '1.5m');
    assert.equal(formatWire({ nonFinite: 'NaN' }), 'NaN');
    assert.equal(formatWire(null), 'null');
  });

  it('spaces time ticks on clock-friendly steps', () => {
    assert.equal(niceTimeStep(2000, 6), 600);
    assert.equal(niceTimeStep(50, 6), 10);
    assert.equal(niceTimeStep(50_000, 6), 10800);
    assert.equal(niceTimeStep(90 * 86400, 6), 3 * 604800);
    assert.equal(niceTimeStep(0, 6), 1);
  });

  it('quotes command arguments with spaces or quotes', () => {
    assert.equal(formatCommand(['python', 'train.py', '--name', "it's big", '--lr=0.1']), `python train.py --name 'it'\\''s big' --lr=0.1`);
  });
});
