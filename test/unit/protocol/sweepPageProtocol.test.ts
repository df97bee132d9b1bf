import * as assert from 'node:assert/strict';
import { parseSweepPageMessage, parseSweepPageState } from '../../../src/common/sweepPageProtocol';

describe('sweep page protocol', () => {
  it('accepts the messages the page sends and drops anything else', () => {
    for (const m of [{ type: 'ready' }, { type: 'openRun', project: 'p', runId: 'abc12345' }, { type: 'control', state: 'paused' }]) assert.deepEqual(parseSweepPageMessage(m), m);
    for (const m of [null, 'ready', { type: 'control', state: 'exploded' }, { type: 'openRun', project: 'p', runId: 'x'.repeat(65) }, { type: 'eval' }]) assert.equal(parseSweepPageMessage(m), undefined);
  });

  it('reads the state a page saved for Reload Window: the sweep id, nothing else', () => {
    assert.deepEqual(parseSweepPageState({ sweepId: 'ab12cd34', extra: 1 }), { sweepId: 'ab12cd34' });
    for (const s of [undefined, null, {}, { sweepId: '' }, { sweepId: 7 }, { sweepId: 'x'.repeat(201) }]) assert.equal(parseSweepPageState(s), undefined);
  });
});
