import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { IngestFailure } from '../../../src/core/model';
import { DEAD_PID, FIXTURE_T0, RunBuilder, makeStore, otherHost, removeStores, runDir } from '../../fixtures/runBuilder';
import { openTestStore, recordChanges, snapshot } from '../../fixtures/storeSnapshot';

const KEY = 'proj/run00001';

function fullRun(store: string): RunBuilder {
  return new RunBuilder(store, 'proj', 'run00001')
    .init({ name: 'jolly-haze-1', group: 'g1', job_type: 'train', tags: ['baseline'], notes: 'first try', meta: { program: '/work/train.py', command: ['train.py', '--lr', '0.01'], cwd: '/work', git: { commit: 'abc', dirty: true } } })
    .config({ lr: 0.01, model: { layers: 4, act: 'relu' } })
    .history(0, { loss: 1.5, acc: 0.1, 'val/loss': 1.7 })
    .history(1, { loss: 1.2, acc: 0.2 })
    .output('stdout', 'epoch 1\nepoch 2\n')
    .output('stderr', 'warning: slow\n')
    .system({ 'cpu/percent': 50, 'gpu/0/utilization': 80 })
    .config({ model: { layers: 6 } })
    .history(2, { loss: NaN, acc: Infinity })
    .history(3, { loss: 0.7, acc: 0.4, '損失': 3 })
    .summary({ best_acc: 0.9, loss: 0.1 })
    .file('files/model.txt', 'weights')
    .artifact({ direction: 'output', name: 'model', artifact_type: 'model', version: 'v0', digest: 'sha256:00', size: 7 })
    .alert('Loss spike', 'loss jumped', 'WARN')
    .heartbeat(3)
    .system({ 'cpu/percent': 60, 'gpu/0/utilization': 90 })
    .exit(0, 'finished');
}

describe('ingest', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('indexes every part of a run directory', () => {
    const dir = makeStore();
    fullRun(dir).write();
    const store = openTestStore(dir);
    const run = store.getRun(KEY)!;
    assert.equal(run.name, 'jolly-haze-1');
    assert.equal(run.state, 'finished');
    assert.equal(run.exitCode, 0);
    assert.equal(run.group, 'g1');
    assert.equal(run.jobType, 'train');
    assert.deepEqual(run.tags, ['baseline']);
    assert.equal(run.notes, 'first try');
    assert.equal(run.program, '/work/train.py');
    assert.deepEqual(run.command, ['train.py', '--lr', '0.01']);
    assert.deepEqual(run.configTree, { lr: 0.01, model: { layers: 6, act: 'relu' } });
    assert.deepEqual(run.config, { lr: 0.01, 'model/layers': 6, 'model/act': 'relu' });
    assert.equal(run.lastStep, 3);
    // Summary: last values, explicit ones win.
    assert.equal(run.summary.loss, 0.1);
    assert.equal(run.summary.acc, 0.4);
    assert.equal(run.summary.best_acc, 0.9);
    assert.equal(run.summary['損失'], 3);
    const loss = run.metrics.find((m) => m.key === 'loss')!;
    assert.deepEqual({ count: loss.count, first: loss.firstStep, last: loss.lastStep, min: loss.min, max: loss.max }, { count: 4, first: 0, last: 3, min: 0.7, max: 1.5 });
    assert.equal(run.metrics.find((m) => m.key === 'acc')!.max, Infinity);
    assert.deepEqual(run.systemMetrics, ['cpu/percent', 'gpu/0/utilization']);
    assert.deepEqual(run.artifacts.map((a) => [a.direction, a.name, a.version]), [['output', 'model', 'v0']]);
    assert.deepEqual(run.alerts.map((a) => [a.title, a.level]), [['Loss spike', 'WARN']]);
    assert.ok(run.files.some((f) => f.path === 'files/model.txt' && f.size === 7));
    assert.equal(run.outputLines, 3);
    assert.deepEqual(run.problems, []);

    const history = store.getHistory(KEY, 'loss');
    assert.deepEqual(history.steps, [0, 1, 2, 3]);
    assert.deepEqual(history.values, [1.5, 1.2, null, 0.7]); // NaN reads back as null
    assert.deepEqual(store.getHistory(KEY, 'acc').values, [0.1, 0.2, Infinity, 0.4]);
    assert.deepEqual(store.getSystem(KEY, 'cpu/percent').values, [50, 60]);
    assert.deepEqual(store.readOutput(KEY, 0, 10).map((l) => [l.line, l.stream, l.text]), [[0, 'stdout', 'epoch 1'], [1, 'stdout', 'epoch 2'], [2, 'stderr', 'warning: slow']]);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('is idempotent: a second pass and a reopen change nothing and emit nothing', () => {
    const dir = makeStore();
    fullRun(dir).write();
    const store = openTestStore(dir);
    const before = snapshot(store);
    const changes = recordChanges(store);
    store.sync(); // delivers the initial "rebuilt" batch
    changes.length = 0;
    store.sync();
    assert.deepEqual(changes, []);
    assert.deepEqual(snapshot(store), before);
    store.close();
    const again = openTestStore(dir);
    assert.deepEqual(snapshot(again), before);
    again.close();
  });

  it('many small appends, even mid-line, give the same index as one big write', () => {
    // Three segments: the middle one dies without an exit.
    const resumed = (b: RunBuilder) => b.at(FIXTURE_T0 + 500).init({ resumed: true }).history(4, { loss: 0.6 }).output('stdout', 'again\n').heartbeat().at(FIXTURE_T0 + 900).init({ resumed: true }).exit(0);
    const whole = makeStore();
    resumed(fullRun(whole)).write();
    const oneShot = openTestStore(whole);

    const pieces = makeStore();
    const builder = resumed(fullRun(pieces)).write();
    const store = openTestStore(pieces); // creates the index
    store.close();
    const files = ['events', 'output', 'system'] as const;
    const contents = files.map((f) => readFileSync(builder.path(f)));
    for (const f of files) writeFileSync(builder.path(f), '');
    // Rewrite the files from scratch in 23-byte pieces (lines cut anywhere), one sync each.
    const incremental = openTestStore(pieces);
    let offset = 0;
    const longest = Math.max(...contents.map((c) => c.length));
    while (offset < longest) {
      files.forEach((f, i) => {
        const piece = contents[i]!.subarray(offset, offset + 23);
        if (piece.length > 0) writeFileSync(builder.path(f), piece, { flag: 'a' });
      });
      offset += 23;
      incremental.sync();
    }
    const normalize = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
    assert.deepEqual(normalize(snapshot(incremental)), normalize(snapshot(oneShot)));
    assert.equal(oneShot.getRun(KEY)!.segments.length, 3);
    assert.equal(oneShot.getRun(KEY)!.segments[1]!.end, FIXTURE_T0 + 503);
    oneShot.close();
    incremental.close();
  });

  it('an ingest that fails mid-way commits nothing partial, and the next pass completes without duplicates', () => {
    const dir = makeStore();
    openTestStore(dir).close();
    const run = new RunBuilder(dir, 'proj', 'run00001').init({ name: 'big' }).write();
    run.writeHistoryBulk({ steps: 3000, metrics: ['loss', 'acc'] });
    run.exit(0).write();

    let commits = 0;
    let failing = true;
    const store = openTestStore(dir, {
      ingest: {
        maxSliceBytes: 16 * 1024, // many slices
        beforeCommit: (_run, file) => {
          if (file === 'events' && failing && ++commits === 4) throw new Error('disk full (simulated)');
        },
      },
    });
    assert.equal(store.failures.length, 1);
    assert.match(store.failures[0]!.message, /disk full \(simulated\)/);
    assert.equal(store.failures[0]!.run, KEY);
    const partial = store.getRun(KEY)!;
    const committed = partial.metrics.find((m) => m.key === 'loss')!;
    // Only whole slices landed: every stored step has both metrics, steps are contiguous.
    assert.equal(committed.count, committed.lastStep + 1);
    assert.equal(partial.metrics.find((m) => m.key === 'acc')!.count, committed.count);
    assert.ok(committed.count > 0 && committed.count < 3000);
    assert.equal(store.getHistory(KEY, 'loss').totalPoints, committed.count);

    failing = false;
    store.sync();
    assert.deepEqual(store.failures, []);
    const done = store.getRun(KEY)!;
    assert.equal(done.state, 'finished');
    for (const m of done.metrics) assert.deepEqual([m.key, m.count, m.firstStep, m.lastStep], [m.key, 3000, 0, 2999]);
    const series = store.getHistory(KEY, 'loss');
    assert.equal(series.steps.length, 3000);
    assert.ok(series.steps.every((s, i) => s === i));
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('two stores on one folder (editor and CLI) share the index without duplicates', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init().history(0, { loss: 1 }).write();
    const editor = openTestStore(dir);
    const cli = openTestStore(dir);
    b.history(1, { loss: 2 }).write();
    cli.sync();
    editor.sync();
    b.history(2, { loss: 3 }).exit(0).write();
    editor.sync();
    cli.sync();
    for (const store of [editor, cli]) {
      assert.deepEqual(store.getHistory(KEY, 'loss').values, [1, 2, 3]);
      assert.equal(store.getRun(KEY)!.metrics[0]!.count, 3);
      assert.equal(store.getRun(KEY)!.state, 'finished');
    }
    cli.rebuild('runlog reindex');
    assert.deepEqual(editor.getHistory(KEY, 'loss').values, [1, 2, 3]);
    editor.rename(KEY, 'renamed');
    assert.equal(cli.getRun(KEY)!.name, 'renamed');
    editor.close();
    cli.close();
  });

  it('a pass whose folder listing predates a run another process added keeps that run (ingest race)', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init().exit(0).write();
    const editor = openTestStore(dir);
    const cli = openTestStore(dir);
    // The editor lists the folders; before it reads the index, the CLI indexes a new run.
    const ingestor = (editor as unknown as { ingestor: { discover: () => unknown } }).ingestor;
    const discover = ingestor.discover.bind(ingestor);
    const late = new RunBuilder(dir, 'proj', 'run00002').init().history(0, { loss: 1 });
    ingestor.discover = () => {
      const listed = discover();
      late.write();
      cli.sync();
      return listed;
    };
    editor.sync();
    ingestor.discover = discover;
    assert.ok(cli.getRun('proj/run00002'), 'the editor deleted a run whose folder exists');
    late.history(1, { loss: 2 }).exit(0).write();
    cli.sync();
    editor.sync();
    for (const store of [editor, cli]) {
      assert.deepEqual(store.getHistory('proj/run00002', 'loss').values, [1, 2]);
      assert.deepEqual(store.failures, []);
    }
    editor.close();
    cli.close();
  });

  it('a step logged twice keeps one point with the newer value', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init().history(0, { loss: 1 }).history(1, { loss: 2 }).history(1, { loss: 5 }).history(2, { loss: 3 }).exit(0).write();
    const store = openTestStore(dir);
    assert.deepEqual(store.getHistory(KEY, 'loss').values, [1, 5, 3]);
    const m = store.getRun(KEY)!.metrics[0]!;
    assert.deepEqual([m.count, m.min, m.max], [3, 1, 5]);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('rewind supersedes history after the step; the old tail stays in the file', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init();
    for (let s = 0; s < 10; s++) b.history(s, { loss: 10 - s });
    b.exit(0).write();
    const store = openTestStore(dir);
    const changes = recordChanges(store);
    new RunBuilder(dir, 'proj', 'run00001').at(FIXTURE_T0 + 100).init({ resumed: true }).rewind(5).history(6, { loss: 100 }).history(7, { loss: 200 }).exit(0).write();
    store.sync();
    const series = store.getHistory(KEY, 'loss');
    assert.deepEqual(series.steps, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(series.values, [10, 9, 8, 7, 6, 5, 100, 200]);
    const m = store.getRun(KEY)!.metrics[0]!;
    assert.deepEqual([m.count, m.lastStep, m.max, m.last], [8, 7, 200, 200]);
    assert.equal(store.getRun(KEY)!.lastStep, 7);
    const history = changes.flat().find((c) => c.kind === 'history');
    assert.ok(history && history.kind === 'history' && history.fromStep <= 6);
    assert.match(readFileSync(new RunBuilder(dir, 'proj', 'run00001').path('events'), 'utf8'), /"step":9,/);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('a rewind into the level-of-detail blocks keeps downsampled charts right', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init().write();
    b.writeHistoryBulk({ steps: 20000, metrics: ['loss'], value: () => 1 });
    b.rewind(9999).write();
    b.writeHistoryBulk({ steps: 10000, startStep: 10000, metrics: ['loss'], value: () => 2 });
    b.exit(0).write();
    const store = openTestStore(dir);
    const series = store.getHistory(KEY, 'loss', { buckets: 100 });
    assert.equal(series.downsampled, true);
    assert.equal(series.totalPoints, 20000);
    for (let i = 0; i < series.steps.length; i++) assert.equal(series.values[i], series.steps[i]! < 10000 ? 1 : 2);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('records fork_of', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'fork0001').init({ fork_of: { run: 'run00001', step: 40 } }).history(41, { loss: 1 }).exit(0).write();
    const store = openTestStore(dir);
    assert.deepEqual(store.getRun('proj/fork0001')!.forkOf, { run: 'run00001', step: 40 });
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('runtime spans the whole run, duration only its segments', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001')
      .init({ ts: FIXTURE_T0 })
      .heartbeat(undefined, FIXTURE_T0 + 50) // the first segment dies without an exit
      .init({ ts: FIXTURE_T0 + 1000, resumed: true })
      .exit(0, 'finished', FIXTURE_T0 + 1100)
      .write();
    const store = openTestStore(dir);
    const run = store.getRun(KEY)!;
    assert.equal(run.runtimeSec, 1100);
    assert.equal(run.durationSec, 150);
    assert.deepEqual(run.segments, [{ start: FIXTURE_T0, end: FIXTURE_T0 + 50 }, { start: FIXTURE_T0 + 1000, end: FIXTURE_T0 + 1100 }]);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('a resumed segment renames the run as its script says; a later edit wins again', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init({ name: 'original' }).exit(0).write();
    const store = openTestStore(dir);
    store.rename(KEY, 'renamed'); // edit at the store clock, FIXTURE_T0 + 3600
    b.at(FIXTURE_T0 + 4000).init({ name: 'given on resume', resumed: true }).exit(0).write();
    store.sync();
    assert.equal(store.getRun(KEY)!.name, 'given on resume');
    b.edit({ type: 'name', name: 'edited after', ts: FIXTURE_T0 + 5000 }).write();
    store.sync();
    assert.equal(store.getRun(KEY)!.name, 'edited after');
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('edits win over earlier records and lose to later ones', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init({ name: 'a', ts: FIXTURE_T0 }).edit({ type: 'name', name: 'b', ts: FIXTURE_T0 + 10 }).write();
    b.name('c', FIXTURE_T0 + 5).write();
    const store = openTestStore(dir);
    assert.equal(store.getRun(KEY)!.name, 'b');
    b.name('d', FIXTURE_T0 + 20).exit(0).write();
    store.sync();
    assert.equal(store.getRun(KEY)!.name, 'd');
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('joins output chunks that end mid-line and searches them', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init().output('stdout', 'Epoch 1: lo').output('stdout', 'ss 0.5\nEpoch 2').output('stderr', 'ERROR boom\n').output('stdout', ': loss 0.4\r\n').exit(0).write();
    const store = openTestStore(dir);
    assert.deepEqual(store.readOutput(KEY, 0, 10).map((l) => l.text), ['Epoch 1: loss 0.5', 'Epoch 2', 'ERROR boom', ': loss 0.4']);
    assert.deepEqual(store.searchOutput(KEY, 'LOSS'), [0, 3]);
    assert.deepEqual(store.readOutput(KEY, 2, 1).map((l) => l.stream), ['stderr']);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('starts over when a file is replaced by a shorter one', () => {
    const dir = makeStore();
    const b = new RunBuilder(dir, 'proj', 'run00001').init().history(0, { loss: 1 }).history(1, { loss: 2 }).exit(0).write();
    const store = openTestStore(dir);
    writeFileSync(b.path('events'), '');
    new RunBuilder(dir, 'proj', 'run00001').init({ name: 'rewritten' }).history(0, { x: 7 }).exit(0).write();
    store.sync();
    const run = store.getRun(KEY)!;
    assert.equal(run.name, 'rewritten');
    assert.deepEqual(run.metrics.map((m) => m.key), ['x']);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});

describe('ingest: bad input', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('skips and counts corrupt lines and invalid records, naming file and line', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001')
      .init()
      .history(0, { loss: 1 })
      .raw('events', '{"type":"history","ts":1,"step":\n')
      .record({ type: 'history', ts: FIXTURE_T0, step: -3, data: {} })
      .record({ type: 'history', ts: FIXTURE_T0, step: 1, data: { loss: 2, label: 'text' } })
      .record({ type: 'telemetry', ts: FIXTURE_T0, anything: true })
      .exit(0)
      .write();
    const store = openTestStore(dir);
    const run = store.getRun(KEY)!;
    assert.equal(run.state, 'finished');
    assert.deepEqual(store.getHistory(KEY, 'loss').values, [1, 2]);
    assert.deepEqual(
      run.problems.map((p) => [p.file, p.line, p.kind]),
      [['events.jsonl', 4, 'corrupt'], ['events.jsonl', 5, 'invalid']],
    );
    assert.match(run.problems[0]!.message, /^events\.jsonl line 4: not valid JSON/);
    assert.match(run.problems[1]!.message, /line 5: "history" record: `step` must be a non-negative integer, skipped/);
    assert.equal(run.summary.label, 'text', 'a string in history is kept as text, not refused');
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('a last line without newline is pending while the run lives and torn once it ended', () => {
    const dir = makeStore();
    const clock = { now: Date.now() / 1000 };
    const b = new RunBuilder(dir, 'proj', 'run00001').at(clock.now).init({ pid: 4242 }).history(0, { loss: 1 }).raw('events', '{"type":"history","ts":1,"st').write();
    const alive = new Set([4242]);
    const store = openTestStore(dir, { clock, alive });
    assert.equal(store.getRun(KEY)!.state, 'running');
    assert.deepEqual(store.getRun(KEY)!.problems, []);
    // The writer finishes the line: nothing was lost or counted.
    b.raw('events', 'ep":1,"data":{"loss":2}}\n').raw('events', '{"type":"history","ts":1,"st').write();
    store.sync();
    assert.deepEqual(store.getHistory(KEY, 'loss').values, [1, 2]);
    assert.deepEqual(store.getRun(KEY)!.problems, []);
    // The process dies mid-line: the last line is torn.
    alive.clear();
    clock.now += 120;
    store.sync();
    const run = store.getRun(KEY)!;
    assert.equal(run.state, 'crashed');
    assert.deepEqual(run.problems.map((p) => [p.line, p.kind]), [[5, 'torn']]);
    assert.match(run.problems[0]!.message, /events\.jsonl line 5: torn last line/);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('refuses an unknown major version, shows the run with the problem and keeps its other files', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00002').header({ version: 2 }).init().history(0, { loss: 1 }).exit(0).output('stdout', 'hello\n').write();
    new RunBuilder(dir, 'proj', 'run00001').init().exit(0).write();
    const store = openTestStore(dir);
    const run = store.getRun('proj/run00002')!;
    assert.equal(run.problems.length, 1);
    assert.equal(run.problems[0]!.kind, 'unsupported-version');
    assert.match(run.problems[0]!.message, /events\.jsonl: format version 2 is not supported \(this Runlog reads version 1\)/);
    assert.deepEqual(run.metrics, []);
    assert.deepEqual(store.readOutput('proj/run00002', 0, 5).map((l) => l.text), ['hello']);
    assert.equal(store.getRun(KEY)!.state, 'finished');
    store.sync();
    assert.equal(store.getRun('proj/run00002')!.problems.length, 1);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('keeps file and artifact paths inside the run folder and the store', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001')
      .init()
      .record({ type: 'file', ts: FIXTURE_T0, path: '../../../../etc/passwd', size: 1 })
      .record({ type: 'file', ts: FIXTURE_T0, path: '/etc/passwd', size: 1 })
      .file('files/ok.txt', 'fine')
      .artifact({ direction: 'input', name: 'data', artifact_type: 'dataset', version: 'v3', digest: 'sha256:1', size: 1, path: '../../outside' })
      .exit(0)
      .write();
    const store = openTestStore(dir);
    const run = store.getRun(KEY)!;
    assert.deepEqual(run.files.filter((f) => !f.path.endsWith('.jsonl')).map((f) => f.path), ['files/ok.txt']);
    assert.deepEqual(run.problems.map((p) => [p.line, p.kind]), [[3, 'invalid'], [4, 'invalid']]);
    assert.match(run.problems[0]!.message, /must stay inside the run folder/);
    assert.equal(run.artifacts[0]!.dir, join(dir, 'projects', 'proj', 'artifacts', 'data', 'v3'));
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('reads a file that has no header as version 1 and says so', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').noHeader().init().history(0, { loss: 1 }).exit(0).write();
    const store = openTestStore(dir);
    const run = store.getRun(KEY)!;
    assert.equal(run.state, 'finished');
    assert.deepEqual(run.problems.map((p) => [p.line, p.kind]), [[1, 'invalid']]);
    assert.match(run.problems[0]!.message, /no header line/);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('a full disk during ingest rolls back, is reported, and the next pass completes', () => {
    const dir = makeStore();
    openTestStore(dir).close();
    const b = new RunBuilder(dir, 'proj', 'run00001').init().write();
    b.writeHistoryBulk({ steps: 20000, metrics: ['loss', 'acc'] });
    b.exit(0).write();
    const store = openTestStore(dir, { syncOnOpen: false });
    const failures: IngestFailure[] = [];
    store.onDidFail((f) => failures.push(...f));
    // A real SQLITE_FULL: the index may not grow past a few more pages.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 8}`);
    store.sync();
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.run, KEY);
    assert.equal(failures[0]!.file, 'events.jsonl');
    assert.match(failures[0]!.message, /full/);
    assert.deepEqual(store.getRun(KEY)?.metrics ?? [], []); // nothing half-written
    db.pragma('max_page_count = 1073741823');
    store.sync();
    assert.deepEqual(store.failures, []);
    assert.deepEqual(store.getRun(KEY)!.metrics.map((m) => [m.key, m.count]), [['acc', 20000], ['loss', 20000]]);
    assert.equal(store.getRun(KEY)!.state, 'finished');
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('a 10 MB line in a run does not break its ingest', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'proj', 'run00001').init().output('stdout', 'x'.repeat(10 * 1024 * 1024) + '\n').config({ big: 'y'.repeat(10 * 1024 * 1024) }).history(0, { loss: 1 }).exit(0).write();
    const store = openTestStore(dir, { ingest: { maxSliceBytes: 1024 * 1024 } });
    assert.equal(store.readOutput(KEY, 0, 1)[0]!.text.length, 10 * 1024 * 1024);
    assert.equal((store.getRun(KEY)!.config.big as string).length, 10 * 1024 * 1024);
    assert.deepEqual(store.getHistory(KEY, 'loss').values, [1]);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});

describe('run state', () => {
  afterEach(removeStores);
  const now = FIXTURE_T0 + 10_000;

  function stateOf(build: (b: RunBuilder) => RunBuilder, options: { alive?: Map<number, number> | number[]; now?: number } = {}): string {
    const dir = makeStore();
    build(new RunBuilder(dir, 'proj', 'run00001')).write();
    const alive = options.alive instanceof Map ? options.alive : new Set(options.alive ?? []);
    const store = openTestStore(dir, { clock: { now: options.now ?? now }, alive });
    const state = store.getRun(KEY)!.state;
    store.close();
    return state;
  }

  it('comes from the exit record: finished, failed, killed', () => {
    assert.equal(stateOf((b) => b.init().exit(0, 'finished')), 'finished');
    assert.equal(stateOf((b) => b.init().exit(3, 'failed')), 'failed');
    assert.equal(stateOf((b) => b.init().exit(130, 'killed')), 'killed');
  });

  it('on this host, is running exactly while its process lives, however long it is silent', () => {
    const started = now - 5000;
    assert.equal(stateOf((b) => b.at(now - 3000).init({ pid: 777, pid_start: started }), { alive: new Map([[777, started]]) }), 'running');
    // A suspended process or a laptop that slept: hours without a heartbeat, the process lives.
    assert.equal(stateOf((b) => b.at(now - 9000).init({ pid: 777, pid_start: started - 4000 }).heartbeat(), { alive: new Map([[777, started - 4000]]) }), 'running');
    // An SDK that recorded no start time, or a platform that tells none: the pid alone.
    assert.equal(stateOf((b) => b.at(now - 3000).init({ pid: 777 }), { alive: [777] }), 'running');
  });

  it('on this host, is crashed at once when its process is gone, heartbeats fresh or not', () => {
    assert.equal(stateOf((b) => b.at(now - 1).init({ pid: DEAD_PID }).heartbeat()), 'crashed');
    assert.equal(stateOf((b) => b.at(now - 61).init({ pid: DEAD_PID })), 'crashed');
  });

  it('on this host, is crashed when its pid now belongs to another process (started at another time)', () => {
    const started = now - 100;
    assert.equal(stateOf((b) => b.at(now - 1).init({ pid: 777, pid_start: started }).heartbeat(), { alive: new Map([[777, started + 50]]) }), 'crashed');
    // Within the tolerance the two clocks of one start are the same process.
    assert.equal(stateOf((b) => b.at(now - 1).init({ pid: 777, pid_start: started }).heartbeat(), { alive: new Map([[777, started + 1.5]]) }), 'running');
  });

  it('on another host, is running while heartbeats arrive and crashed after 3 missed ones', () => {
    // Heartbeats every 10 s: 3 missed is 30 s, plus the slack for the poll and the file system.
    assert.equal(stateOf((b) => b.at(now - 31).init(otherHost(10)).heartbeat()), 'running');
    assert.equal(stateOf((b) => b.at(now - 34).init(otherHost(10)).heartbeat()), 'crashed');
    // An SDK that did not record its interval: the SDK's default, 5 s.
    assert.equal(stateOf((b) => b.at(now - 16).init({ host: 'elsewhere', pid: 1 })), 'running');
    assert.equal(stateOf((b) => b.at(now - 18).init({ host: 'elsewhere', pid: 1 })), 'crashed');
  });

  it('on this host without a pid, is judged by heartbeats too', () => {
    assert.equal(stateOf((b) => b.at(now - 10).init({ pid: null as unknown as number, heartbeat_interval: 5 }).heartbeat()), 'running');
    assert.equal(stateOf((b) => b.at(now - 30).init({ pid: null as unknown as number, heartbeat_interval: 5 }).heartbeat()), 'crashed');
  });

  it('is running while its files are new and hold no record yet (the SDK is starting), crashed when they are old', () => {
    const dir = makeStore();
    const folder = runDir(dir, 'proj', 'run00001');
    mkdirSync(folder, { recursive: true });
    const events = join(folder, 'events.jsonl');
    writeFileSync(events, '');
    utimesSync(events, now - 2, now - 2);
    const clock = { now };
    const store = openTestStore(dir, { clock, alive: new Set<number>() });
    assert.equal(store.getRun(KEY)!.state, 'running', 'a run whose SDK has made its files but not yet written its init');
    store.close();
    const old = makeStore();
    const oldFolder = runDir(old, 'proj', 'run00001');
    mkdirSync(oldFolder, { recursive: true });
    writeFileSync(join(oldFolder, 'events.jsonl'), '');
    utimesSync(join(oldFolder, 'events.jsonl'), now - 3600, now - 3600);
    const stale = openTestStore(old, { clock: { now }, alive: new Set<number>() });
    assert.equal(stale.getRun(KEY)!.state, 'crashed', 'an empty run folder left an hour ago');
    stale.close();
  });

  it('takes a state edit newer than the last init, not an older one', () => {
    assert.equal(stateOf((b) => b.at(now - 10).init({ pid: 777 }).edit({ type: 'state', state: 'killed' }), { alive: [777] }), 'killed');
    assert.equal(stateOf((b) => b.at(now - 100).init({ pid: 777 }).edit({ type: 'state', state: 'killed' }).at(now - 10).init({ resumed: true, pid: 778 }), { alive: [778] }), 'running');
  });

  it('turns crashed on the timer with no new bytes, and says so', () => {
    const dir = makeStore();
    const clock = { now };
    new RunBuilder(dir, 'proj', 'run00001').at(now).init({ pid: 4242 }).heartbeat().write();
    const alive = new Set([4242]);
    const store = openTestStore(dir, { clock, alive });
    assert.equal(store.getRun(KEY)!.state, 'running');
    const changes = recordChanges(store);
    store.sync();
    changes.length = 0;
    alive.clear();
    clock.now += 1;
    store.sync();
    const run = store.getRun(KEY)!;
    assert.equal(run.state, 'crashed');
    assert.equal(run.endTime, now + 1);
    assert.deepEqual(changes.flat().filter((c) => c.kind === 'runUpdated'), [{ kind: 'runUpdated', run: KEY }]);
    assert.deepEqual(store.failures, []);
    store.close();
  });

  it('heartbeats alone emit no history or run changes; history alone no run change', () => {
    const dir = makeStore();
    const clock = { now };
    const b = new RunBuilder(dir, 'proj', 'run00001').at(now).init({ pid: 4242 }).history(0, { loss: 1 }).write();
    const store = openTestStore(dir, { clock, alive: new Set([4242]) });
    const changes = recordChanges(store);
    store.sync();
    changes.length = 0;
    b.at(now + 5).heartbeat().heartbeat().write();
    clock.now += 10;
    store.sync();
    assert.deepEqual(changes, []);
    b.history(1, { loss: 0.5 }).write();
    store.sync();
    // New history alone is a history change (the explorer re-reads that row alone, issue 14).
    assert.deepEqual(changes.flat(), [{ kind: 'history', run: KEY, keys: ['loss'], fromStep: 1, toStep: 1 }]);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});
