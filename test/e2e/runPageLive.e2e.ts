// A run page open on a live run (issue 14, item 4: deltas): the host posts only the fields a
// tick changed, and the page merges them into what it has. What the user sees: the header's step
// and state follow the script, and the Overview keeps the whole config the snapshot brought.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVSCode } from './harness';
import { openRun, SETTINGS } from './runPageHelpers';

const repo = join(__dirname, '..', '..');
const NAME = 'live-page-1';

/** 300 config keys, 30 steps, then alive and silent until the flag file exists; then finished. */
const SCRIPT = `import os, sys, time
import runlog
run = runlog.init(project="live-page", name=${JSON.stringify(NAME)}, config={**{"k%03d" % i: i for i in range(300)}, "lr": 0.003})
for step in range(30):
    run.log({"loss": 1.0 / (step + 1)})
    time.sleep(0.1)
flag = sys.argv[1]
held = time.monotonic()
while not os.path.exists(flag) and time.monotonic() - held < 900:
    time.sleep(0.05)
run.finish()
`;

describe('Run page of a live run (end to end)', function () {
  this.timeout(600_000);

  it('follows the script step by step and to its end, and keeps the whole config it was opened with', async () => {
    await withVSCode({ name: 'run-page-live', settings: SETTINGS, prepareWorkspace: (ws) => writeFileSync(join(ws, 'live_page.py'), SCRIPT) }, async (vscode) => {
      const store = join(vscode.workspace, '.runlog');
      const flag = join(vscode.workspace, 'finish.flag');
      const env = { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: store, RUNLOG_QUIET: '1' };
      const child = spawn('python3', [join(vscode.workspace, 'live_page.py'), flag], { cwd: vscode.workspace, env, stdio: 'ignore' });
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        await vscode.openActivityContainer('Runlog');
        await vscode.waitForTreeRow(`${NAME}, running`, 120_000);
        const { frame } = await openRun(vscode, NAME);
        const badge = frame.getByRole('banner').locator('.state-badge');
        const meta = frame.locator('.run-meta');
        // Opened while it logs: the header follows it to its last step.
        await meta.filter({ hasText: /· step 29 ·/ }).waitFor({ timeout: 120_000 });
        assert.equal(await badge.innerText(), 'running');
        await vscode.screenshot('run-page-live-running');

        writeFileSync(flag, 'go');
        assert.equal(await exited, 0);
        await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: 120_000 });
        assert.match(await meta.innerText(), /· step 29 ·/);

        // The Overview still holds every config key the snapshot brought, after the patches.
        await frame.getByRole('tab', { name: 'Overview' }).click();
        const config = frame.locator('#panel-overview [data-section="config"]');
        await config.locator('.section-header .count').filter({ hasText: /^301$/ }).waitFor({ timeout: 60_000 });
        assert.equal(await config.locator('tr', { has: frame.locator('th', { hasText: /^k299$/ }) }).locator('td').innerText(), '299');
        assert.equal(await config.locator('tr', { has: frame.locator('th', { hasText: /^lr$/ }) }).locator('td').innerText(), '0.003');
        await vscode.screenshot('run-page-live-finished');
        assert.deepEqual(vscode.pageErrors, []);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });
});
