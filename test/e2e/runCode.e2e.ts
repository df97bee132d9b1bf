// Compare Config and Code in a real VS Code: the workspace is a git repository; two real runs of
// the SDK, one on a clean tree, one with a committed change and an uncommitted edit; the palette
// command opens VS Code's diff editor on their configs (sorted JSON) and the files that differ.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVSCode } from './harness';

const repo = join(__dirname, '..', '..');
const TRAIN = (lr: number, epochs: number) =>
  `import runlog\nfrom model import LAYERS\n\nrun = runlog.init(project="code-diff", name=NAME, config={"optimizer": {"name": "adam", "lr": ${lr}}, "epochs": ${epochs}, "layers": LAYERS})\nfor step in range(3):\n    run.log({"loss": 1.0 / (step + 1)})\nrun.finish()\n`;

function sh(cwd: string, command: string, ...args: string[]): void {
  execFileSync(command, args, {
    cwd,
    stdio: 'pipe',
    env: { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: join(cwd, '.runlog'), RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' },
  });
}

function twoRuns(workspace: string): void {
  sh(workspace, 'git', 'init', '-q', '-b', 'main');
  writeFileSync(join(workspace, 'model.py'), 'LAYERS = 2\nDROPOUT = 0.1\n');
  writeFileSync(join(workspace, 'train.py'), TRAIN(0.01, 10).replace('NAME', '"clean-baseline"'));
  sh(workspace, 'git', 'add', 'model.py', 'train.py');
  sh(workspace, 'git', 'commit', '-q', '-m', 'baseline');
  sh(workspace, 'python3', 'train.py');
  writeFileSync(join(workspace, 'train.py'), TRAIN(0.003, 20).replace('NAME', '"deeper-model"'));
  sh(workspace, 'git', 'commit', '-q', '-am', 'lower lr, more epochs');
  writeFileSync(join(workspace, 'model.py'), 'LAYERS = 4  # not committed\nDROPOUT = 0.1\n');
  sh(workspace, 'python3', 'train.py');
}

describe('Compare Config and Code (end to end)', function () {
  this.timeout(600_000);

  it('opens the diff editor on two runs’ sorted configs and the code they differ in, committed or not', async () => {
    await withVSCode({ name: 'run-code-diff', prepareWorkspace: twoRuns, viewport: { width: 1500, height: 950 } }, async (vscode) => {
      const { page } = vscode;
      await vscode.openActivityContainer('Runlog');
      await vscode.waitForTreeRow('deeper-model');
      await vscode.runCommand('Runlog: Compare Config and Code');
      const quick = page.locator('.quick-input-widget');
      // Top row first: a row's label hover opens above the row under the pointer, over the row
      // above it, so ticking top-down never aims at a covered box.
      for (const name of ['deeper-model', 'clean-baseline']) {
        const row = quick.locator('.monaco-list-row', { hasText: name }).first();
        await row.waitFor({ state: 'visible' });
        await row.locator('.monaco-checkbox, input[type=checkbox]').first().click();
        await page.mouse.move(900, 700);
      }
      await quick.getByText('2 Selected').waitFor({ state: 'visible' });
      await quick.locator('input.input').press('Enter');
      // VS Code's multi-file diff editor: one entry per file, configs first.
      const tab = page.locator('.tab.active', { hasText: 'Config and Code' });
      await tab.waitFor({ timeout: 60_000 });
      const editor = page.locator('.multiDiffEditor');
      await editor.waitFor({ state: 'visible' });
      // One entry per file, configs first: the title counts them; the first two are in view.
      await page.locator('.tab.active', { hasText: 'Config and Code (3 files)' }).waitFor({ timeout: 60_000 });
      const headers = editor.locator('.header .monaco-icon-label .label-name');
      await headers.filter({ hasText: 'model.py' }).first().waitFor({ timeout: 60_000 });
      const names = (await headers.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      assert.deepEqual(names.slice(0, 2), ['config.json', 'model.py'], names.join(', '));
      // The panes show the text: the sorted config (optimizer.lr changed) and the uncommitted edit.
      const text = async () => (await editor.locator('.view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
      const deadline = Date.now() + 60_000;
      let shown = await text();
      while (!/LAYERS = 4 {2}# not committed/.test(shown) || !/"lr": 0\.003/.test(shown)) {
        if (Date.now() > deadline) assert.fail(`the diff editor does not show both changes:\n${shown}`);
        await page.waitForTimeout(250);
        shown = await text();
      }
      assert.match(shown, /"lr": 0\.01/);
      assert.equal(await tab.innerText().then((t) => t.trim().startsWith('clean-baseline ↔ deeper-model')), true, 'the older run on the left');
      assert.ok(shown.indexOf('"epochs"') < shown.indexOf('"layers"') && shown.indexOf('"layers"') < shown.indexOf('"optimizer"'), 'config keys sorted');
      // The diff is computed: inserted text is marked.
      await editor.locator('.char-insert, .line-insert').first().waitFor({ state: 'attached', timeout: 60_000 });
      await vscode.screenshot('run-code-diff');
    });
  });
});
