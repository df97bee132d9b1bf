// Where each metric is logged from: the SDK's `callsite` records (once per key) read back
// through the index, and the pure helpers the code lens above a log() call is built from.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sparkline } from '../../../src/common/sparkline';
import { isLogLine, metricsOfFile } from '../../../src/extension/codelens/metricLines';
import { checkEventRecord } from '../../../src/core/format/records';
import { makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';

const SDK = resolve(__dirname, '../../../sdk/python');

function python(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile('python3', [script], { env: { ...process.env, ...env, PYTHONPATH: SDK, RUNLOG_QUIET: '1' }, shell: false, timeout: 120_000 }, (error, _stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

describe('callsites: where each metric is logged from', function () {
  this.timeout(180_000);
  afterEach(removeStores);

  it('the SDK records the file and line of the first log() of each key, once per key, and the index reads them', async () => {
    const dir = makeStore();
    const script = join(dir, 'train.py');
    writeFileSync(script, [
      'import runlog', //                                          1
      'run = runlog.init(project="demo", id="cs000001")', //       2
      'def log_val(v):', //                                        3
      '    runlog.log({"val/loss": v}, commit=False)', //          4
      'for i in range(20):', //                                    5
      '    run.log({"loss": 1 / (i + 1), "acc": i / 20})', //      6
      '    if i % 5 == 0:', //                                     7
      '        log_val(i)', //                                     8
      '    if i == 10:', //                                        9
      '        run.log({"lr": 0.1, "loss": 0})', //               10
      'run.log({"final": 1}, step=100)', //                       11
      'run.finish()', //                                          12
      '',
    ].join('\n'));
    const result = await python(script, { RUNLOG_DIR: dir });
    assert.equal(result.code, 0, result.stderr);

    const runDir = join(dir, 'projects', 'demo', 'runs', 'cs000001');
    const records = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records[0]!.minor, 2, 'the header says format 1.2');
    const callsites = records.filter((r) => r.type === 'callsite');
    assert.deepEqual(callsites.map((r) => [r.line, r.keys]), [[6, ['loss', 'acc']], [4, ['val/loss']], [10, ['lr']], [11, ['final']]], 'one record per new key set, not per call');
    for (const r of callsites) {
      assert.equal(r.file, script);
      assert.equal(checkEventRecord(r)?.ok, true);
    }

    const store = openTestStore(dir);
    try {
      assert.deepEqual(store.getRun('demo/cs000001')!.problems, []);
      assert.deepEqual(
        store.listCallsites('demo/cs000001').map((c) => [c.key, c.line]),
        [['val/loss', 4], ['acc', 6], ['loss', 6], ['lr', 10], ['final', 11]],
      );
      const inFile = store.callsitesInFile(script);
      assert.equal(inFile.length, 5);
      assert.ok(inFile.every((c) => c.run === 'demo/cs000001' && !c.running));
      assert.deepEqual(store.callsitesInFile(join(dir, 'other.py')), []);
      const shown = metricsOfFile(inFile)!;
      assert.deepEqual(shown.lines, [
        { line: 3, keys: ['val/loss'] },
        { line: 5, keys: ['acc', 'loss'] },
        { line: 9, keys: ['lr'] },
        { line: 10, keys: ['final'] },
      ]);
    } finally {
      store.close();
    }
    assert.deepEqual(readdirSync(runDir).includes('events.jsonl'), true);
  });

  it('a bad callsite record is a problem of its line; the rest of the run is kept', () => {
    assert.equal(checkEventRecord({ type: 'callsite', ts: 1, file: '', line: 1, keys: ['a'] })?.ok, false);
    assert.match(String((checkEventRecord({ type: 'callsite', ts: 1, file: '/a.py', line: 0, keys: ['a'] }) as { error: string }).error), /`line` must be a positive integer/);
    assert.match(String((checkEventRecord({ type: 'callsite', ts: 1, file: '/a.py', line: 3, keys: 'a' }) as { error: string }).error), /`keys` must be a list of strings/);
  });
});

describe('code lens helpers', () => {
  it('sparkline: means of equal runs scaled to eight bars, non-finite values left out', () => {
    assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([8, 7, 6, 5, 4, 3, 2, 1]), '█▇▆▅▄▃▂▁');
    assert.equal(sparkline([1, 1, 2, 2], 2), '▁█');
    assert.equal(sparkline([3, 3, 3]), '▄▄▄');
    assert.equal(sparkline([1, null, Number.NaN, Infinity, 2]), '▁█');
    assert.equal(sparkline([]), '');
    assert.equal(sparkline([null, Number.NaN]), '');
    assert.equal(sparkline(Array.from({ length: 1000 }, (_, i) => i)).length, 8);
  });

  it('metricsOfFile: a live run wins over a newer finished one; keys grouped by line, top-level first', () => {
    const shown = metricsOfFile([
      { run: 'p/new', running: false, key: 'x', line: 3 },
      { run: 'p/live', running: true, key: 'val/loss', line: 7 },
      { run: 'p/live', running: true, key: 'loss', line: 7 },
      { run: 'p/live', running: true, key: 'lr', line: 2 },
    ]);
    assert.deepEqual(shown, { run: 'p/live', lines: [{ line: 1, keys: ['lr'] }, { line: 6, keys: ['loss', 'val/loss'] }] });
    assert.equal(metricsOfFile([]), undefined);
  });

  it('isLogLine: a log( call outside a comment', () => {
    assert.equal(isLogLine('    run.log({"loss": l})'), true);
    assert.equal(isLogLine('wandb.log ({"a": 1})'), true);
    assert.equal(isLogLine('    log_val(i)'), false);
    assert.equal(isLogLine('    x = 1  # run.log(x)'), false);
    assert.equal(isLogLine('    catalog(x)'), false);
  });
});
