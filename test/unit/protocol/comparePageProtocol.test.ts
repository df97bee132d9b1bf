import * as assert from 'node:assert/strict';
import {
  COMPARE_LIMITS,
  defaultComparePageState,
  parseComparePageMessage,
  parseComparePageState,
} from '../../../src/common/comparePageProtocol';
import { compareTarget } from '../../../src/extension/comparePage/compareTarget';

describe('compare page protocol', () => {
  it('accepts the messages the page sends', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'loadMore' },
      { type: 'setFilter', filter: 'state:running config.lr>0.01' },
      { type: 'chartRuns', runs: ['p/a', 'p/b'] },
      { type: 'runsAction', action: 'delete', runs: ['p/a'] },
      { type: 'runsAction', action: 'tag', runs: ['p/a', 'p/b'] },
    ]) {
      assert.deepEqual(parseComparePageMessage(m), m);
    }
  });

  it('refuses malformed ones', () => {
    for (const m of [
      { type: 'setFilter', filter: 42 },
      { type: 'setFilter', filter: 'x'.repeat(COMPARE_LIMITS.filter + 1) },
      { type: 'chartRuns', runs: Array.from({ length: COMPARE_LIMITS.chartRuns + 1 }, (_, i) => `p/${i}`) },
      { type: 'runsAction', action: 'rename', runs: ['p/a'] },
      { type: 'runsAction', action: 'delete', runs: [] },
      { type: 'runsAction', action: 'delete', runs: 'p/a' },
      { type: 'eval', code: '1' },
    ]) {
      assert.equal(parseComparePageMessage(m), undefined, JSON.stringify(m).slice(0, 80));
    }
  });

  it('restores saved state and repairs bad fields', () => {
    const state = { ...defaultComparePageState('proj'), columns: ['config.lr'], groupBy: 'group', selected: ['proj/a'] };
    assert.deepEqual(parseComparePageState(JSON.parse(JSON.stringify(state))), state);
    assert.deepEqual(parseComparePageState({ project: 'proj', sort: { column: 3 }, xAxis: 'time' }), defaultComparePageState('proj'));
    assert.equal(parseComparePageState({ filter: 'x' }), undefined);
  });
});

describe('compareRuns arguments', () => {
  it('takes the project of a tree item with a run key, and selects the run', () => {
    assert.deepEqual(compareTarget([{ key: 'proj/abc12345', label: 'x' }]), { project: 'proj', runs: ['proj/abc12345'] });
  });

  it('takes the tree multi-selection from the second argument', () => {
    assert.deepEqual(compareTarget([{ key: 'proj/a' }, [{ key: 'proj/a' }, { key: 'proj/b' }, { key: 'other/c' }]]), {
      project: 'proj',
      runs: ['proj/a', 'proj/b'],
    });
  });

  it('takes a list of keys, an item with a project, or a project name', () => {
    assert.deepEqual(compareTarget([['proj/a', 'proj/b']]), { project: 'proj', runs: ['proj/a', 'proj/b'] });
    assert.deepEqual(compareTarget([{ project: 'mnist' }]), { project: 'mnist', runs: [] });
    assert.deepEqual(compareTarget(['mnist']), { project: 'mnist', runs: [] });
  });

  it('names nothing without arguments', () => {
    assert.equal(compareTarget([]), undefined);
    assert.equal(compareTarget([undefined]), undefined);
    assert.equal(compareTarget([{}]), undefined);
  });
});
