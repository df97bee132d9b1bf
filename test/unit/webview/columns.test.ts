import * as assert from 'node:assert/strict';
import type { RunRow } from '../../../src/common/comparePageProtocol';
import { availableValueColumns, columnById, compareRows, defaultValueColumns } from '../../../src/webview/comparePage/columns';

function row(name: string, config: RunRow['config'], summary: RunRow['summary'], start = 0): RunRow {
  return {
    key: `p/${name}`, id: name, project: 'p', entity: null, path: `p/${name}`, name, state: 'finished', group: null, jobType: null, sweepId: null, tags: [],
    notes: '', startTime: start, endTime: null, lastSeen: 0, runtimeSec: 0, durationSec: start, lastStep: null, exitCode: 0, pid: null,
    host: null, program: null, command: null, cwd: null, dir: '', config, summary,
  };
}

describe('compare table columns', () => {
  const rows = [
    row('a', { lr: 0.1, opt: 'adam' }, { loss: 0.5 }, 3),
    row('b', { lr: 0.01, opt: 'adam' }, { loss: { nonFinite: 'NaN' } }, 1),
    row('c', { lr: 1, opt: 'sgd' }, {}, 2),
    row('run10', { opt: 'sgd' }, { loss: 0.2 }, 4),
    row('run9', { lr: 'auto', opt: 'sgd' }, { loss: 0.3 }, 5),
  ];
  const names = (sorted: RunRow[]) => sorted.map((r) => r.name);

  it('sorts numbers numerically, text after numbers, missing values last', () => {
    const lr = columnById('config.lr')!;
    assert.deepEqual(names([...rows].sort(compareRows(lr, false))), ['b', 'a', 'c', 'run9', 'run10']);
    assert.deepEqual(names([...rows].sort(compareRows(lr, true))), ['run9', 'c', 'a', 'b', 'run10']);
  });

  it('puts NaN summaries with the missing ones', () => {
    const loss = columnById('summary.loss')!;
    assert.deepEqual(names([...rows].sort(compareRows(loss, false))), ['run10', 'run9', 'a', 'b', 'c']);
  });

  it('sorts names naturally and start times as numbers', () => {
    assert.deepEqual(names([...rows].sort(compareRows(columnById('name')!, false))), ['a', 'b', 'c', 'run9', 'run10']);
    assert.deepEqual(names([...rows].sort(compareRows(columnById('start')!, true))), ['run9', 'run10', 'a', 'c', 'b']);
  });

  it('shows values as text, NaN included', () => {
    assert.equal(columnById('summary.loss')!.text(rows[1]!), 'NaN');
    assert.equal(columnById('config.lr')!.text(rows[3]!), '');
  });

  it('lists the keys there are and picks varying config keys first', () => {
    assert.deepEqual(availableValueColumns(rows), { config: ['lr', 'opt'], summary: ['loss'] });
    assert.deepEqual(defaultValueColumns(rows), ['config.lr', 'config.opt', 'summary.loss']);
  });

  it('knows no column it was not given', () => {
    assert.equal(columnById('dir'), undefined);
    assert.equal(columnById('config.'), undefined);
  });
});
