// Issue 17, item 2: the Charts and System tabs say what is missing and why.
import * as assert from 'node:assert/strict';
import type { RunView } from '../../../src/common/runPageProtocol';
import { emptyChartsText } from '../../../src/webview/runPage/emptyCharts';

type Run = Pick<RunView, 'state' | 'durationSec' | 'meta'>;
const run = (state: RunView['state'], durationSec: number, system_interval?: number): Run => ({
  state,
  durationSec,
  meta: system_interval === undefined ? {} : { system_interval },
});

describe('run page: empty Charts and System tabs', () => {
  it('says a live run has logged no metrics yet, and an ended one never did', () => {
    assert.equal(emptyChartsText('history', run('running', 3)).title, 'No metrics logged yet');
    const ended = emptyChartsText('history', run('finished', 125));
    assert.equal(ended.title, 'No metrics were logged');
    assert.match(ended.detail, /ended \(finished\) after 2m 05s without calling run\.log/);
  });

  it('gives the recorded sampling interval while the first system sample is still to come', () => {
    assert.equal(emptyChartsText('system', run('running', 2, 10)).title, 'No system samples yet: the first comes 10 s after start');
    assert.equal(emptyChartsText('system', run('running', 1, 2.5)).title, 'No system samples yet: the first comes 2.5 s after start');
    assert.match(emptyChartsText('system', run('running', 1, 30)).detail, /sampled every 30 s\.$/);
  });

  it('explains a run that ended before its first sample, and one with sampling off', () => {
    const short = emptyChartsText('system', run('finished', 3, 10));
    assert.equal(short.title, 'No system samples');
    assert.match(short.detail, /ended after 3s, before the first sample \(10 s after start\)/);
    assert.equal(emptyChartsText('system', run('finished', 60, 0)).title, 'System metrics are off for this run');
  });

  it('falls back to the SDK default, and says so, for runs that did not record their interval', () => {
    const old = emptyChartsText('system', run('running', 1));
    assert.equal(old.title, 'No system samples yet: the first comes 10 s after start');
    assert.match(old.detail, /the SDK’s default/);
  });
});
