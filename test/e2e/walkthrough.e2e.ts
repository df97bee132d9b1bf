// The "Get started with Runlog" walkthrough in a real VS Code: each step is checked off by the
// real event (a run in the store, a run page opened, a compare page opened), not by a click on it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVSCode } from './harness';

const repo = join(__dirname, '..', '..');

describe('Walkthrough (end to end)', () => {
  it('walkthrough: first run, live charts and compare are checked off when they really happen', async () => {
    const prepare = (workspace: string): void => copyFileSync(join(repo, 'test', 'fixtures', 'scripts', 'callsite_train.py'), join(workspace, 'callsite_train.py'));
    await withVSCode({ name: 'walkthrough', prepareWorkspace: prepare, viewport: { width: 1280, height: 860 } }, async (vscode) => {
      const { page, workspace } = vscode;
      await vscode.runCommandAndPick('Welcome: Open Walkthrough...', 'Get started with Runlog');
      const step = (title: string) => page.locator('.getting-started-step', { hasText: title }).first();
      // A checked step's icon is the filled check (`.codicon.complete`).
      const checked = (title: string) => step(title).locator('.codicon.complete');
      const isComplete = async (title: string): Promise<boolean> => (await checked(title).count()) > 0;
      await step('Start your first tracked run').waitFor({ state: 'visible', timeout: 60_000 });
      for (const title of ['Start your first tracked run', 'Watch its live charts', 'Compare runs', 'Sweep hyperparameters', 'Switch from W&B']) {
        assert.equal(await isComplete(title), false, `"${title}" is not checked before it happened`);
      }
      await vscode.screenshot('walkthrough-start');

      // A real run, as a terminal with the run context starts it.
      const hold = join(workspace, 'release.flag');
      const child = spawn('python3', [join(workspace, 'callsite_train.py'), '--steps', '10', '--name', 'walk-run', '--hold', hold], {
        cwd: workspace,
        env: { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: join(workspace, '.runlog'), RUNLOG_QUIET: '1' },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        await checked('Start your first tracked run').waitFor({ state: 'attached', timeout: 120_000 });
        assert.equal(await isComplete('Watch its live charts'), false);

        // The Welcome page re-renders as steps are checked off and takes the focus back, which
        // closes a quick pick opened over it: the focus goes to the side bar first, as a person
        // clicking the Runs view would.
        await vscode.runCommand('View: Focus into Primary Side Bar');
        await vscode.runCommandAndPick('Runlog: Open Run', 'walk-run');
        await vscode.webviewFrame().locator('.chart-card').first().waitFor({ state: 'visible', timeout: 120_000 });
        await vscode.runCommand('Runlog: Compare Runs');
        await page.locator('.tab.active', { hasText: 'Compare' }).waitFor({ state: 'visible', timeout: 120_000 });

        await page.locator('.tab', { hasText: 'Welcome' }).first().click();
        await checked('Watch its live charts').waitFor({ state: 'attached', timeout: 60_000 });
        await checked('Compare runs').waitFor({ state: 'attached', timeout: 60_000 });
        assert.equal(await isComplete('Sweep hyperparameters'), false, 'no sweep happened');
        assert.equal(await isComplete('Switch from W&B'), false, 'no W&B run was read or imported');
        await vscode.screenshot('walkthrough-progress');
      } finally {
        writeFileSync(hold, 'done');
        assert.equal(await exited, 0);
      }
      assert.deepEqual(vscode.pageErrors, []);
    });
  });
});
