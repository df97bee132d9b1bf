// Many readers of one store (issue 14, item 6): two VS Code windows on one folder, each with its
// own extension host, and the `runlog` CLI, all on the one store a script writes. Whichever of
// them ingests a change first, the others must show it: a window hears of what another process
// ingested from the index's change log, not only from what it read itself.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, withVSCode, type VSCodeSession } from './harness';

const repo = join(__dirname, '..', '..');

interface CliRun {
  readonly name: string;
  readonly state: string;
  readonly lastStep: number | null;
}

/** `runlog ls --json` on the store, as a user would run it in a terminal (the built CLI). */
function cliRuns(store: string): CliRun[] {
  const out = execFileSync(process.execPath, [join(repo, 'dist', 'runlog.js'), 'ls', '--dir', store, '--json'], { encoding: 'utf8' });
  return JSON.parse(out) as CliRun[];
}

/** Extension host processes started for this session's code-server (it passes the workspace in their environment). */
function extensionHosts(workspace: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes('extensionHost') && environ.split('\0').includes(`RUNLOG_TEST_WORKSPACE=${workspace}`)) count++;
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return count;
}

/** Waits in every window for a Runs-view row containing `text`; returns when each saw it (ms since `since`). */
async function inEveryWindow(windows: readonly VSCodeSession[], text: string, since: number): Promise<number[]> {
  return Promise.all(windows.map(async (w) => (await w.waitForTreeRow(text, 120_000), Date.now() - since)));
}

describe('Many readers of one store (end to end)', () => {
  it('two windows and the CLI on one store: every window shows each run a script writes, its last step, its crash and its finish, whoever ingested it first', async () => {
    const prepare = (workspace: string): void => copyFileSync(join(repo, 'test', 'fixtures', 'scripts', 'callsite_train.py'), join(workspace, 'callsite_train.py'));
    await withVSCode({ name: 'many-windows', prepareWorkspace: prepare, viewport: { width: 1100, height: 760 } }, async (first) => {
      const second = await first.openAnotherWindow();
      const windows = [first, second];
      for (const w of windows) await w.openActivityContainer('Runlog');
      await eventually('two extension hosts, one per window', () => extensionHosts(first.workspace) >= 2, 120_000, 500);
      const store = join(first.workspace, '.runlog');
      const env = { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: store, RUNLOG_QUIET: '1' };

      // A run that logs 40 steps, then holds, alive and silent, until it is killed.
      const child = spawn('python3', [join(first.workspace, 'callsite_train.py'), '--steps', '40', '--sleep', '0.1', '--name', 'two-win-1', '--hold', join(first.workspace, 'never.flag')], { cwd: first.workspace, env, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
      const started = Date.now();
      let crashedAfter: number[] = [];
      try {
        // The CLI reads the store too (and ingests what is new when it opens it).
        const cli = await eventually('the CLI to list two-win-1 running', () => cliRuns(store).find((r) => r.name === 'two-win-1' && r.state === 'running'), 120_000, 250);
        assert.equal(cli.state, 'running');
        await inEveryWindow(windows, 'two-win-1, running', started);
        // Every live point reaches both windows: the last step before the hold.
        await eventually('the CLI to read step 39', () => cliRuns(store).find((r) => r.name === 'two-win-1' && r.lastStep === 39), 120_000, 250);
        const lastStepAt = Date.now();
        const stepSeen = await inEveryWindow(windows, 'two-win-1, running, step 39', lastStepAt);
        console.log(`      step 39 shown after the CLI read it: ${stepSeen.map((ms) => `${ms} ms`).join(', ')} (window 1, window 2)`);
        await first.screenshot('many-windows-1-running');
        await second.screenshot('many-windows-2-running');

        const killedAt = Date.now();
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        crashedAfter = await inEveryWindow(windows, 'two-win-1, crashed', killedAt);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      console.log(`      crashed shown after the kill: ${crashedAfter.map((ms) => `${ms} ms`).join(', ')} (window 1, window 2)`);
      const crashed = cliRuns(store).find((r) => r.name === 'two-win-1');
      assert.deepEqual(crashed && { state: crashed.state, lastStep: crashed.lastStep }, { state: 'crashed', lastStep: 39 }, 'the CLI reads the crash and every flushed step');

      // A second run, started while both windows are open, runs to its end.
      const flag = join(first.workspace, 'go.flag');
      writeFileSync(flag, 'go');
      const again = spawn('python3', [join(first.workspace, 'callsite_train.py'), '--steps', '5', '--sleep', '0.05', '--name', 'two-win-2', '--hold', flag], { cwd: first.workspace, env, stdio: 'ignore' });
      const code = await new Promise<number | null>((done) => again.once('exit', (c) => done(c)));
      assert.equal(code, 0);
      const endedAt = Date.now();
      const finishedAfter = await inEveryWindow(windows, 'two-win-2, finished', endedAt);
      console.log(`      finished shown after the script exited: ${finishedAfter.map((ms) => `${ms} ms`).join(', ')} (window 1, window 2)`);
      for (const w of windows) await w.waitForTreeRow('two-win-1, crashed');
      await first.screenshot('many-windows-1-after');
      await second.screenshot('many-windows-2-after');
      assert.deepEqual(
        cliRuns(store)
          .map((r) => `${r.name} ${r.state} ${r.lastStep}`)
          .sort(),
        ['two-win-1 crashed 39', 'two-win-2 finished 5'],
      );
      assert.deepEqual([...first.pageErrors, ...second.pageErrors], []);
    });
  });
});
