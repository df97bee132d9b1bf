// Many writers and readers on one store at once. 20 scripts log into one project while three
// indexes ingest the same store (this process, plus two other processes standing for a second
// VS Code window and the CLI): every point is kept, and no "database is locked" (or any other
// failure) reaches anyone. And one run resumed from two processes at once, over and over, with
// its lock stale from a killed process: exactly one wins, the other gets a clear error.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/core/store/Store';
import { finished, historyInFile, removeTemps, ROOT, runPython, sdkEnv, startPython, tempDir, waitForLine } from './lib/sdk';

const WRITERS = 20;
const STEPS = 3000;
const DOUBLE_RESUMES = Number(process.env.RUNLOG_FAULTS_DOUBLE_RESUMES ?? 25);

const WRITER = `
import sys, time
import runlog
n = int(sys.argv[1])
run = runlog.init(project="crowd", name="writer-%d" % n, config={"n": n})
for step in range(${STEPS}):
    run.log({"loss": n + step / 10000.0, "writer": n})
    if step % 100 == 0:
        print("writer", n, "step", step)
        time.sleep(0.03)
run.finish()
print("ID", run.id, flush=True)
`;

/**
 * Waits until the go-file exists, then resumes the run: both contenders call init() together.
 * The winner holds the run until told to let go, so the two can never take turns.
 */
const CONTENDER = `
import os, sys, time
import runlog
run_id, go = sys.argv[1], sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.001)
try:
    run = runlog.init(project="duo", id=run_id, resume="must")
except runlog.RunInUseError as e:
    print("REFUSED", e, flush=True)
    sys.exit(3)
run.log({"loss": os.getpid()})
# Hold the run until the test has seen the other contender end (or given up waiting).
deadline = time.time() + 30
while not os.path.exists(go + ".release") and time.time() < deadline:
    time.sleep(0.005)
run.finish()
print("WON", os.getpid(), flush=True)
`;

/** Another process ingesting the same store; resolves once it has the store open. */
async function startIngester(store: string, stop: string): Promise<{ done: ReturnType<typeof finished> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'faults', 'lib', 'ingester.ts'), store, stop], {
    cwd: ROOT,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = finished(child, 10 * 60_000);
  await waitForLine(child, /^READY/, 60_000);
  return { done };
}

export const figures = { writers: WRITERS, pointsChecked: 0, ingestPasses: 0, doubleResumes: 0 };

describe('faults: concurrent writers and readers of one store', function () {
  this.timeout(15 * 60_000);
  after(removeTemps);

  it(`${WRITERS} scripts logging at once while three indexes ingest: all points kept, no "database is locked"`, async () => {
    const store = tempDir();
    const env = sdkEnv(store);
    const stop = join(store, '..', `${Date.now()}.stop`);
    const index = Store.open(store);
    const problems: string[] = [];
    index.onDidFail((f) => problems.push(...f.map((x) => `${x.run} ${x.file}: ${x.message}`)));
    const others = await Promise.all([startIngester(store, stop), startIngester(store, stop)]);
    let ownPasses = 0;
    let writing = true;
    const ingestLoop = (async () => {
      while (writing) {
        try {
          index.sync();
          ownPasses++;
        } catch (error) {
          problems.push(`thrown: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, n) => runPython(WRITER, [String(n)], env, 10 * 60_000)));
    writing = false;
    await ingestLoop;
    writeFileSync(stop, '');
    const reports = (await Promise.all(others.map((o) => o.done))).map((r) => {
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { passes: number; problems: string[] };
    });
    index.sync();

    for (const [n, r] of results.entries()) assert.equal(r.code, 0, `writer ${n}: ${r.stderr}`);
    const ids = results.map((r) => /ID (\w+)/.exec(r.stdout)![1]!);
    assert.equal(new Set(ids).size, WRITERS, 'two writers got the same run ID');
    for (const [n, id] of ids.entries()) {
      const key = `crowd/${id}`;
      const run = index.getRun(key);
      assert.ok(run, `${key} is missing`);
      assert.equal(run.state, 'finished');
      assert.equal(run.name, `writer-${n}`);
      const loss = index.getHistory(key, 'loss');
      assert.equal(loss.steps.length, STEPS, `${key}: ${loss.steps.length} of ${STEPS} points`);
      assert.deepEqual(loss.steps, Array.from({ length: STEPS }, (_, s) => s));
      assert.deepEqual(new Map(loss.steps.map((s, j) => [s, loss.values[j]])), historyInFile(join(run.dir, 'events.jsonl'), 'loss'));
      assert.ok(loss.values.every((v, s) => v === n + s / 10000), `${key}: a value was mixed up with another writer's`);
      assert.equal(index.readOutput(key, 0, 100).length, STEPS / 100);
      figures.pointsChecked += loss.steps.length;
    }
    const all = [...problems, ...reports.flatMap((r) => r.problems)];
    assert.deepEqual(all.filter((p) => /locked|busy/i.test(p)), [], 'a "database is locked" reached a reader');
    assert.deepEqual(all, []);
    figures.ingestPasses = ownPasses + reports.reduce((n, r) => n + r.passes, 0);
    assert.ok(reports.every((r) => r.passes > 0) && ownPasses > 0, 'an ingester never completed a pass');
    // The other processes' indexes agree with this one.
    const again = Store.open(store, { readonly: true });
    assert.equal(again.listRuns('crowd').length, WRITERS);
    again.close();
    index.close();
    console.log(`      ${WRITERS} writers, ${figures.pointsChecked} points checked, ${figures.ingestPasses} ingest passes in 3 processes`);
  });

  it(`one run resumed from two processes at once (${DOUBLE_RESUMES} times, lock stale from a kill): one wins, the other is refused clearly`, async () => {
    const store = tempDir();
    const env = sdkEnv(store);
    const killHolder = async (code: string) => {
      const holder = startPython(code, [], env);
      const done = finished(holder);
      await waitForLine(holder, /^READY/);
      holder.kill('SIGKILL');
      await done;
    };
    // A run whose process was killed: its lock file names a dead process.
    await killHolder('import runlog, time\nrun = runlog.init(project="duo", id="shared01")\nrun.log({"loss": 0})\nrun.flush()\nprint("READY", flush=True)\ntime.sleep(60)\n');
    for (let i = 0; i < DOUBLE_RESUMES; i++) {
      // Every round starts from a stale lock, the case a crash leaves behind.
      if (i > 0) await killHolder('import runlog, time\nrun = runlog.init(project="duo", id="shared01", resume="must")\nprint("READY", flush=True)\ntime.sleep(60)\n');
      const go = join(store, `go-${i}`);
      const a = startPython(CONTENDER, ['shared01', go], env);
      const b = startPython(CONTENDER, ['shared01', go], env);
      const ends = [finished(a), finished(b)] as const;
      const results = Promise.all(ends);
      await new Promise((r) => setTimeout(r, 400));
      writeFileSync(go, '');
      // One of them must give up by itself while the other holds the run.
      await Promise.race([...ends, new Promise((r) => setTimeout(r, 15_000))]);
      writeFileSync(`${go}.release`, '');
      const [ra, rb] = await results;
      const won = [ra, rb].filter((r) => r.code === 0);
      const refused = [ra, rb].filter((r) => r.code === 3);
      assert.equal(won.length, 1, `round ${i}: ${won.length} processes resumed the run at once\nA: ${ra.stdout}${ra.stderr}\nB: ${rb.stdout}${rb.stderr}`);
      assert.equal(refused.length, 1, `round ${i}: A: ${ra.stdout}${ra.stderr}\nB: ${rb.stdout}${rb.stderr}`);
      assert.match(refused[0]!.stdout, /REFUSED runlog: run shared01 is (in use by process \d+|being opened by another process right now)/);
      figures.doubleResumes++;
    }
    const index = Store.open(store);
    const run = index.getRun('duo/shared01')!;
    // Each winner logged one point after the killed first segment; nothing was written twice.
    assert.equal(index.getHistory(run.key, 'loss').steps.length, 1 + DOUBLE_RESUMES);
    assert.deepEqual(run.problems.filter((p) => p.kind === 'corrupt'), []);
    index.close();
  });
});
