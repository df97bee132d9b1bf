import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, makeStore, removeStores, runDir } from '../../fixtures/runBuilder';
import { openTestStore, recordChanges } from '../../fixtures/storeSnapshot';
import { NotFoundError, StoreError } from '../../../src/core/store/Store';
import { newRunId, projectNameProblem, runIdProblem } from '../../../src/core/names';

describe('edits', () => {
  afterEach(removeStores);

  function setup() {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init({ name: 'alpha', tags: ['a'] }).history(0, { loss: 1 }).output('stdout', 'hi\n').exit(0).write();
    new RunBuilder(dir, 'proj', 'run00002').init({ name: 'beta' }).exit(0).write();
    const store = openTestStore(dir);
    store.sync();
    return { dir, store, changes: recordChanges(store) };
  }

  it('rename, notes and tags go to edits.jsonl and show at once', () => {
    const { dir, store, changes } = setup();
    store.rename('proj/run00001', 'better name');
    store.setNotes('proj/run00001', 'why this run matters');
    store.setTags('proj/run00001', ['a', 'b', 'b', '  ']);
    const run = store.getRun('proj/run00001')!;
    assert.equal(run.name, 'better name');
    assert.equal(run.notes, 'why this run matters');
    assert.deepEqual(run.tags, ['a', 'b']);
    const edits = readFileSync(join(runDir(dir, 'proj', 'run00001'), 'edits.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    assert.deepEqual(edits.map((e) => e.type), ['name', 'notes', 'tags']);
    assert.deepEqual(changes, [[{ kind: 'runUpdated', run: 'proj/run00001' }], [{ kind: 'runUpdated', run: 'proj/run00001' }], [{ kind: 'runUpdated', run: 'proj/run00001' }]]);
    assert.deepEqual(store.listRuns('proj', { filter: 'tag:b' }).map((r) => r.id), ['run00001']);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('config and summary edits (the SDK Api\'s run.update()) merge into the run like their events', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init({ name: 'alpha' }).config({ lr: 0.1, opt: { name: 'sgd' } })
      .history(0, { loss: 1 }).summary({ best: 1 }).exit(0)
      .edit({ type: 'config', ts: 2e9, data: { opt: { momentum: 0.9 } } })
      .edit({ type: 'summary', ts: 2e9, data: { best: 0.5, note: 'checked' } })
      .write();
    const store = openTestStore(dir);
    store.sync();
    const run = store.getRun('proj/run00001')!;
    assert.deepEqual(run.configTree, { lr: 0.1, opt: { name: 'sgd', momentum: 0.9 } });
    assert.equal(run.summary.best, 0.5);
    assert.equal(run.summary.note, 'checked');
    assert.equal(run.summary.loss, 1);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('markState stops a live run in the index', () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 999 }).heartbeat().write();
    const store = openTestStore(dir, { clock, alive: new Set([999]) });
    assert.equal(store.getRun('proj/live0001')!.state, 'running');
    store.markState('proj/live0001', 'killed', 137);
    const run = store.getRun('proj/live0001')!;
    assert.equal(run.state, 'killed');
    assert.equal(run.exitCode, 137);
    assert.notEqual(run.endTime, null);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('moves a run to another project and returns its new key', () => {
    const { dir, store, changes } = setup();
    const key = store.moveRun('proj/run00001', 'archive');
    assert.equal(key, 'archive/run00001');
    assert.equal(store.getRun('proj/run00001'), undefined);
    const moved = store.getRun(key)!;
    assert.equal(moved.name, 'alpha');
    assert.equal(moved.dir, runDir(dir, 'archive', 'run00001'));
    assert.deepEqual(store.getHistory(key, 'loss').values, [1]);
    assert.ok(existsSync(join(moved.dir, 'events.jsonl')));
    assert.ok(!existsSync(runDir(dir, 'proj', 'run00001')));
    assert.deepEqual(changes.at(-1), [{ kind: 'projects' }, { kind: 'runRemoved', run: 'proj/run00001' }, { kind: 'runAdded', run: key }]);
    // The next pass agrees with the move (nothing removed or re-added).
    changes.length = 0;
    store.sync();
    assert.deepEqual(changes, []);
    assert.deepEqual(store.listProjects().map((p) => [p.name, p.runCount]), [['archive', 1], ['proj', 1]]);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('refuses a move onto an existing ID, a bad project name and a live run, with clear messages', () => {
    const { dir, store } = setup();
    new RunBuilder(dir, 'archive', 'run00001').init().exit(0).write();
    store.sync();
    assert.throws(() => store.moveRun('proj/run00001', 'archive'), (e: unknown) => e instanceof StoreError && /Project archive already has a run with ID run00001/.test(e.message));
    assert.throws(() => store.moveRun('proj/run00001', '.hidden'), /cannot start with "."/);
    assert.throws(() => store.moveRun('proj/run00001', 'a/b'), /cannot hold "\/"/);
    assert.throws(() => store.moveRun('proj/nope', 'x'), NotFoundError);
    const clock = { now: Date.now() / 1000 };
    new RunBuilder(dir, 'proj', 'live0001').at(clock.now).init({ pid: 999 }).heartbeat().write();
    const live = openTestStore(dir, { clock, alive: new Set([999]) });
    assert.throws(() => live.moveRun('proj/live0001', 'archive'), /still running; stop it before moving it/);
    live.close();
    assert.ok(existsSync(runDir(dir, 'proj', 'run00001')));
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('deletes runs: folders and rows', () => {
    const { dir, store, changes } = setup();
    store.deleteRuns(['proj/run00001', 'proj/run00002']);
    assert.ok(!existsSync(runDir(dir, 'proj', 'run00001')));
    assert.deepEqual(store.listRuns('proj'), []);
    assert.deepEqual(store.getHistory('proj/run00001', 'loss').steps, []);
    assert.deepEqual(store.readOutput('proj/run00001', 0, 10), []);
    assert.deepEqual(changes.flat().filter((c) => c.kind === 'runRemoved').map((c) => (c as { run: string }).run), ['proj/run00001', 'proj/run00002']);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('notices a run folder deleted on disk', () => {
    const { dir, store, changes } = setup();
    rmSync(runDir(dir, 'proj', 'run00002'), { recursive: true });
    store.sync();
    assert.deepEqual(store.listRuns('proj').map((r) => r.id), ['run00001']);
    assert.deepEqual(changes.flat(), [{ kind: 'projects' }, { kind: 'runRemoved', run: 'proj/run00002' }]);
    assert.equal(store.getRun('proj/run00002'), undefined);
    assert.throws(() => store.rename('proj/run00002', 'x'), /No run proj\/run00002/);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});

describe('names', () => {
  afterEach(removeStores);

  it('makes 8-character run IDs of [a-z0-9]', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newRunId()));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, /^[a-z0-9]{8}$/);
    assert.equal(runIdProblem('abc12345'), undefined);
    // As W&B allows: capitals, dots, dashes, underscores; not what W&B or a file system refuses.
    for (const ok of ['ABC', 'run.v2', 'My-Run_3', 'été']) assert.equal(runIdProblem(ok), undefined, ok);
    assert.match(runIdProblem('a b')!, /spaces/);
    assert.match(runIdProblem('a:b')!, /":"/);
    assert.match(runIdProblem('.hidden')!, /start with "."/);
    assert.match(runIdProblem('x'.repeat(65))!, /at most 64/);
  });

  it('validates project names', () => {
    assert.equal(projectNameProblem('my-project_1.0'), undefined);
    assert.match(projectNameProblem('')!, /empty/);
    assert.equal(projectNameProblem('My Project (v2)'), undefined, 'spaces and brackets, as W&B allows');
    assert.equal(projectNameProblem('x'.repeat(128)), undefined);
    assert.match(projectNameProblem('x'.repeat(129))!, /at most 128/);
    assert.match(projectNameProblem('a/b')!, /"\/"/);
    assert.match(projectNameProblem('a#b')!, /"#"/);
    assert.match(projectNameProblem('a|b')!, /"\|"/);
    assert.match(projectNameProblem(' lead')!, /space/);
    assert.match(projectNameProblem('NUL')!, /device name/);
  });
});
