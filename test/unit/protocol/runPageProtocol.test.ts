import * as assert from 'node:assert/strict';
import {
  LIMITS,
  defaultRunPageState,
  parseRunPageMessage,
  parseRunPageState,
  type RunPageToHost,
} from '../../../src/common/runPageProtocol';

describe('run page protocol: messages from the webview', () => {
  const valid: RunPageToHost[] = [
    { type: 'ready' },
    { type: 'requestSeries', scope: 'history', keys: ['train/loss', 'val/acc'] },
    { type: 'requestSeries', scope: 'system', keys: ['cpu/percent'] },
    { type: 'zoom', requestId: 3, scope: 'history', keys: ['loss'], fromStep: 100, toStep: 2000 },
    { type: 'requestLines', from: 500, count: 500 },
    { type: 'searchLogs', requestId: 1, query: 'epoch' },
    { type: 'setNotes', notes: 'baseline with <img src=x onerror=alert(1)>' },
    { type: 'copy', text: 'abc' },
    { type: 'logAction', action: 'openInEditor' },
    { type: 'logAction', action: 'saveAs' },
    { type: 'fileAction', action: 'open', path: 'files/model.pt' },
    { type: 'fileAction', action: 'saveAs', path: 'output.jsonl' },
    { type: 'artifactAction', action: 'reveal', direction: 'output', name: 'model', version: 'v0' },
    { type: 'firstChartDrawn', at: 1764158400123.5 },
    { type: 'requestMedia', have: false },
    { type: 'requestMedia', have: true },
    { type: 'requestTableRows', requestId: 2, run: 'proj/run1', key: 'eval', step: 3, index: 0, offset: 200, count: 200, sort: { column: 1, descending: true }, filter: 'cat' },
  ];
  for (const message of valid) {
    it(`accepts ${message.type} ${JSON.stringify(message).slice(0, 60)}`, () => {
      assert.deepEqual(parseRunPageMessage(message), message);
    });
  }

  it('reads a media request without `have` (the compare page, an older page) as not holding the index', () => {
    assert.deepEqual(parseRunPageMessage({ type: 'requestMedia' }), { type: 'requestMedia', have: false });
    assert.deepEqual(parseRunPageMessage({ type: 'requestMedia', have: 'yes' }), { type: 'requestMedia', have: false });
  });

  it('normalizes tags: trimmed, non-empty, unique', () => {
    assert.deepEqual(parseRunPageMessage({ type: 'setTags', tags: [' a ', 'b', 'a', '', '  '] }), { type: 'setTags', tags: ['a', 'b'] });
  });

  it('drops fields it does not know', () => {
    assert.deepEqual(parseRunPageMessage({ type: 'ready', extra: 1, __proto__: { evil: true } }), { type: 'ready' });
    assert.deepEqual(parseRunPageMessage({ type: 'fileAction', action: 'open', path: 'a.txt', absolute: '/etc/passwd' }), {
      type: 'fileAction',
      action: 'open',
      path: 'a.txt',
    });
  });

  const invalid: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', {}],
    ['an unknown type', { type: 'runCommand', command: 'rm -rf /' }],
    ['an unknown scope', { type: 'requestSeries', scope: 'files', keys: [] }],
    ['keys that are not strings', { type: 'requestSeries', scope: 'history', keys: [1, 2] }],
    ['too many keys', { type: 'requestSeries', scope: 'history', keys: Array.from({ length: LIMITS.keysPerRequest + 1 }, (_, i) => `k${i}`) }],
    ['a key with NUL', { type: 'requestSeries', scope: 'history', keys: ['a\u0000b'] }],
    ['a reversed zoom', { type: 'zoom', requestId: 1, scope: 'history', keys: ['a'], fromStep: 10, toStep: 5 }],
    ['a NaN zoom', { type: 'zoom', requestId: 1, scope: 'history', keys: ['a'], fromStep: Number.NaN, toStep: 5 }],
    ['an infinite zoom', { type: 'zoom', requestId: 1, scope: 'history', keys: ['a'], fromStep: 0, toStep: Infinity }],
    ['a negative line', { type: 'requestLines', from: -1, count: 10 }],
    ['a fractional line', { type: 'requestLines', from: 1.5, count: 10 }],
    ['too many lines', { type: 'requestLines', from: 0, count: LIMITS.linesPerRequest + 1 }],
    ['zero lines', { type: 'requestLines', from: 0, count: 0 }],
    ['notes that are not text', { type: 'setNotes', notes: { text: 'x' } }],
    ['notes that are too long', { type: 'setNotes', notes: 'x'.repeat(LIMITS.notes + 1) }],
    ['tags that are not a list', { type: 'setTags', tags: 'a,b' }],
    ['too many tags', { type: 'setTags', tags: Array.from({ length: LIMITS.tags + 1 }, (_, i) => `t${i}`) }],
    ['a tag that is too long', { type: 'setTags', tags: ['x'.repeat(LIMITS.tag + 1)] }],
    ['an unknown log action', { type: 'logAction', action: 'delete' }],
    ['an unknown file action', { type: 'fileAction', action: 'delete', path: 'a' }],
    ['an empty path', { type: 'fileAction', action: 'open', path: '' }],
    ['a path that is not text', { type: 'fileAction', action: 'open', path: ['a'] }],
    ['an artifact direction that is unknown', { type: 'artifactAction', action: 'open', direction: 'sideways', name: 'm', version: 'v0' }],
    ['a timing that is not a number', { type: 'firstChartDrawn', at: '12' }],
    ['a request id that is negative', { type: 'searchLogs', requestId: -1, query: 'x' }],
  ];
  for (const [what, value] of invalid) {
    it(`refuses ${what}`, () => {
      assert.equal(parseRunPageMessage(value), undefined);
    });
  }
});

describe('run page protocol: saved state', () => {
  it('round-trips a valid state', () => {
    const state = {
      ...defaultRunPageState('proj/abc'),
      tab: 'logs' as const,
      xAxis: 'wall' as const,
      smoothing: 0.6,
      zooms: { 'history:loss': { fromStep: 10, toStep: 20 } },
      collapsed: ['history:train'],
    };
    assert.deepEqual(parseRunPageState(JSON.parse(JSON.stringify(state))), state);
  });

  it('needs a run key and repairs everything else', () => {
    assert.equal(parseRunPageState({ tab: 'charts' }), undefined);
    assert.equal(parseRunPageState(undefined), undefined);
    const repaired = parseRunPageState({ key: 'p/r', tab: 'nope', smoothing: 5, zooms: { a: { fromStep: 5, toStep: 1 }, b: 'x' }, logScale: 'yes' });
    assert.deepEqual(repaired, defaultRunPageState('p/r'));
  });
});
