import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { isSameProcess, parseProcStat, probeProcess, START_TIME_TOLERANCE_SEC } from '../../../src/core/ingest/processes';
import { DEAD_PID } from '../../fixtures/runBuilder';

const SDK = join(__dirname, '..', '..', '..', 'sdk', 'python');

describe('processes: is the recorded process still the one running?', function () {
  this.timeout(180_000);

  it('reads /proc/<pid>/stat whatever the command name holds, and a zombie has exited', () => {
    const fields = (state: string) => [state, ...Array.from({ length: 18 }, (_, i) => String(i)), '12345', '0'].join(' ');
    assert.deepEqual(parseProcStat(`42 (odd ) name) (x) ${fields('S')}`, 1000), { alive: true, startTime: 1000 + 123.45 });
    assert.deepEqual(parseProcStat(`42 (python3) ${fields('Z')}`, 1000), { alive: false, startTime: null });
    assert.deepEqual(parseProcStat(`42 (python3) ${fields('R')}`, null), { alive: true, startTime: null });
  });

  it('a live process matches the start time the SDK records for it; once killed it is gone', async function () {
    if (process.platform !== 'linux') this.skip();
    const child = spawn('python3', ['-c', 'import sys, time; sys.path.insert(0, sys.argv[1]); from runlog._process import process_start_time; print(process_start_time(), flush=True); time.sleep(600)', SDK], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const recorded = Number(await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', resolve)));
    const probe = probeProcess(child.pid!);
    assert.equal(probe.alive, true);
    assert.ok(probe.startTime !== null && Math.abs(probe.startTime - recorded) < 0.05, `SDK ${recorded}, here ${probe.startTime}`);
    assert.equal(isSameProcess(probe, recorded), true);
    // The same pid with another start: another process.
    assert.equal(isSameProcess(probe, recorded - START_TIME_TOLERANCE_SEC - 1), false);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(probeProcess(child.pid!), { alive: false, startTime: null });
  });

  it('this process is alive and started before now; a pid no process has is not', () => {
    const me = probeProcess(process.pid);
    assert.equal(me.alive, true);
    if (process.platform === 'linux') assert.ok(me.startTime !== null && me.startTime <= Date.now() / 1000 + 1);
    assert.equal(probeProcess(DEAD_PID).alive, false);
    assert.equal(probeProcess(-1).alive, false);
    if (process.platform === 'linux') {
      // /proc agrees with ps about when this process started (ps: whole seconds).
      const ps = execFileSync('ps', ['-o', 'lstart=', '-p', String(process.pid)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } }).trim();
      assert.ok(Math.abs(Date.parse(`${ps} UTC`) / 1000 - me.startTime!) <= 2, `ps says ${ps}, /proc ${me.startTime}`);
    }
  });
});
