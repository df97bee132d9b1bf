// runlog.init(): the run directory, header, init record and its metadata, IDs, names, the
// environment the editor injects, and the terminal report.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cleanTemps, PYTHON, Workspace, type PyResult } from '../../harness/python';
import type { JsonRecord } from '../../harness/jsonl';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

describe('SDK: init', function () {
  this.timeout(180_000);
  afterEach(cleanTemps);

  it('records its system sampling interval in the metadata, 0 when sampling is off', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrunlog.init(project="a").finish()\n', { RUNLOG_SYSTEM_INTERVAL: '2.5' }));
    ok(await ws.py('import runlog\nrunlog.init(project="b").finish()\n', { RUNLOG_SYSTEM_INTERVAL: '0' }));
    const intervalOf = (project: string): unknown => (ws.events(ws.onlyRun(project), 'init')[0]!.meta as JsonRecord).system_interval;
    assert.equal(intervalOf('a'), 2.5);
    assert.equal(intervalOf('b'), 0);
  });

  it('creates the run directory with a header, an init record carrying metadata, and an exit record', async () => {
    const ws = new Workspace();
    ok(await ws.py(`
import runlog
run = runlog.init(project="awesome-project", entity="nico", config={"lr": 0.01}, notes="first try",
                  tags=["baseline", "cnn"], group="exp-1", job_type="train")
print(run.id, run.name, run.path)
run.finish()
`));
    const dir = ws.onlyRun('awesome-project');
    const records = ws.events(dir);
    assert.deepEqual(records.map((r) => r.type), ['header', 'init', 'config', 'exit']);
    const [header, init, config, exit] = records as [JsonRecord, JsonRecord, JsonRecord, JsonRecord];
    assert.equal(header.format, 'runlog');
    assert.equal(header.version, 1);
    assert.equal(header.minor, 2);
    assert.match(String(header.writer), /^runlog-python\/\d+\.\d+\.\d+$/);
    assert.equal(typeof header.created, 'number');

    assert.equal(init.id, basename(dir));
    assert.equal(init.project, 'awesome-project');
    assert.equal(init.entity, 'nico');
    assert.equal(init.notes, 'first try');
    assert.deepEqual(init.tags, ['baseline', 'cnn']);
    assert.equal(init.group, 'exp-1');
    assert.equal(init.job_type, 'train');
    assert.equal(init.resumed, false);
    assert.equal(typeof init.pid, 'number');
    assert.equal(typeof init.host, 'string');
    assert.ok((init.ts as number) > 1e9);

    const meta = init.meta as JsonRecord;
    assert.equal(meta.sdk_version, String(header.writer).split('/')[1]);
    assert.equal(meta.cwd, ws.dir);
    assert.equal(meta.program, join(ws.dir, 'script.py'));
    assert.deepEqual((meta.command as string[]).slice(1), [join(ws.dir, 'script.py')]);
    assert.equal(typeof meta.author, 'string');
    assert.equal(typeof meta.os, 'string');
    assert.equal(meta.host, init.host);
    assert.equal(typeof meta.system_interval, 'number');
    const python = meta.python as JsonRecord;
    assert.match(String(python.version), /^3\.\d+\.\d+/);
    assert.equal(typeof python.executable, 'string');
    const hardware = meta.hardware as JsonRecord;
    assert.ok((hardware.cpu_count as number) >= 1);
    assert.ok((hardware.memory_total as number) > 1e6, 'memory total in bytes');

    assert.deepEqual(config.data, { lr: 0.01 });
    assert.equal(exit.state, 'finished');
    assert.equal(exit.code, 0);
  });

  it('records the git remote (without credentials), branch, commit and dirty flag of the script', async function () {
    const ws = new Workspace();
    const git = (...args: string[]): void => {
      const r = spawnSync('git', args, { encoding: 'utf8', shell: false });
      if (r.error) this.skip(); // no git on this machine
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q', ws.dir);
    git('-C', ws.dir, 'checkout', '-q', '-b', 'trunk');
    git('-C', ws.dir, 'remote', 'add', 'origin', 'https://user:secret@example.com/team/repo.git');
    ws.script('print("tracked")\n', 'tracked.py');
    git('-C', ws.dir, 'add', 'tracked.py');
    git('-C', ws.dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'one');
    ws.script('print("changed")\n', 'tracked.py');
    ok(await ws.py('import runlog\nrunlog.init(project="p").finish()\n'));
    const meta = ws.events(ws.onlyRun('p'), 'init')[0]!.meta as JsonRecord;
    const info = meta.git as JsonRecord;
    assert.equal(info.remote, 'https://example.com/team/repo.git');
    assert.equal(info.branch, 'trunk');
    assert.match(String(info.commit), /^[0-9a-f]{40}$/);
    assert.equal(info.dirty, true);
  });

  it('records GPUs from nvidia-smi in the metadata and samples them into system.jsonl', async () => {
    const ws = new Workspace();
    const bin = join(ws.dir, 'bin');
    mkdirSync(bin);
    // A stand-in for nvidia-smi: answers the two queries the SDK makes.
    ws.script(
      `#!${PYTHON.includes('/') ? PYTHON : '/usr/bin/env ' + PYTHON}
import sys
if any("name,memory.total" in a for a in sys.argv):
    print("NVIDIA H100 80GB HBM3, 81559")
else:
    print("0, 87, 11000, 61, [N/A]")
    print("1, [N/A], 512, 40, 210.5")
`,
      'bin/nvidia-smi',
    );
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    // Runs until two samples are on disk (each one starts the stand-in, slow on a busy machine).
    const script = [
      'import os, runlog, time',
      'run = runlog.init(project="p")',
      'path = os.path.join(run.run_dir, "system.jsonl")',
      'deadline = time.time() + 120',
      'while time.time() < deadline:',
      '    run.flush()',
      '    if os.path.exists(path) and sum(1 for _ in open(path)) >= 2:',
      '        break',
      '    time.sleep(0.1)',
      'run.finish()',
      '',
    ].join('\n');
    ok(await ws.py(script, {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      RUNLOG_SYSTEM_INTERVAL: '0.2',
    }));
    const dir = ws.onlyRun('p');
    const meta = ws.events(dir, 'init')[0]!.meta as JsonRecord;
    assert.deepEqual((meta.hardware as JsonRecord).gpus, [{ name: 'NVIDIA H100 80GB HBM3', memory_total: 81559 * 1024 * 1024 }]);
    const samples = ws.system(dir);
    assert.ok(samples.length >= 2, `system samples: ${samples.length}`);
    const data = samples[samples.length - 1]!.data as JsonRecord;
    assert.equal(data['gpu/0/utilization'], 87);
    assert.equal(data['gpu/0/memory_used_bytes'], 11000 * 1024 * 1024);
    assert.equal(data['gpu/0/temperature_c'], 61);
    assert.equal('gpu/0/power_w' in data, false, '[N/A] is left out');
    assert.equal('gpu/1/utilization' in data, false);
    assert.equal(data['gpu/1/power_w'], 210.5);
    for (const key of ['cpu/percent', 'memory/used_bytes', 'memory/percent', 'process/rss_bytes', 'network/recv_bytes_per_s', 'network/sent_bytes_per_s']) {
      assert.equal(typeof data[key], 'number', key);
    }
  });

  it('generates 8-character [a-z0-9] IDs and adjective-noun-N names numbered per project', async () => {
    const ws = new Workspace();
    ok(await ws.py(`
import runlog
for project in ("a", "a", "a", "b"):
    run = runlog.init(project=project)
    print(run.id, run.name)
    run.finish()
`));
    const names: string[] = [];
    for (const [project, count] of [['a', 3], ['b', 1]] as const) {
      const ids = ws.runIds(project);
      assert.equal(ids.length, count);
      for (const id of ids) {
        assert.match(id, /^[a-z0-9]{8}$/);
        names.push(String(ws.events(ws.runDir(project, id), 'init')[0]!.name));
      }
    }
    for (const name of names) assert.match(name, /^[a-z]+-[a-z]+-\d+$/);
    const numbersA = names.slice(0, 3).map((n) => Number(n.split('-')[2])).sort();
    assert.deepEqual(numbersA, [1, 2, 3]);
    assert.equal(names[3]!.split('-')[2], '1');
  });

  it('refuses an ID that already exists in the project with RunExistsError, leaving the run alone', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrunlog.init(project="p", id="taken1").log({"x": 1})\n'));
    const before = ws.events(ws.runDir('p', 'taken1')).length;
    const result = await ws.py(`
import runlog
try:
    runlog.init(project="p", id="taken1")
except runlog.RunExistsError as e:
    assert isinstance(e, ValueError)
    print("refused:", e)
`);
    ok(result);
    assert.match(result.stdout, /refused: .*'taken1' already exists in project 'p'/);
    assert.equal(ws.events(ws.runDir('p', 'taken1')).length, before);
  });

  it('rejects a project name or run id W&B refuses with a ValueError naming the value', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
for kwargs in ({"project": "a/b"}, {"project": "x" * 129}, {"project": "a:b"}, {"project": "p", "id": "has space"}):
    try:
        runlog.init(**kwargs)
        print("accepted", kwargs)
    except ValueError as e:
        print("error:", e)
`);
    ok(result);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^error: .*invalid project name 'a\/b': a project name cannot contain \//);
    assert.match(lines[1]!, /^error: .*invalid project name 'x{129}': a project name has at most 128 characters/);
    assert.match(lines[2]!, /^error: .*invalid project name 'a:b'/);
    assert.match(lines[3]!, /^error: .*invalid run id 'has space'/);
    assert.deepEqual(ws.runIds('p'), []);
  });

  it('takes project, id, name, tags, notes, group and job type from the editor environment; arguments win', async () => {
    const ws = new Workspace();
    const env = {
      RUNLOG_PROJECT: 'from-env', RUNLOG_RUN_ID: 'envid001', RUNLOG_RUN_NAME: 'env-name', RUNLOG_TAGS: 'a, b,,c',
      RUNLOG_NOTES: 'env notes', RUNLOG_GROUP: 'g1', RUNLOG_JOB_TYPE: 'eval',
    };
    ok(await ws.py('import runlog\nrunlog.init().finish()\n', env));
    const init = ws.events(ws.runDir('from-env', 'envid001'), 'init')[0]!;
    assert.equal(init.name, 'env-name');
    assert.deepEqual(init.tags, ['a', 'b', 'c']);
    assert.equal(init.notes, 'env notes');
    assert.equal(init.group, 'g1');
    assert.equal(init.job_type, 'eval');

    ok(await ws.py('import runlog\nrunlog.init(project="mine", id="argid001", name="arg-name", tags=["t"], notes="n", group="g2", job_type="train").finish()\n', env));
    const mine = ws.events(ws.runDir('mine', 'argid001'), 'init')[0]!;
    assert.deepEqual([mine.name, mine.tags, mine.notes, mine.group, mine.job_type], ['arg-name', ['t'], 'n', 'g2', 'train']);
  });

  it('uses the editor-given run ID for the first run of a process only', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nrunlog.init(project="p").finish()\nrunlog.init(project="p").finish()\n', { RUNLOG_RUN_ID: 'first001' }));
    const ids = ws.runIds('p');
    assert.equal(ids.length, 2);
    assert.ok(ids.includes('first001'));
  });

  it('defaults the store to .runlog in the working directory and the project to the folder name; dir= wins over RUNLOG_DIR', async () => {
    const ws = new Workspace();
    const cwd = join(ws.dir, 'My Project!');
    mkdirSync(cwd);
    const script = ws.script('import runlog, sys\nrunlog.init(dir=sys.argv[1] if len(sys.argv) > 1 else None).finish()\n');
    const env = ws.env();
    delete env.RUNLOG_DIR;
    const a = spawnSync(PYTHON, [script], { cwd, env, encoding: 'utf8', shell: false });
    assert.equal(a.status, 0, a.stderr);
    const b = spawnSync(PYTHON, [script, join(ws.dir, 'explicit')], { cwd, env: { ...env, RUNLOG_DIR: ws.store }, encoding: 'utf8', shell: false });
    assert.equal(b.status, 0, b.stderr);
    assert.equal(readdirSync(join(cwd, '.runlog', 'projects', 'My-Project-', 'runs')).length, 1);
    assert.equal(readdirSync(join(ws.dir, 'explicit', 'projects', 'My-Project-', 'runs')).length, 1);
    assert.deepEqual(ws.runIds('My-Project-'), []);
  });

  it('prints the header and, at finish, sparklines of the history and the summary to stderr', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import runlog
run = runlog.init(project="awesome-project", name="jolly-haze-4", id="pdo5110r")
print("lr: 0.01")
for i in range(100):
    run.log({"loss": 1 / (i + 1), "accuracy": i / 100})
run.summary["best_accuracy"] = 0.99
run.finish()
`, { RUNLOG_QUIET: '' });
    ok(result);
    const dir = ws.runDir('awesome-project', 'pdo5110r');
    const lines = result.stderr.split('\n');
    assert.equal(lines[0], 'runlog: Tracking run jolly-haze-4 (pdo5110r) in project awesome-project');
    assert.equal(lines[1], `runlog: Run data is saved locally in ${dir}`);
    assert.equal(result.stdout, 'lr: 0.01\n');
    const at = (text: string): number => lines.indexOf(text);
    assert.ok(at('runlog: Run history:') > 1);
    assert.ok(at('runlog: Run summary:') > at('runlog: Run history:'));
    const loss = lines.find((l) => /^runlog: +loss /.test(l))!;
    const spark = loss.replace(/^runlog: +loss /, '');
    assert.match(spark, /^[▁▂▃▄▅▆▇█]{20}$/, 'downsampled to 20 characters');
    assert.equal(spark[0], '█');
    assert.equal(spark[spark.length - 1], '▁');
    assert.match(lines.find((l) => /^runlog: +accuracy [▁-█]/.test(l))!, /▁.*█$/);
    assert.ok(lines.includes('runlog:          loss 0.01'), lines.join('\n'));
    assert.ok(lines.includes('runlog:      accuracy 0.99'));
    assert.ok(lines.includes('runlog: best_accuracy 0.99'));
    assert.ok(lines.includes(`runlog: View run jolly-haze-4 at: ${dir}`));
    // The report is not captured into the run's output.
    assert.deepEqual(ws.output(dir).map((r) => r.text), ['lr: 0.01\n']);
  });

  it('says nothing on the terminal in quiet mode (RUNLOG_QUIET=1 or settings)', async () => {
    const ws = new Workspace();
    const a = await ws.py('import runlog\nrun = runlog.init(project="p")\nrun.log({"x": 1})\nrun.finish()\n', { RUNLOG_QUIET: '1' });
    ok(a);
    assert.equal(a.stderr, '');
    const b = await ws.py('import runlog\nrun = runlog.init(project="p", settings={"quiet": True})\nrun.log({"x": 1})\nrun.finish()\n', { RUNLOG_QUIET: '' });
    ok(b);
    assert.equal(b.stderr, '');
    assert.equal(ws.runIds('p').length, 2);
  });
});
