// Bad and extreme input, from a real SDK process to what the index shows, as README's
// "Reliability" section documents it: torn and corrupt lines, 10 MB lines, 10,000 metric names,
// steps going backwards, log() after finish(), unicode and very long keys.

import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../src/core/store/Store';
import { RunBuilder } from '../../fixtures/runBuilder';
import { readRunFile, removeTemps, runPython, sdkEnv, tempDir } from '../../faults/lib/sdk';

function open(store: string): Store {
  return Store.open(store);
}

async function sdk(store: string, code: string, args: string[] = []): Promise<{ id: string; stderr: string }> {
  const result = await runPython(`import runlog, sys\n${code}\nprint("ID", run.id)\n`, args, sdkEnv(store));
  assert.equal(result.code, 0, result.stderr);
  return { id: /ID (\w+)/.exec(result.stdout)![1]!, stderr: result.stderr };
}

describe('faults: bad and extreme lines, from the SDK to the index', function () {
  this.timeout(180_000);
  after(removeTemps);

  it('a torn last line is skipped and named; resuming the run keeps everything around it', async () => {
    const store = tempDir();
    const { id } = await sdk(store, 'run = runlog.init(project="p")\nfor i in range(10): run.log({"loss": i})\nrun.finish()');
    const events = join(store, 'projects', 'p', 'runs', id, 'events.jsonl');
    // The process died mid-write: half a record, no newline.
    appendFileSync(events, '{"type":"history","ts":1,"step":10,"data":{"lo');
    const index = open(store);
    const key = `p/${id}`;
    assert.deepEqual(index.getHistory(key, 'loss').values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const torn = index.getRun(key)!.problems;
    assert.deepEqual(torn.map((p) => [p.file, p.kind]), [['events.jsonl', 'torn']]);
    assert.match(torn[0]!.message, /^events\.jsonl line \d+: torn last line \(\d+ bytes with no newline; the run ended mid-line\), skipped$/);

    await sdk(store, 'run = runlog.init(project="p", id=sys.argv[1], resume="must")\nrun.log({"loss": 100})\nrun.finish()', [id]);
    index.sync();
    const run = index.getRun(key)!;
    assert.equal(run.state, 'finished');
    assert.deepEqual(index.getHistory(key, 'loss').values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    // The SDK ended the torn line before appending: it is now one corrupt line, nothing else is.
    assert.deepEqual(run.problems.map((p) => [p.file, p.kind]), [['events.jsonl', 'corrupt']]);
    assert.equal(readRunFile(events).corrupt, 1);
    index.close();
  });

  it('a corrupt line in any run file is skipped, counted and named by file and line; the rest is read', () => {
    const store = tempDir();
    new RunBuilder(store, 'p', 'corrupt1')
      .init({ name: 'before' })
      .history(0, { loss: 1 })
      .raw('events', '{"type":"history","ts":1,"step":1,"data":{"loss":\n')
      .raw('events', '\u0000\u0001 binary junk \uFFFD\n')
      .history(2, { loss: 3 })
      .output('stdout', 'first\n')
      .raw('output', 'not json at all\n')
      .output('stdout', 'second\n')
      .system({ 'cpu/percent': 1 })
      .raw('system', '{"ts":1,"data":\n')
      .system({ 'cpu/percent': 2 })
      .edit({ type: 'name', name: 'renamed' })
      .raw('edits', '[1,2,3\n')
      .edit({ type: 'notes', text: 'kept' })
      .exit(0)
      .write();
    const index = open(store);
    const run = index.getRun('p/corrupt1')!;
    assert.equal(run.state, 'finished');
    assert.equal(run.name, 'renamed');
    assert.equal(run.notes, 'kept');
    assert.deepEqual(index.getHistory(run.key, 'loss').steps, [0, 2]);
    assert.deepEqual(index.readOutput(run.key, 0, 10).map((l) => l.text), ['first', 'second']);
    assert.deepEqual(index.getSystem(run.key, 'cpu/percent').values, [1, 2]);
    assert.deepEqual(
      run.problems.map((p) => [p.file, p.line, p.kind]),
      [
        ['edits.jsonl', 2, 'corrupt'],
        ['events.jsonl', 4, 'corrupt'],
        ['events.jsonl', 5, 'corrupt'],
        ['output.jsonl', 2, 'corrupt'],
        ['system.jsonl', 2, 'corrupt'],
      ],
    );
    for (const p of run.problems) assert.match(p.message, new RegExp(`^${p.file.replace('.', '\\.')} line ${p.line}: not valid JSON`));
    index.close();
  });

  it('a 10 MB printed line and a 10 MB config value are stored whole', async () => {
    const store = tempDir();
    const { id } = await sdk(
      store,
      'run = runlog.init(project="p", config={"blob": "c" * (10 * 1024 * 1024)})\nprint("o" * (10 * 1024 * 1024))\nprint("after")\nrun.log({"loss": 1})\nrun.finish()',
    );
    const index = open(store);
    const key = `p/${id}`;
    const lines = index.readOutput(key, 0, 10);
    assert.deepEqual(lines.map((l) => l.text.length), [10 * 1024 * 1024, 5]);
    assert.ok(/^o+$/.test(lines[0]!.text));
    assert.equal(index.getRun(key)!.config.blob, 'c'.repeat(10 * 1024 * 1024));
    assert.deepEqual(index.getHistory(key, 'loss').values, [1]);
    assert.deepEqual(index.getRun(key)!.problems, []);
    index.close();
  });

  it('10,000 distinct metric names are all kept, each with its own series', async () => {
    const store = tempDir();
    const { id } = await sdk(
      store,
      'run = runlog.init(project="p")\nfor s in range(3):\n    run.log({"m/%05d" % i: i + s for i in range(10000)})\nrun.finish()',
    );
    const index = open(store);
    const run = index.getRun(`p/${id}`)!;
    assert.equal(run.metrics.length, 10_000);
    assert.ok(run.metrics.every((m) => m.count === 3 && m.firstStep === 0 && m.lastStep === 2));
    assert.deepEqual(index.getHistory(run.key, 'm/09999').values, [9999, 10000, 10001]);
    assert.equal(Object.keys(run.summary).length, 10_000);
    index.close();
  });

  it('steps going backwards: the SDK drops them with a warning; a file that has them keeps the newest value of each step', async () => {
    const store = tempDir();
    const { id, stderr } = await sdk(
      store,
      'run = runlog.init(project="p")\nrun.log({"loss": 5.0}, step=5)\nrun.log({"loss": 3.0}, step=3)\nrun.log({"loss": 6.0}, step=6)\nrun.finish()',
    );
    assert.match(stderr, /log\(step=3\) dropped: steps must increase and the current step is 5/);
    const index = open(store);
    const kept = index.getHistory(`p/${id}`, 'loss');
    assert.deepEqual([kept.steps, kept.values], [[5, 6], [5, 6]]);

    // Another writer (or a hand-edited file) with steps out of order: each step keeps the value
    // written last, the chart is in step order, and the run's step is the highest.
    new RunBuilder(store, 'p', 'backward').init().history(5, { loss: 5 }).history(3, { loss: 3 }).history(5, { loss: 55 }).history(1, { loss: 1 }).exit(0).write();
    index.sync();
    const series = index.getHistory('p/backward', 'loss');
    assert.deepEqual([series.steps, series.values], [[1, 3, 5], [1, 3, 55]]);
    assert.equal(index.getRun('p/backward')!.lastStep, 5);
    assert.deepEqual(index.getRun('p/backward')!.problems, []);
    index.close();
  });

  it('log() and other calls after finish() write nothing and warn once', async () => {
    const store = tempDir();
    const { id, stderr } = await sdk(
      store,
      'run = runlog.init(project="p")\nrun.log({"loss": 1})\nrun.finish()\nrun.log({"loss": 2})\nrun.log({"loss": 3})\nrun.summary["x"] = 1\nrun.config["y"] = 2',
    );
    assert.equal(stderr.match(/after finish\(\) of run \w+ is ignored; nothing was written/g)?.length, 1, stderr);
    const events = readRunFile(join(store, 'projects', 'p', 'runs', id, 'events.jsonl')).records;
    assert.equal(events.at(-1)!.type, 'exit');
    const index = open(store);
    const run = index.getRun(`p/${id}`)!;
    assert.equal(run.state, 'finished');
    assert.deepEqual(index.getHistory(run.key, 'loss').values, [1]);
    assert.equal(run.summary.x, undefined);
    assert.equal(run.config.y, undefined);
    index.close();
  });

  it('unicode and very long keys, names and values come back exactly; invalid UTF-16 becomes U+FFFD', async () => {
    const store = tempDir();
    const longKey = `${'k'.repeat(10_000)}/tail`;
    const { id } = await sdk(
      store,
      [
        'long = "k" * 10000 + "/tail"',
        'run = runlog.init(project="p", name="実験 🚀 ünï", notes="ノート\\u202etxt.exe", tags=["タグ", "🏷️"], config={"学習率": 0.1, "émoji/🚀": "✓", long: 1})',
        'run.log({"損失/λ": 0.5, "🚀": 2, long: 3, "\\ud800lone": 4})',
        'print("出力 ✓ \\u0000 nul")',
        'run.finish()',
      ].join('\n'),
    );
    const index = open(store);
    const key = `p/${id}`;
    const run = index.getRun(key)!;
    assert.equal(run.name, '実験 🚀 ünï');
    assert.equal(run.notes, 'ノート\u202etxt.exe');
    assert.deepEqual(run.tags, ['タグ', '🏷️']);
    assert.deepEqual(run.config, { '学習率': 0.1, 'émoji/🚀': '✓', [longKey]: 1 });
    assert.deepEqual(run.metrics.map((m) => m.key).sort(), [longKey, '\uFFFDlone', '損失/λ', '🚀'].sort());
    assert.deepEqual(index.getHistory(key, '損失/λ').values, [0.5]);
    assert.deepEqual(index.getHistory(key, longKey).values, [3]);
    assert.deepEqual(index.getHistory(key, '\uFFFDlone').values, [4]);
    assert.equal(index.readOutput(key, 0, 1)[0]!.text, '出力 ✓ \u0000 nul');
    assert.deepEqual(run.problems, []);
    // The run file itself holds valid JSON for all of it.
    assert.equal(readRunFile(join(run.dir, 'events.jsonl')).corrupt, 0);
    assert.ok(readFileSync(join(run.dir, 'events.jsonl'), 'utf8').includes('"\\ud800lone"'));
    index.close();
  });
});
