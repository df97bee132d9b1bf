import * as assert from 'node:assert/strict';
import type { RunInfo } from '../../../src/core/model';
import { formatDuration, formatMetric } from '../../../src/extension/explorer/format';
import { describeGroup, describeProject, describeRun, keyMetricOf } from '../../../src/extension/explorer/runItem';
import { RunTreeModel, type ProjectRuns, type RunTreeNode } from '../../../src/extension/explorer/runTreeModel';

const T0 = 1764158400;

function run(id: string, fields: Partial<RunInfo> = {}): RunInfo {
  const project = fields.project ?? 'proj';
  return {
    key: `${project}/${id}`,
    id,
    project,
    entity: null,
    path: `${project}/${id}`,
    name: `name-${id}`,
    state: 'finished',
    group: null,
    jobType: null,
    sweepId: null,
    tags: [],
    notes: '',
    startTime: T0,
    endTime: T0 + 125,
    lastSeen: T0 + 125,
    runtimeSec: 125,
    durationSec: 125,
    lastStep: 99,
    exitCode: 0,
    pid: null,
    host: null,
    program: '/w/train.py',
    command: ['train.py'],
    cwd: '/w',
    dir: `/w/.runlog/projects/${project}/runs/${id}`,
    config: {},
    summary: { acc: 0.9, loss: 0.123456 },
    ...fields,
  };
}

describe('describeRun', () => {
  const opts = { keyMetric: '', fetchedAt: T0 + 200, now: T0 + 200 };

  it('labels a run whose name holds a right-to-left override in stored order, and reveals the override in the tooltip', () => {
    const v = describeRun(run('a1', { name: 'report-\u202Egnp.exe' }), opts);
    assert.equal(v.label, 'report-gnp.exe');
    assert.deepEqual(v.tooltip[0], ['Name', 'report-⟨U+202E⟩gnp.exe']);
  });

  it('shows step, the key metric and duration, and a state icon and context value', () => {
    const v = describeRun(run('a1'), opts);
    assert.equal(v.label, 'name-a1');
    assert.equal(v.description, 'step 99 · loss 0.1235 · 2m 05s');
    assert.equal(v.contextValue, 'run:finished');
    assert.equal(v.icon.id, 'pass');
  });

  it('gives each state its own icon, spinning while running', () => {
    const ids = (['running', 'finished', 'failed', 'crashed', 'killed'] as const).map((state) => describeRun(run('a', { state }), opts).icon.id);
    assert.equal(new Set(ids).size, 5);
    assert.match(ids[0]!, /~spin$/);
  });

  it('keeps counting the duration of a live run between reads', () => {
    const v = describeRun(run('a', { state: 'running', durationSec: 10, exitCode: null }), { ...opts, fetchedAt: T0, now: T0 + 5 });
    assert.match(v.description, /15s$/);
  });

  it('puts ID, run path, state, start, duration, tags and notes in the tooltip', () => {
    const v = describeRun(run('a1', { tags: ['x', 'y'], notes: 'try <b>bold</b>', state: 'failed', exitCode: 2 }), opts);
    const rows = new Map(v.tooltip);
    assert.equal(rows.get('ID'), 'a1');
    assert.equal(rows.get('Run path'), 'proj/a1');
    assert.equal(rows.get('State'), 'Failed (exit code 2)');
    assert.ok(rows.get('Started'));
    assert.equal(rows.get('Duration'), '2m 05s');
    assert.equal(rows.get('Tags'), 'x, y');
    assert.equal(rows.get('Notes'), 'try <b>bold</b>');
  });

  it('picks the configured metric, then loss, then the first numeric one', () => {
    assert.deepEqual(keyMetricOf({ summary: { acc: 1, loss: 2 } }, 'acc'), ['acc', 1]);
    assert.deepEqual(keyMetricOf({ summary: { acc: 1, loss: 2 } }, ''), ['loss', 2]);
    assert.deepEqual(keyMetricOf({ summary: { _runtime: 3, name: 'x', 'system/cpu': 4, acc: 1 } }, ''), ['acc', 1]);
    assert.equal(keyMetricOf({ summary: {} }, ''), undefined);
    const v = describeRun(run('a', { lastStep: null, summary: {} }), opts);
    assert.equal(v.description, '2m 05s');
  });

  it('describes projects and groups with their counts', () => {
    assert.equal(describeProject('p', 3, 1).description, '3 runs · 1 running');
    assert.equal(describeProject('p', 1, 0).description, '1 run');
    assert.equal(describeGroup('p', 'g', 2, 0).contextValue, 'group');
  });
});

describe('format', () => {
  it('formats durations', () => {
    assert.equal(formatDuration(45.9), '45s');
    assert.equal(formatDuration(125), '2m 05s');
    assert.equal(formatDuration(3720), '1h 02m');
    assert.equal(formatDuration(3 * 86400 + 4 * 3600), '3d 4h');
  });

  it('formats metrics, non-finite values included', () => {
    assert.equal(formatMetric(0.123456), '0.1235');
    assert.equal(formatMetric(12), '12');
    assert.equal(formatMetric(0.00001234), '1.234e-5');
    assert.equal(formatMetric(NaN), 'NaN');
    assert.equal(formatMetric(-Infinity), '-∞');
    assert.equal(formatMetric(null), '–');
  });
});

describe('RunTreeModel', () => {
  const print = (n: RunTreeNode): string => (n.kind === 'run' ? `${n.run.name}|${n.run.state}|${n.run.lastStep}` : n.kind === 'project' ? `${n.runCount}/${n.runningCount}` : n.kind === 'more' ? `more ${n.remaining}` : `${n.runCount}`);
  const snapshot = (runs: RunInfo[], name = 'proj'): ProjectRuns[] => [{ name, runs, totalRuns: runs.length }];

  it('builds projects, then groups before loose runs', () => {
    const m = new RunTreeModel();
    m.update(snapshot([run('a'), run('b', { group: 'g1' }), run('c'), run('d', { group: 'g1' })]), T0, print, false);
    const [project] = m.getChildren();
    assert.equal(project?.kind, 'project');
    const children = m.getChildren(project);
    assert.deepEqual(children.map((c) => c.id), ['group:proj/g1', 'run:proj/a', 'run:proj/c']);
    assert.deepEqual(m.getChildren(children[0]).map((c) => c.id), ['run:proj/b', 'run:proj/d']);
    assert.equal(m.getParent(m.findRun('proj/b')!)?.id, 'group:proj/g1');
    assert.deepEqual(m.runs().map((r) => r.key), ['proj/b', 'proj/d', 'proj/a', 'proj/c']);
  });

  it('keeps node identity and reports only the rows that changed', () => {
    const m = new RunTreeModel();
    assert.deepEqual(m.update(snapshot([run('a', { state: 'running' }), run('b')]), T0, print, false), { kind: 'all' });
    const a = m.findRun('proj/a')!;
    const same = m.update(snapshot([run('a', { state: 'running' }), run('b')]), T0, print, false);
    assert.deepEqual(same, { kind: 'none' });
    const stepped = m.update(snapshot([run('a', { state: 'running', lastStep: 100 }), run('b')]), T0, print, false);
    assert.equal(stepped.kind, 'nodes');
    assert.deepEqual(stepped.kind === 'nodes' && stepped.nodes, [a]);
    assert.equal(m.findRun('proj/a'), a, 'the same object, so the view keeps selection and expansion');
    assert.equal(a.run.lastStep, 100);
  });

  it('refreshes a project when a run is added to it, and everything when a project appears', () => {
    const m = new RunTreeModel();
    m.update(snapshot([run('a')]), T0, print, false);
    const added = m.update(snapshot([run('a'), run('b')]), T0, print, false);
    assert.equal(added.kind, 'nodes');
    assert.deepEqual(added.kind === 'nodes' && added.nodes.map((n) => n.id), ['project:proj']);
    const another = m.update([...snapshot([run('a'), run('b')]), { name: 'other', runs: [], totalRuns: 0 }], T0, print, false);
    assert.equal(another.kind, 'all');
  });

  it('hides projects without a matching run while a filter is on', () => {
    const m = new RunTreeModel();
    m.update([{ name: 'p1', runs: [], totalRuns: 4 }, { name: 'p2', runs: [run('x', { project: 'p2' })], totalRuns: 1 }], T0, print, true);
    assert.deepEqual(m.getChildren().map((n) => n.id), ['project:p2']);
    m.update([{ name: 'p1', runs: [], totalRuns: 4 }], T0, print, true);
    assert.equal(m.isEmpty, true);
  });

  it('re-renders live rows without reading the store', () => {
    const m = new RunTreeModel();
    let tick = 0;
    const p = (n: RunTreeNode): string => (n.kind === 'run' && n.run.state === 'running' ? `t${tick}` : print(n));
    m.update(snapshot([run('a', { state: 'running' }), run('b')]), T0, p, false);
    tick = 1;
    const d = m.rerender(m.runs().filter((r) => r.run.state === 'running'), p);
    assert.deepEqual(d.kind === 'nodes' && d.nodes.map((n) => n.id), ['run:proj/a']);
  });

  it('counts a group over the whole project (from the store), not only the runs of the page shown', () => {
    const m = new RunTreeModel();
    const groups = [{ group: 'g1', runCount: 120, runningCount: 2 }];
    m.update([{ name: 'proj', runs: [run('a', { group: 'g1' }), run('b', { group: 'g1', state: 'running' }), run('c', { group: 'g2' })], totalRuns: 500, matching: 500, running: 2, groups }], T0, print, false);
    const [project] = m.getChildren();
    const [g1, g2] = m.getChildren(project);
    assert.equal(g1?.kind === 'group' && `${g1.group} ${g1.runCount}/${g1.runningCount}`, 'g1 120/2');
    // A group the store did not count (an older store) counts the runs shown.
    assert.equal(g2?.kind === 'group' && `${g2.group} ${g2.runCount}/${g2.runningCount}`, 'g2 1/0');
  });

  it('ends a project read one page at a time with "Show more", counting what is not shown', () => {
    const m = new RunTreeModel();
    m.update([{ name: 'proj', runs: [run('a'), run('b', { state: 'running' })], totalRuns: 250, matching: 250, running: 3 }], T0, print, false);
    const [project] = m.getChildren();
    assert.equal(project?.kind === 'project' && `${project.runCount}/${project.runningCount}`, '250/3');
    const children = m.getChildren(project);
    assert.deepEqual(children.map((c) => c.id), ['run:proj/a', 'run:proj/b', 'more:proj']);
    assert.equal(children[2]?.kind === 'more' && children[2].remaining, 248);
    assert.deepEqual(m.runs().map((r) => r.key), ['proj/a', 'proj/b']);
    // The next page: the same nodes, the rest appended, the "Show more" row gone once all show.
    const a = m.findRun('proj/a');
    m.update([{ name: 'proj', runs: [run('a'), run('b', { state: 'running' }), run('c')], totalRuns: 3, matching: 3, running: 1 }], T0, print, false);
    assert.equal(m.findRun('proj/a'), a);
    assert.deepEqual(m.getChildren(project).map((c) => c.id), ['run:proj/a', 'run:proj/b', 'run:proj/c']);
  });
});
