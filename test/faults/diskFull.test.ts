// A full disk, for real: the store lives on a small tmpfs mount (when this runs as root and
// `mount -t tmpfs` works), which a filler file fills up while a script logs and while the index
// ingests. Without a mount, the script's writes fail through RLIMIT_FSIZE instead and the index
// through SQLite's max_page_count; the test says which it used.
// What must hold: the script keeps running and says clearly that it cannot write; once space
// is back everything it logged meanwhile reaches the file, once, with no broken line; the
// ingest that could not commit is rolled back and reported with a clear message; what the index
// already held is intact; the next pass completes.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IngestFailure } from '../../src/core/model';
import { Store } from '../../src/core/store/Store';
import { finished, historyInFile, readRunFile, removeTemps, sdkEnv, startPython, tempDir, waitForLine } from './lib/sdk';

const PHASE1 = 20_000;
const PHASE2 = 300;

/** Logs, then waits for `<dir>/full` before logging while the disk is full, then for `<dir>/freed`. */
const SCRIPT = `
import os, sys, time
import runlog
ctl, use_rlimit = sys.argv[1], sys.argv[2] == "rlimit"
def wait_for(name):
    while not os.path.exists(os.path.join(ctl, name)):
        time.sleep(0.01)
run = runlog.init(project="disk", id="fullrun1")
for s in range(${PHASE1}):
    run.log({"loss": 1.0 / (s + 1), "acc": s / ${PHASE1}.0, "lr": 0.001})
run.flush()
print("PHASE1", flush=True)
wait_for("full")
if use_rlimit:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    path = os.path.join(run.run_dir, "events.jsonl")
    resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(path) + 100, hard))
for s in range(${PHASE2}):
    run.log({"loss": 0.5, "acc": 0.5, "lr": 0.002})
    if s % 50 == 0:
        run.flush()
run.flush()
print("PHASE2", flush=True)
wait_for("freed")
if use_rlimit:
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
run.finish()
print("DONE", flush=True)
`;

function tryMountTmpfs(dir: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || process.env.RUNLOG_FAULTS_NO_MOUNT === '1') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes zeros into `path` until the file system refuses; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // Fill the last partial chunk too.
        for (let size = chunk.length / 2; size >= 512; size /= 2) {
          try {
            written += writeSync(fd, chunk.subarray(0, size));
          } catch {
            // smaller next
          }
        }
        return written;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('faults: a full disk while logging and while ingesting', function () {
  this.timeout(5 * 60_000);
  let mountPoint: string | undefined;
  let child: ReturnType<typeof startPython> | undefined;
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('close', r));
    }
    if (mountPoint) {
      try {
        execFileSync('umount', [mountPoint], { stdio: 'ignore' });
      } catch {
        execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      }
    }
    removeTemps();
  });

  it('the script keeps its data until space is back, the failed ingest is rolled back and reported, nothing stored is damaged', async function () {
    const base = tempDir();
    const disk = join(base, 'disk');
    mkdirSync(disk);
    const mounted = tryMountTmpfs(disk, '12m');
    if (mounted) mountPoint = disk;
    const method = mounted ? 'a 12 MB tmpfs mount filled by a filler file' : 'RLIMIT_FSIZE for the script and SQLite max_page_count for the index';
    console.log(`      full disk simulated with ${method}`);
    const store = join(disk, 'store');
    const ctl = join(base, 'ctl');
    mkdirSync(ctl);
    const env = sdkEnv(store);

    // A run already stored before the disk fills: it must come through untouched.
    const earlier = await finished(startPython('import runlog\nrun = runlog.init(project="disk", id="earlier1")\nfor i in range(500): run.log({"loss": i})\nrun.finish()\n', [], env));
    assert.equal(earlier.code, 0, earlier.stderr);
    const index = Store.open(store);
    const failures: IngestFailure[] = [];
    index.onDidFail((f) => failures.push(...f));
    const before = index.getHistory('disk/earlier1', 'loss');
    assert.equal(before.steps.length, 500);

    child = startPython(SCRIPT, [ctl, mounted ? 'tmpfs' : 'rlimit'], env);
    const done = finished(child, 4 * 60_000);
    await waitForLine(child, /^PHASE1/, 120_000);

    // The disk fills up with the script's first 20,000 steps not yet in the index.
    const filler = join(disk, 'filler');
    const db = (index as unknown as { db: Database.Database }).db;
    if (mounted) fillDisk(filler);
    else db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 4}`);
    index.sync();
    assert.ok(failures.length >= 1, 'the failed ingest was not reported');
    assert.equal(failures[0]!.run, 'disk/fullrun1');
    assert.match(failures[0]!.message, /database or disk is full/);
    console.log(`      ingest failure reported: ${failures[0]!.run} (${failures[0]!.file}): ${failures[0]!.message}`);
    // Rolled back: the new run has nothing half-written, the earlier one is as it was.
    assert.deepEqual(index.getRun('disk/fullrun1')?.metrics ?? [], []);
    assert.deepEqual(index.getHistory('disk/earlier1', 'loss'), before);

    // The script logs on while the disk is full.
    writeFileSync(join(ctl, 'full'), '');
    await waitForLine(child, /^PHASE2/, 120_000);
    await new Promise((r) => setTimeout(r, 300));

    // Space comes back.
    if (mounted) rmSync(filler);
    else db.pragma('max_page_count = 1073741823');
    writeFileSync(join(ctl, 'freed'), '');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /runlog: cannot write .*events\.jsonl \((File too large|No space left on device)\); keeping data in memory and retrying/);
    assert.match(result.stderr, /runlog: writing .*events\.jsonl again/);

    const events = join(store, 'projects', 'disk', 'runs', 'fullrun1', 'events.jsonl');
    const file = readRunFile(events);
    assert.equal(file.corrupt, 0, 'a line was broken by the full disk');
    assert.equal(file.tailBytes, 0);
    const inFile = historyInFile(events, 'lr');
    assert.equal(inFile.size, PHASE1 + PHASE2, 'a point logged while the disk was full was lost or doubled');
    assert.deepEqual([...inFile.keys()], Array.from({ length: PHASE1 + PHASE2 }, (_, s) => s));

    index.sync();
    assert.deepEqual(failures.slice(1).filter((f) => !/full/.test(f.message)), []);
    assert.deepEqual(index.failures, []);
    const run = index.getRun('disk/fullrun1')!;
    assert.equal(run.state, 'finished');
    const lr = index.getHistory(run.key, 'lr');
    assert.equal(lr.steps.length, PHASE1 + PHASE2);
    assert.deepEqual(new Map(lr.steps.map((s, j) => [s, lr.values[j]])), inFile);
    assert.deepEqual(index.getHistory('disk/earlier1', 'loss'), before);
    assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
    assert.deepEqual(run.problems, []);
    index.close();
    assert.deepEqual(readdirSync(store).filter((f) => f.startsWith('index.sqlite.corrupt')), [], 'the index was set aside as corrupt');
  });
});
