// W&B's define_metric and text values in history, as the index reads them (README.md, On-disk
// format: "metric" records; history values that are not numbers).

import * as assert from 'node:assert/strict';
import { runKey } from '../../../src/core/model';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';

const KEY = runKey('My Project', 'Run.V2');

describe('metric definitions and text history', function () {
  this.timeout(20_000);
  afterEach(removeStores);

  it('applies each summary rule, keeps explicit summary values, and reports x axis and hidden per key', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'My Project', 'Run.V2').init();
    b.record({ type: 'metric', ts: 1, name: 'epoch' });
    b.record({ type: 'metric', ts: 1, name: 'val/*', step_metric: 'epoch', summary: ['min', 'max', 'mean'], goal: 'minimize' });
    b.record({ type: 'metric', ts: 1, name: 'acc', summary: ['best'], goal: 'maximize' });
    b.record({ type: 'metric', ts: 1, name: 'noise', summary: ['none'], hidden: true });
    b.record({ type: 'metric', ts: 1, name: 'pinned', summary: ['max'] });
    b.history(0, { epoch: 0, 'val/loss': 3, acc: 0.5, noise: 1, pinned: 1 });
    b.history(1, { epoch: 1, 'val/loss': 1, acc: 0.9, noise: 2, pinned: 5 });
    b.history(2, { epoch: 2, 'val/loss': 2, acc: 0.7, noise: 3, pinned: 2 });
    b.summary({ pinned: 42 });
    b.exit(0).write();
    const run = openTestStore(dir).getRun(KEY)!;
    assert.equal(run.project, 'My Project', 'a project name with a space, shown as given');
    assert.equal(run.id, 'Run.V2');
    assert.deepEqual(
      Object.fromEntries(Object.entries(run.summary).sort(([a], [b]) => a.localeCompare(b))),
      { 'acc/best': 0.9, epoch: 2, pinned: 42, 'val/loss/max': 3, 'val/loss/mean': 2, 'val/loss/min': 1 },
    );
    const byKey = new Map(run.metrics.map((m) => [m.key, m]));
    assert.equal(byKey.get('val/loss')!.stepMetric, 'epoch', 'the glob gives val/loss its x axis');
    assert.equal(byKey.get('noise')!.hidden, true);
    assert.equal(byKey.get('acc')!.goal, 'maximize');
    assert.equal(byKey.get('epoch')!.stepMetric, undefined);
    const listed = openTestStore(dir).listRuns('My Project')[0]!;
    assert.deepEqual(listed.summary, run.summary, 'the runs table shows the same summary');
  });

  it('keeps strings in history as text: the summary shows the last one, with no ingest problem', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'p', 'r1').init()
      .history(0, { loss: 1, note: 'warming up' })
      .history(1, { loss: 0.5, note: 'steady', tokens: ['a', 'b'] })
      .exit(0).write();
    const run = openTestStore(dir).getRun(runKey('p', 'r1'))!;
    assert.equal(run.summary.note, 'steady');
    assert.equal(run.summary.loss, 0.5);
    assert.deepEqual(run.problems, []);
    const note = run.metrics.find((m) => m.key === 'note')!;
    assert.equal(note.count, 2);
    assert.equal(note.min, null, 'text has no numeric range');
  });

  it('refuses a metric record with an unknown summary op, naming the field', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'p', 'r2').init().record({ type: 'metric', ts: 1, name: 'x', summary: ['median'] }).history(0, { x: 1 }).exit(0).write();
    const run = openTestStore(dir).getRun(runKey('p', 'r2'))!;
    assert.equal(run.summary.x, 1);
    assert.equal(run.problems.length, 1);
    assert.match(run.problems[0]!.message, /"metric" record: `summary` must be a list of min, max, mean/);
  });
});
