// Issue 17, item 13: which run ends are news for a notification.
import * as assert from 'node:assert/strict';
import type { RunInfo, RunState } from '../../../src/core/model';
import { RunEndTracker } from '../../../src/extension/alerts/runEnds';

const OPENED = 1_000_000;

function run(id: string, state: RunState, startTime = OPENED + 10): RunInfo {
  return { key: `p/${id}`, id, project: 'p', name: id, state, startTime } as RunInfo;
}

describe('RunEndTracker', () => {
  it('reports a run seen running that then fails or crashes, once', () => {
    const t = new RunEndTracker(OPENED);
    assert.equal(t.observe(run('a', 'running', OPENED - 500)), undefined);
    assert.equal(t.observe(run('a', 'failed', OPENED - 500)), 'failed');
    assert.equal(t.observe(run('a', 'failed', OPENED - 500)), undefined, 'a second change to the same run is not news');
    t.observe(run('b', 'running'));
    assert.equal(t.observe(run('b', 'crashed')), 'crashed');
  });

  it('reports a run that started after the window opened and failed before it was seen running', () => {
    assert.equal(new RunEndTracker(OPENED).observe(run('c', 'failed', OPENED + 1)), 'failed');
  });

  it('stays quiet about runs that ended before the window opened, and about good ends and stops', () => {
    const t = new RunEndTracker(OPENED);
    assert.equal(t.observe(run('old', 'failed', OPENED - 3600)), undefined, 'history is not news');
    assert.equal(t.observe(run('oldcrash', 'crashed', OPENED - 3600)), undefined);
    for (const state of ['finished', 'killed'] as const) {
      t.observe(run(state, 'running'));
      assert.equal(t.observe(run(state, state)), undefined, state);
    }
  });

  it('reports again when a resumed run fails again', () => {
    const t = new RunEndTracker(OPENED);
    t.observe(run('r', 'running'));
    assert.equal(t.observe(run('r', 'failed')), 'failed');
    t.observe(run('r', 'running'));
    assert.equal(t.observe(run('r', 'failed')), 'failed');
  });
});
