// What only an editor can show (issue 16): the metrics a log() call logged, in a code lens above
// it, and Problems entries at that line for a live run going wrong. A real Python process logs
// through the SDK into the workspace's store; a real VS Code shows it; screenshots to look at.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, withVSCode } from './harness';

const repo = join(__dirname, '..', '..');
const SCRIPT = 'callsite_train.py';

function copyScript(workspace: string): void {
  copyFileSync(join(repo, 'test', 'fixtures', 'scripts', SCRIPT), join(workspace, SCRIPT));
}

/** The script as a tracked run of the workspace's store (as a terminal with the run context starts it). */
function startScript(workspace: string, args: string[]): ChildProcess {
  const child = spawn('python3', [join(workspace, SCRIPT), ...args], {
    cwd: workspace,
    env: { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: join(workspace, '.runlog'), RUNLOG_QUIET: '1' },
    stdio: 'ignore',
  });
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('Editor insights (end to end)', () => {
  it('code lens: above each log() call the keys it logged, with latest value, trend and step; a click opens that chart', async () => {
    await withVSCode({ name: 'callsite-lens', prepareWorkspace: copyScript, viewport: { width: 1280, height: 800 } }, async (vscode) => {
      const { page, workspace } = vscode;
      const hold = join(workspace, 'release.flag');
      const child = startScript(workspace, ['--steps', '40', '--name', 'lens-run', '--hold', hold]);
      try {
        await vscode.openFile(SCRIPT);
        // The training call: loss and accuracy; the evaluation call, four lines below: val/*.
        const lens = page.locator('.codelens-decoration');
        await lens.filter({ hasText: /step 39 · lens-run/ }).first().waitFor({ state: 'visible', timeout: 180_000 });
        await lens.filter({ hasText: /loss 0\.0\d+ [▁▂▃▄▅▆▇█]{8}/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
        await lens.filter({ hasText: /val\/accuracy 0\.\d+ [▁▂▃▄▅▆▇█]+/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
        const texts = await lens.allTextContents();
        const training = texts.find((t) => t.includes('accuracy 0.') && !t.includes('val/'));
        assert.ok(training, `a lens of the training call: ${JSON.stringify(texts)}`);
        // The loss falls, the accuracy rises: their trends say so.
        assert.match(training, /accuracy 0\.\d+ ▁[▁▂▃▄▅▆▇█]{6}█/);
        assert.match(training, /\bloss 0\.\d+ █[▁▂▃▄▅▆▇█]{6}▁/);
        // Each lens sits above its own call: the training lens on the line of run.log({"loss"…).
        // Measured when both are drawn: a store change redraws the lenses (their element is gone for a moment).
        const { trainLine, trainLens } = await eventually('the training lens and its line both drawn', async () => {
          const line = await page.locator('.view-line', { hasText: 'run.log({"loss": loss' }).boundingBox();
          const above = await lens.filter({ hasText: /^accuracy/ }).first().boundingBox();
          return line && above ? { trainLine: line, trainLens: above } : undefined;
        });
        assert.ok(trainLens.y < trainLine.y && trainLine.y - trainLens.y < 40, `lens above its line: ${JSON.stringify({ trainLine, trainLens })}`);
        const shot = await vscode.screenshot('callsite-code-lens');
        copyFileSync(shot, join(repo, 'test-results', 'screenshots', 'README-code-lens.png'));

        await lens.locator('a', { hasText: /^loss 0\./ }).first().click();
        const frame = vscode.webviewFrame();
        await frame.locator('.chart-card.revealed[data-metric="loss"]').waitFor({ state: 'visible', timeout: 120_000 });
        await vscode.screenshot('callsite-lens-opened-chart');
      } finally {
        writeFileSync(hold, 'done');
        assert.equal(await exited(child), 0);
      }
      assert.deepEqual(vscode.pageErrors, []);
    });
  });

  it('diagnostics: a NaN loss and a silent live run are Problems entries at the log() line; Dismiss and the run ending clear them', async () => {
    const settings = { 'runlog.diagnostics.silentAfterSeconds': 8, 'runlog.diagnostics.lossRiseSteps': 10 };
    await withVSCode({ name: 'run-diagnostics', prepareWorkspace: copyScript, settings, viewport: { width: 1280, height: 800 } }, async (vscode) => {
      const { page, workspace } = vscode;
      const hold = join(workspace, 'release.flag');
      const child = startScript(workspace, ['--steps', '20', '--nan-at', '15', '--name', 'nan-run', '--hold', hold]);
      try {
        await vscode.openFile(SCRIPT);
        await page.keyboard.press('Control+Shift+M');
        const problems = page.locator('.markers-panel .monaco-list-row');
        const nan = problems.filter({ hasText: /loss became NaN at step 15 in run nan-run \(lens-demo\/\w+, step 15\)/ });
        await nan.first().waitFor({ state: 'visible', timeout: 180_000 });
        // The process holds after its steps, alive and silent: past the setting it is an entry too.
        const silent = problems.filter({ hasText: /logged nothing for over 8 s \(process alive; last step 19\) in run nan-run/ });
        await silent.first().waitFor({ state: 'visible', timeout: 120_000 });
        // Both at the training call's line (the file's line 24).
        const rows = await problems.allTextContents();
        assert.ok(rows.filter((r) => /\[Ln 24, Col 1\]/.test(r)).length >= 2, `entries at line 24: ${JSON.stringify(rows)}`);
        // Open the NaN entry: the editor goes to its line, underlined.
        await nan.first().dblclick();
        await page.locator('.monaco-editor.focused').first().waitFor({ state: 'visible', timeout: 60_000 });
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
        await vscode.screenshot('run-diagnostics-problems');

        // Dismiss it with its code action (Ctrl+. at the line).
        // The menu is asked for again if it did not come (the extension host answers late under
        // load, or a notification took the focus): a person presses Ctrl+. again too.
        const fix = page.locator('.action-widget').getByText(/Dismiss: loss became NaN/);
        for (let attempt = 1; ; attempt++) {
          await page.locator('.monaco-editor.focused').first().waitFor({ state: 'visible', timeout: 60_000 });
          await page.keyboard.press('Control+.');
          const shown = await fix.first().waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
          if (shown) break;
          if (attempt === 3) throw new Error('Ctrl+. on the NaN line offered no "Dismiss: loss became NaN" action, three times');
          await page.keyboard.press('Escape');
          await nan.first().dblclick();
        }
        await vscode.screenshot('run-diagnostics-dismiss-action');
        await fix.first().click();
        await nan.first().waitFor({ state: 'detached', timeout: 60_000 });
        assert.equal(await silent.count(), 1, 'the silent entry stays');

        // The run ends: its entries go.
        writeFileSync(hold, 'done');
        assert.equal(await exited(child), 0);
        await silent.first().waitFor({ state: 'detached', timeout: 120_000 });
        await vscode.screenshot('run-diagnostics-cleared');
      } finally {
        if (!existsSync(hold)) writeFileSync(hold, 'done');
      }
      assert.deepEqual(vscode.pageErrors, []);
    });
  });
});
