// Issue 17, item 8: Compare Runs opened from one run charts more than that run.
import * as assert from 'node:assert/strict';
import { initialSelection } from '../../../src/extension/comparePage/compareTarget';

const newest = ['p/r9', 'p/r8', 'p/r7', 'p/r6', 'p/r5'];

describe('Compare Runs: the runs a page opens with', () => {
  it('opens from one run with the newest runs of its project, that run among them, in order', () => {
    assert.deepEqual(initialSelection({ project: 'p', runs: ['p/r7'] }, newest, 3), ['p/r9', 'p/r8', 'p/r7']);
    assert.deepEqual(initialSelection({ project: 'p', runs: ['p/r9'] }, newest.slice(0, 3), 3), ['p/r9', 'p/r8', 'p/r7']);
  });

  it('keeps an older run that is not among the newest, as the last of them', () => {
    assert.deepEqual(initialSelection({ project: 'p', runs: ['p/r1'] }, newest.slice(0, 3), 3), ['p/r9', 'p/r8', 'p/r1']);
  });

  it('keeps a selection of several runs, and an empty one, as they are', () => {
    assert.deepEqual(initialSelection({ project: 'p', runs: ['p/r5', 'p/r1'] }, newest, 10), ['p/r5', 'p/r1']);
    assert.deepEqual(initialSelection({ project: 'p', runs: [] }, newest, 10), []);
  });

  it('opens with the one run alone when the setting asks for one', () => {
    assert.deepEqual(initialSelection({ project: 'p', runs: ['p/r7'] }, newest, 1), ['p/r7']);
  });
});
