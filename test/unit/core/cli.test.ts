import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { runCli } from '../../../src/cli/main';

const ROOT = resolve(__dirname, '../../..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in this process (same code path as the binary, minus process start-up). */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd });
  return { code, stdout, stderr };
}

/** The CLI as a user runs it: a separate node process. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, shell: false }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = makeStore();
    const a = new RunBuilder(dir, 'vision', 'abc12345').init({ name: 'jolly-haze-1', tags: ['best'] }).config({ lr: 0.01 });
    for (let s = 0; s < 5000; s++) a.history(s, { loss: s === 4321 ? 99 : 1 / (s + 1), ...(s % 1000 === 0 ? { val: s } : {}) });
    a.exit(0).write();
    new RunBuilder(dir, 'vision', 'abd99999').init({ name: 'brave-comet-2' }).history(0, { loss: NaN }).exit(1, 'failed').write();
    new RunBuilder(dir, 'audio', 'zzz00001').init({ name: 'solar-wave-1' }).exit(0).write();
  });
  after(removeStores);

  it('ls lists runs, as a table or as JSON', async () => {
    const table = await cli(['--dir', dir, 'ls', 'vision']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^PROJECT\s+ID\s+NAME\s+STATE/);
    assert.match(table.stdout, /vision\s+abc12345\s+jolly-haze-1\s+finished\s+4999/);
    const json = await cli(['--dir', dir, '--json', 'ls', '--filter', 'state:failed']);
    assert.deepEqual((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id), ['abd99999']);
    const sorted = await cli(['--dir', dir, '--json', 'ls', '--sort', 'name']);
    assert.deepEqual((JSON.parse(sorted.stdout) as { name: string }[]).map((r) => r.name), ['brave-comet-2', 'jolly-haze-1', 'solar-wave-1']);
  });

  it('show takes an ID, an ID prefix or project/id', async () => {
    const human = await cli(['--dir', dir, 'show', 'abc12345']);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /Name:\s+jolly-haze-1/);
    assert.match(human.stdout, /lr = 0\.01/);
    const json = await cli(['--dir', dir, '--json', 'show', 'vision/abd99999']);
    const run = JSON.parse(json.stdout) as { state: string; summary: { loss: unknown } };
    assert.equal(run.state, 'failed');
    assert.equal(run.summary.loss, 'NaN');
    const prefix = await cli(['--dir', dir, 'show', 'zzz']);
    assert.match(prefix.stdout, /solar-wave-1/);
  });

  it('history prints points, downsampled with --buckets', async () => {
    const all = await cli(['--dir', dir, 'history', 'abc12345', 'val']);
    assert.equal(all.stdout, 'step\tval\n0\t0\n1000\t1000\n2000\t2000\n3000\t3000\n4000\t4000\n');
    const down = await cli(['--dir', dir, '--json', 'history', 'abc12345', 'loss', '--buckets', '50']);
    const series = JSON.parse(down.stdout) as { downsampled: boolean; steps: number[]; values: number[] };
    assert.equal(series.downsampled, true);
    assert.ok(series.steps.length <= 100);
    assert.equal(series.values[series.steps.indexOf(4321)], 99);
  });

  it('exports every step as CSV or JSON lines', async () => {
    const csv = await cli(['--dir', dir, 'export', 'abc12345', '--format', 'csv']);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'step,time,loss,val');
    assert.equal(lines.length, 5001);
    assert.match(lines[1]!, /^0,\d+(\.\d+)?,1,0$/);
    assert.match(lines[2]!, /^1,[\d.]+,0\.5,$/);
    const out = join(dir, 'export.jsonl');
    const file = await cli(['--dir', dir, 'export', 'vision/abc12345', '--format', 'jsonl', '--out', out]);
    assert.equal(file.code, 0, file.stderr);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    assert.equal(rows.length, 5000);
    assert.deepEqual(Object.keys(rows[1000]!), ['step', 'time', 'loss', 'val']);
  });

  it('reindex rebuilds the index', async () => {
    const result = await cli(['--dir', dir, 'reindex']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Rebuilt the index of .*: 3 runs\./);
  });

  it('usage errors and unknown runs exit 1 with a message on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['--dir', dir, 'show', 'nope'], /no run with ID nope/],
      [['--dir', dir, 'show', 'ab'], /"ab" matches 2 runs .*give project\/id/],
      [['--dir', dir, 'ls', 'nosuchproject'], /no project "nosuchproject"/],
      [['--dir', dir, 'ls', '--filter', 'loss<'], /Filter term "loss<" at position 1: no value after "<"/],
      [['--dir', dir, 'ls', '--sort', 'size'], /"size" is not a sort key/],
      [['--dir', dir, 'history', 'abc12345', 'nope'], /has no metric "nope" \(metrics: loss, val\)/],
      [['--dir', dir, 'history', 'abc12345', 'loss', '--buckets', 'many'], /--buckets must be an integer/],
      [['--dir', dir, 'export', 'abc12345'], /--format csv or --format jsonl is required/],
      [['--dir', dir, 'frobnicate'], /unknown command "frobnicate"/],
      [['--dir', dir, 'ls', '--buckets', '3'], /--buckets is not an option of this command/],
      [['--dir', dir, '--bogus'], /Unknown option '--bogus'/],
      [['--dir', dir, 'show'], /expected 1 argument\(s\), got 0/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '');
    }
  });

  it('a missing store exits 2; RUNLOG_DIR names the store when --dir does not', async () => {
    const missing = await cli(['--dir', join(dir, 'nowhere'), 'ls']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no Runlog store at .*nowhere/);
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, 'x');
    assert.equal((await cli(['--dir', notADir, 'ls'])).code, 2);
    const viaEnv = await cli(['--json', 'projects'], { RUNLOG_DIR: dir });
    assert.deepEqual((JSON.parse(viaEnv.stdout) as { name: string }[]).map((p) => p.name), ['audio', 'vision']);
    const relative = await cli(['--json', 'projects'], {}, dir.replace(/\/[^/]+$/, ''));
    assert.equal(relative.code, 2); // ./.runlog does not exist there
  });

  it('runs as a separate process with the same exit codes', async () => {
    const help = await spawnCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage:\n\s+runlog ls/);
    const ls = await spawnCli(['ls', 'audio'], { RUNLOG_DIR: dir });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /zzz00001\s+solar-wave-1/);
    const notFound = await spawnCli(['--dir', dir, 'show', 'nope']);
    assert.equal(notFound.code, 1);
    assert.match(notFound.stderr, /runlog show: no run with ID nope/);
    const noStore = await spawnCli(['--dir', join(dir, 'nowhere'), 'ls']);
    assert.equal(noStore.code, 2);
  });
});
