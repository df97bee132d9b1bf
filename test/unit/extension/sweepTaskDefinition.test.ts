// Issue 13 (gap): a sweep defined in tasks.json, as the `runlog-sweep` task type.
import * as assert from 'node:assert/strict';
import { checkSweepTaskDefinition, sweepTaskLabel } from '../../../src/extension/sweeps/sweepTaskDefinition';

describe('runlog-sweep task definition', () => {
  it('takes a sweep file to create a sweep from, or the ID of a sweep to join, with an agent count', () => {
    assert.deepEqual(checkSweepTaskDefinition({ type: 'runlog-sweep', config: 'sweeps/lr.yaml', agents: 2, label: 'lr sweep' }), {
      ok: true,
      value: { type: 'runlog-sweep', config: 'sweeps/lr.yaml', agents: 2 },
    });
    assert.deepEqual(checkSweepTaskDefinition({ type: 'runlog-sweep', sweep: 'ab12cd34', agent: 1 }), { ok: true, value: { type: 'runlog-sweep', sweep: 'ab12cd34' } });
    assert.equal(sweepTaskLabel({ type: 'runlog-sweep', config: 'sweeps/lr.yaml' }, 2), 'sweep: sweeps/lr.yaml · 2 agents');
    assert.equal(sweepTaskLabel({ type: 'runlog-sweep', sweep: 'ab12cd34' }, 1), 'sweep ab12cd34 · 1 agent');
  });

  it('names each problem of a bad definition', () => {
    const errors = (raw: unknown) => {
      const r = checkSweepTaskDefinition(raw);
      return r.ok ? [] : r.errors;
    };
    assert.deepEqual(errors({ type: 'runlog-sweep' }), ['Give "config", the sweep file to create a sweep from, or "sweep", the ID of a sweep to join.']);
    assert.deepEqual(errors({ type: 'runlog-sweep', config: 'a.yaml', sweep: 'abc' }), ['Give "config" (to create a sweep) or "sweep" (to join one), not both.']);
    assert.deepEqual(errors({ type: 'runlog-sweep', sweep: '../x' }), ['"sweep" "../x" is not a sweep ID: use 1-64 characters of a-z 0-9 _ -.']);
    assert.deepEqual(errors({ type: 'runlog-sweep', config: 'a.yaml', agents: 0 }), ['"agents" must be a whole number from 1 to 64.']);
    assert.deepEqual(errors({ type: 'runlog-sweep', config: 'a.yaml', agents: 2.5 }), ['"agents" must be a whole number from 1 to 64.']);
    assert.deepEqual(errors({ type: 'runlog-sweep', config: 7 }), ['"config" must name the sweep file (YAML or JSON).']);
    assert.deepEqual(errors([]), ['The task definition is not an object.']);
  });
});
