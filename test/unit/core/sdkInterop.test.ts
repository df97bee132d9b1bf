// A run written by the real Python SDK (sdk/python) reads back through the index.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';

const SDK = resolve(__dirname, '../../../sdk/python');

function python(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile('python3', [script], { env: { ...process.env, ...env, PYTHONPATH: SDK, RUNLOG_QUIET: '1' }, shell: false, timeout: 60_000 }, (error, _stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

describe('runs written by the Python SDK', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  before(function () {
    if (!existsSync(join(SDK, 'runlog', '__init__.py'))) this.skip();
  });

  it('index with their config, history (NaN kept as a gap), summary, alerts, output and exit state', async () => {
    const dir = makeStore();
    const script = join(dir, 'train.py');
    writeFileSync(
      script,
      [
        'import runlog',
        'run = runlog.init(project="demo", id="sdkrun01", name="from-python", config={"lr": 0.01, "model": {"layers": 3}}, tags=["py"], group="g")',
        'for i in range(50):',
        '    run.log({"loss": 1 / (i + 1), "nested": {"a": i}, "odd": float("nan") if i == 7 else i})',
        'run.summary["best"] = 0.5',
        'run.alert("Done", "all good", "INFO")',
        'print("hello from python")',
        'run.finish()',
        '',
      ].join('\n'),
    );
    const result = await python(script, { RUNLOG_DIR: dir });
    assert.equal(result.code, 0, result.stderr);
    const store = openTestStore(dir);
    const run = store.getRun('demo/sdkrun01')!;
    assert.ok(run, 'the run is indexed');
    assert.deepEqual(run.problems, []);
    assert.equal(run.name, 'from-python');
    assert.equal(run.state, 'finished');
    assert.equal(run.exitCode, 0);
    assert.equal(run.group, 'g');
    assert.deepEqual(run.tags, ['py']);
    assert.deepEqual(run.config, { lr: 0.01, 'model/layers': 3 });
    assert.equal(run.lastStep, 49);
    assert.equal(run.summary.best, 0.5);
    assert.equal(run.summary.loss, 1 / 50);
    assert.equal(run.summary['nested/a'], 49);
    assert.deepEqual(run.alerts.map((a) => a.title), ['Done']);
    const odd = store.getHistory('demo/sdkrun01', 'odd');
    assert.equal(odd.steps.length, 50);
    assert.equal(odd.values[7], null);
    assert.ok(store.readOutput('demo/sdkrun01', 0, 100).some((l) => l.text === 'hello from python'));
    store.close();
  });

  it('follow resume, rewind and fork as the SDK writes them', async () => {
    const dir = makeStore();
    const step = (name: string, body: string[]) => {
      const path = join(dir, `${name}.py`);
      writeFileSync(path, ['import runlog', ...body, ''].join('\n'));
      return path;
    };
    const first = step('first', ['run = runlog.init(project="demo", id="base0001")', 'for i in range(10):', '    run.log({"loss": 10 - i})', 'run.finish()']);
    const rewind = step('rewind', ['run = runlog.init(project="demo", resume_from="base0001?_step=5")', 'for i in range(3):', '    run.log({"loss": 100 + i})', 'run.finish()']);
    const fork = step('fork', ['run = runlog.init(project="demo", id="fork0001", fork_from="base0001?_step=3")', 'run.log({"loss": -1})', 'run.finish()']);
    for (const script of [first, rewind, fork]) {
      const result = await python(script, { RUNLOG_DIR: dir });
      assert.equal(result.code, 0, result.stderr);
    }
    const store = openTestStore(dir);
    const base = store.getRun('demo/base0001')!;
    assert.deepEqual(base.problems, []);
    assert.equal(base.segments.length, 2);
    assert.equal(base.state, 'finished');
    const loss = store.getHistory('demo/base0001', 'loss');
    assert.deepEqual(loss.steps, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(loss.values, [10, 9, 8, 7, 6, 5, 100, 101, 102]);
    const forked = store.getRun('demo/fork0001')!;
    assert.deepEqual(forked.forkOf, { run: 'base0001', step: 3 });
    const forkLoss = store.getHistory('demo/fork0001', 'loss');
    assert.deepEqual(forkLoss.steps.at(-1), 4);
    assert.deepEqual(forkLoss.values.at(-1), -1);
    assert.deepEqual(store.failures, []);
    store.close();
  });
});
