// The run explorer as a person meets it, in a real VS Code: Start Run from the palette on
// examples/train.py until its row says finished, and the explorer with a run in every state
// (dark and light, tooltip and context menu), saved as screenshots to look at.
import * as assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuilder, thisProcess } from '../fixtures/runBuilder';
import type { Page } from 'playwright-core';
import { eventually, withVSCode, type Theme } from './harness';
import { frameTitled } from './runPageHelpers';

const repo = join(__dirname, '..', '..');
const now = (): number => Date.now() / 1000;

function copyExamples(workspace: string): void {
  cpSync(join(repo, 'examples'), join(workspace, 'examples'), { recursive: true });
  // A run that holds, alive, until the test releases it: it cannot finish before it was seen running.
  cpSync(join(repo, 'test', 'fixtures', 'scripts', 'held_train.py'), join(workspace, 'examples', 'held_train.py'));
}

/** One run in each state, two of them in a group, in the workspace's store. */
function writeRunsInEveryState(workspace: string): void {
  const store = join(workspace, '.runlog');
  const t = now();
  const curve = (b: RunBuilder, steps: number, start = t - 600): RunBuilder => {
    b.at(start);
    for (let s = 0; s < steps; s++) b.history(s, { loss: Math.exp(-s / 20) + 0.05, acc: 1 - Math.exp(-s / 20) / 2 }, start + s * 2);
    return b;
  };
  // Alive: fresh heartbeats and the pid of this test process, which lives on this host.
  curve(new RunBuilder(store, 'cifar', 'live0001').at(t - 300).init({ name: 'lively-comet-7', ...thisProcess(), tags: ['baseline'], notes: 'lr sweep, live' }), 42, t - 100)
    .heartbeat(41, t)
    .write();
  curve(new RunBuilder(store, 'cifar', 'done0001').at(t - 4000).init({ name: 'golden-river-3', group: 'lr-sweep', tags: ['baseline', 'best'], notes: 'the one to beat' }), 100, t - 4000)
    .exit(0, 'finished', t - 3700)
    .write();
  curve(new RunBuilder(store, 'cifar', 'done0002').at(t - 3600).init({ name: 'quiet-field-4', group: 'lr-sweep' }), 80, t - 3600)
    .exit(0, 'finished', t - 3380)
    .write();
  curve(new RunBuilder(store, 'cifar', 'fail0001').at(t - 3000).init({ name: 'fiery-dust-5' }), 12, t - 3000)
    .exit(1, 'failed', t - 2970)
    .write();
  curve(new RunBuilder(store, 'cifar', 'crash001').at(t - 2500).init({ name: 'misty-pine-6' }), 30, t - 2500)
    .heartbeat(29, t - 2400)
    .write();
  curve(new RunBuilder(store, 'cifar', 'kill0001').at(t - 2000).init({ name: 'brave-sky-2' }), 55, t - 2000)
    .exit(130, 'killed', t - 1880)
    .write();
  curve(new RunBuilder(store, 'mnist', 'mnist001').at(t - 90000).init({ name: 'calm-lake-1' }), 20, t - 90000)
    .exit(0, 'finished', t - 89000)
    .write();
}

/**
 * Presses Enter on the launch sheet once it shows `expected` (its first row, Start Run, is the
 * active one), as the sheet's placeholder tells a person to; checks that the sheet closed.
 */
async function startFromSheet(page: Page, expected: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.monaco-list-row', { hasText: expected }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await widget.locator('.monaco-list-row.focused', { hasText: 'Start Run' }).waitFor({ state: 'visible', timeout: 60_000 });
  await widget.locator('input.input').press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 60_000 });
}

describe('Run explorer (end to end)', () => {
  it('starts examples/train.py from the palette and shows it in the explorer until it finishes', async () => {
    await withVSCode({ name: 'explorer-start-run', prepareWorkspace: copyExamples }, async (vscode) => {
      const { page } = vscode;
      await vscode.openFile('examples/train.py');

      await vscode.runCommand('Runlog: Start Run');
      // The sheet reads the project from the script's init(project="awesome-project") (issue 17, item 7).
      const sheet = page.locator('.quick-input-widget');
      await sheet.locator('.monaco-list-row', { hasText: 'examples/train.py in project awesome-project' }).waitFor({ state: 'visible', timeout: 60_000 });
      await sheet.locator('.monaco-list-row', { hasText: "awesome-project, set by the script's init(project=…) on line 13" }).waitFor({ state: 'visible' });
      await vscode.screenshot('launch-sheet-script-project');
      await startFromSheet(vscode.page, 'examples/train.py');

      await vscode.openActivityContainer('Runlog');
      await vscode.waitForTreeRow('awesome-project', 60_000);
      const row = await vscode.waitForTreeRow(', finished, step 9', 60_000);
      assert.match(row, /loss [\d.]+/);
      await page.locator('.terminal-wrapper, .xterm').first().waitFor({ state: 'attached', timeout: 60_000 });
      await vscode.screenshot('explorer-start-run');
      assert.deepEqual(vscode.pageErrors, []);
    });
  });

  it('starts a long run with arguments set in the launch sheet: running in the tree, output in the Output channel, then finished', async () => {
    await withVSCode({ name: 'explorer-start-run-long', prepareWorkspace: copyExamples }, async (vscode) => {
      const { page } = vscode;
      const input = page.locator('.quick-input-widget input.input');
      await vscode.openFile('examples/held_train.py');

      await vscode.runCommandAndPick('Runlog: Start Run', 'Arguments');
      await input.fill('--steps 60 --sleep 0.1 --project long-demo --hold release.flag');
      await page.keyboard.press('Enter');
      await vscode.pickQuickItem('Name');
      await input.fill('palette-run');
      await page.keyboard.press('Enter');
      await startFromSheet(page, '--steps 60');

      // The script holds after its steps until release.flag exists: running stays true however slow.
      await vscode.openActivityContainer('Runlog');
      const running = await vscode.waitForTreeRow('palette-run, running, step', 120_000);
      assert.match(running, /step \d+ · loss [\d.]+ · \d+s/);
      await page.locator('.codelens-decoration', { hasText: /Stop Run palette-run · step \d+/ }).first().waitFor({ state: 'visible', timeout: 120_000 });
      await vscode.screenshot('explorer-running');
      // A click on the live run's row (redrawn several times a second while it runs) opens its page.
      await page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^palette-run$/ }) }).first().click();
      await frameTitled(vscode, 'palette-run', 180_000);
      writeFileSync(join(vscode.workspace, 'release.flag'), 'done');

      await vscode.runCommand('Runlog: Show Output');
      const output = page.locator('.part.panel .monaco-editor .view-lines');
      await vscode.waitForTreeRow('palette-run, finished', 120_000);
      await output.getByText(/palette-run\s\(long-demo\/\w+\)\sfinished\s\(exit\scode\s0\)/).first().waitFor({ state: 'visible', timeout: 60_000 });
      await vscode.screenshot('output-channel');
      // Monaco renders spaces as no-break spaces, hence \s. The script's own lines scrolled out of view: the Output view's filter brings them back.
      await page.locator('.part.panel .viewpane-filter input, .part.panel input[placeholder^="Filter"]').first().fill('] step');
      await output.getByText(/^\[palette-run\]\sstep\s50\sloss\s[\d.]+$/).first().waitFor({ state: 'visible', timeout: 60_000 });
      await vscode.screenshot('output-channel-script-lines');
      assert.deepEqual(vscode.pageErrors, []);
    });
  });

  for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
    const suffix = theme.includes('Dark') ? 'dark' : 'light';
    it(`shows a run in every state with its own icon (${theme})`, async () => {
      await withVSCode({ name: `explorer-states-${suffix}`, theme, prepareWorkspace: writeRunsInEveryState, viewport: { width: 1280, height: 800 } }, async (vscode) => {
        const { page } = vscode;
        await vscode.openActivityContainer('Runlog');
        for (const row of ['lively-comet-7, running', 'fiery-dust-5, failed', 'misty-pine-6, crashed', 'brave-sky-2, killed', 'lr-sweep']) {
          await vscode.waitForTreeRow(row, 60_000);
        }
        await vscode.expandTreeRow('lr-sweep');
        await vscode.waitForTreeRow('golden-river-3, finished');
        // A wider side bar, so the screenshots show whole descriptions.
        const sidebar = await page.locator('.part.sidebar').boundingBox();
        if (sidebar) {
          const edge = sidebar.x + sidebar.width;
          const y = sidebar.y + sidebar.height / 2;
          await page.mouse.move(edge + 1, y);
          await page.mouse.down();
          await page.mouse.move(edge + 200, y, { steps: 8 });
          await page.mouse.up();
        }
        const spinning = page.locator('.part.sidebar .monaco-list-row .codicon-sync.codicon-modifier-spin');
        assert.equal(await spinning.count(), 1, 'exactly the running run spins');
        for (const icon of ['pass', 'error', 'warning', 'circle-slash']) {
          assert.ok((await page.locator(`.part.sidebar .monaco-list-row .codicon-${icon}`).count()) > 0, `no ${icon} icon`);
        }
        await vscode.screenshot(`explorer-states-${suffix}`);

        if (suffix === 'dark') {
          const target = page.locator('.part.sidebar .monaco-list-row', { hasText: 'golden-river-3' }).first();
          const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Run path' }).first();
          for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
            await page.mouse.move(5, 5);
            await target.hover({ position: { x: 60 + attempt * 5, y: 8 } });
            await hover.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
          }
          assert.ok(await hover.isVisible(), 'no tooltip on the run row');
          await vscode.screenshot('explorer-tooltip');
          await page.mouse.move(5, 5);

          await page.locator('.part.sidebar .monaco-list-row', { hasText: 'brave-sky-2' }).first().click({ button: 'right' });
          const menu = page.locator('.context-view .monaco-menu, .monaco-menu-container');
          await menu.first().waitFor({ state: 'visible', timeout: 60_000 });
          const items = await menu.locator('.action-label').allInnerTexts();
          for (const label of ['Open Run', 'Rename Run', 'Edit Notes', 'Add Tag', 'Remove Tag', 'Move to Project', 'Resume Run', 'Fork from Step…', 'Rewind to Step…', 'Copy Run ID', 'Copy Run Path', 'Reveal in Explorer', 'Delete Runs']) {
            assert.ok(items.some((i) => i.includes(label)), `the context menu lacks ${label}: ${JSON.stringify(items)}`);
          }
          assert.ok(!items.some((i) => i.includes('Stop Run')), 'Stop Run is offered on a run that is not running');
          await vscode.screenshot('explorer-context-menu');
          await page.keyboard.press('Escape');

          const status = page.locator('.part.statusbar .statusbar-item', { hasText: '1 run live' }).first();
          const statusHover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'lively-comet-7' }).first();
          for (let attempt = 0; attempt < 5 && !(await statusHover.isVisible()); attempt++) {
            await page.mouse.move(600, 400);
            await status.hover();
            await statusHover.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
          }
          assert.ok(await statusHover.isVisible(), 'the status bar item has no tooltip listing the live run');
          await vscode.screenshot('status-bar-tooltip');
          await page.mouse.move(600, 400);

          await vscode.runCommand('Runlog: Filter Runs');
          await page.locator('.quick-input-widget input.input').fill('state:finished');
          await page.keyboard.press('Enter');
          await page.locator('.part.sidebar .message').getByText('Filter: state:finished', { exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
          const rows = await eventually('the filtered tree: a finished run and no failed one', async () => {
            const now = await vscode.treeRows();
            return !now.some((r) => r.includes('fiery-dust-5')) && now.some((r) => r.includes('golden-river-3')) && now;
          }).catch(async (error: Error) => {
            throw new Error(`the filter left a failed run in the tree or hid a finished one: ${JSON.stringify(await vscode.treeRows())} (${error.message})`);
          });
          assert.ok(rows.some((r) => r.includes('golden-river-3')), 'the filter hid a finished run');
          await vscode.screenshot('explorer-filtered');
        }
        assert.deepEqual(vscode.pageErrors, []);
      });
    });
  }

  it('shows the welcome view with a Start Run button when there are no runs', async () => {
    await withVSCode({ name: 'explorer-welcome', prepareWorkspace: (ws) => writeFileSync(join(ws, 'notes.txt'), 'empty') }, async (vscode) => {
      await vscode.openActivityContainer('Runlog');
      // The Runs view's welcome (the Sweeps view beside it has its own).
      const welcome = vscode.page.locator('.part.sidebar .welcome-view-content', { hasText: 'No runs yet' });
      await welcome.waitFor({ state: 'visible', timeout: 60_000 });
      assert.ok(await welcome.getByRole('button', { name: 'Start Run' }).isVisible());
      await vscode.screenshot('explorer-welcome');
    });
  });
});
