// The extension as a user gets it: `npm run package` builds dist/runlog.vsix, code-server
// installs it with --install-extension, and the workbench loads it like any other extension
// (no development path, built-in extensions such as the Markdown preview on). Bugs that only
// the packaged file shows live here: vsce stores README.md as `readme.md`, so anything that
// opens a shipped file by name is tested against the installed copy. Run alone with
// `node scripts/test.mjs e2e --grep "Packaged extension"`.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { FrameLocator } from 'playwright-core';
import { RunBuilder } from '../fixtures/runBuilder';
import { paintedPixels, withVSCode, type Theme, type VSCodeSession } from './harness';
import { SETTINGS } from './runPageHelpers';

const repo = join(__dirname, '..', '..');
const PROJECT = 'packaged';
/** A right-to-left override (issue 17, item 4) in a name too long for a tab (item 11). */
const TRICKY = 'report-\u202Egnp.exe-then-a-very-long-run-name-that-goes-on-and-on-7';
const RUNS = ['packaged-run-1', 'packaged-run-2', 'packaged-run-3', TRICKY];

function writeRuns(workspace: string): void {
  RUNS.forEach((name, i) => {
    const run = new RunBuilder(`${workspace}/.runlog`, PROJECT, `pkgrun0${i + 1}`).at(1764158400 + i * 600).init({ name }).config({ lr: 0.01 * (i + 1) });
    for (let step = 0; step < 40; step++) run.history(step, { loss: Math.exp(-step / (8 + 4 * i)) });
    run.exit(0).write();
  });
}

/** `npm run package` into a temp folder's copy of dist/runlog.vsix, as a user's `npm run package` would. */
async function packageVsix(): Promise<string> {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  await promisify(execFile)('npm', ['run', 'package'], { cwd: repo, env, maxBuffer: 64 * 1024 * 1024 });
  const dir = mkdtempSync(join(tmpdir(), 'runlog-vsix-'));
  const vsix = join(dir, 'runlog.vsix');
  const { copyFileSync } = await import('node:fs');
  copyFileSync(join(repo, 'dist', 'runlog.vsix'), vsix);
  return vsix;
}

/** The webview (of any editor) in which `selector` shows `text`. */
async function frameShowing(vscode: VSCodeSession, selector: string, text: string, timeoutMs = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await vscode.page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = vscode.webviewFrame(i);
      if ((await frame.locator(selector, { hasText: text }).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} "${text}"`);
    await vscode.page.waitForTimeout(250);
  }
}

/** The folder code-server unpacked the vsix into, and the names in it. */
function installedFiles(vscode: VSCodeSession): string[] {
  const folder = readdirSync(vscode.extensionsDir).find((name) => name.startsWith('runlog.runlog-'));
  assert.ok(folder, `the vsix was not installed: ${readdirSync(vscode.extensionsDir).join(', ')}`);
  return readdirSync(join(vscode.extensionsDir, folder));
}

async function assertSdkGuide(vscode: VSCodeSession, shot: string): Promise<void> {
  const frame = await frameShowing(vscode, 'h2', 'Python SDK');
  assert.equal(await frame.getByText('cannot be found').count(), 0, 'the preview says the file cannot be found');
  await vscode.page.locator('.tab.active', { hasText: /readme\.md/i }).waitFor({ timeout: 30_000 });
  await vscode.screenshot(shot);
}

describe('Packaged extension (end to end, installed vsix)', function () {
  this.timeout(600_000);
  let vsix: string;
  before(async function () {
    this.timeout(600_000);
    vsix = await packageVsix();
  });
  after(() => rmSync(dirname(vsix), { recursive: true, force: true }));

  it('activates with no runs yet and its welcome view opens the SDK guide', async () => {
    await withVSCode({ name: 'packaged-welcome', vsix, settings: SETTINGS }, async (vscode) => {
      const files = installedFiles(vscode);
      // What makes this test matter: the installed copy's README is spelled as vsce stores it.
      assert.ok(files.includes('readme.md') && !files.includes('README.md'), `installed files: ${files.join(', ')}`);
      await vscode.openActivityContainer('Runlog');
      await vscode.waitForView('Runs');
      const link = vscode.page.locator('.part.sidebar .welcome-view-content a', { hasText: 'SDK guide' });
      await link.waitFor({ state: 'visible', timeout: 60_000 });
      await link.click();
      await assertSdkGuide(vscode, 'packaged-sdk-guide-welcome');
      assert.deepEqual(vscode.pageErrors, []);
    });
  });

  for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
    const suffix = theme.includes('Dark') ? 'dark' : 'light';
    it(`shows runs, the SDK guide, a run page and the compare page (${suffix})`, async () => {
      await withVSCode({ name: `packaged-${suffix}`, vsix, theme, settings: SETTINGS, prepareWorkspace: writeRuns }, async (vscode) => {
        await vscode.openActivityContainer('Runlog');
        await vscode.waitForView('Runs');
        await vscode.waitForTreeRow(PROJECT, 60_000);

        await vscode.runCommand('Runlog: Show SDK Usage');
        await assertSdkGuide(vscode, `packaged-sdk-guide-${suffix}`);

        await vscode.runCommandAndPick('Runlog: Open Run', RUNS[0]!);
        const runPage = await frameShowing(vscode, 'h1.run-name', RUNS[0]!);
        const canvas = runPage.locator('canvas[data-drawn="true"]').first();
        await canvas.waitFor({ state: 'attached', timeout: 60_000 });
        assert.ok((await canvas.evaluate(paintedPixels)) > 200, 'the run page chart is blank');
        await vscode.screenshot(`packaged-run-page-${suffix}`);

        // Outside the webview the override is gone and the tab title is capped; inside, it is shown.
        const row = await vscode.waitForTreeRow('report-gnp.exe');
        assert.ok(!row.includes('\u202E'), row);
        await vscode.runCommandAndPick('Runlog: Open Run', 'report-gnp.exe-then');
        const tricky = await frameShowing(vscode, 'h1.run-name', 'report-⟨U+202E⟩gnp.exe-then');
        assert.equal(await tricky.locator('h1.run-name').innerText(), TRICKY.replace('\u202E', '⟨U+202E⟩'));
        const tab = (await vscode.page.locator('.tab.active .label-name').innerText()).trim();
        assert.ok(!tab.includes('\u202E') && tab.endsWith('…') && Array.from(tab).length <= 40, `tab title: ${JSON.stringify(tab)}`);
        await vscode.screenshot(`packaged-bidi-long-name-${suffix}`);

        await vscode.runCommand('Runlog: Compare Runs');
        const compare = await frameShowing(vscode, '.run-row', RUNS[2]!);
        assert.equal(await compare.locator('.run-meta').innerText(), `${RUNS.length} runs`);
        const chart = compare.locator('.chart-card[data-metric="loss"] canvas[data-drawn="true"]');
        await chart.waitFor({ state: 'attached', timeout: 60_000 });
        assert.ok((await chart.evaluate(paintedPixels)) > 500, 'the compare chart is blank');
        await vscode.screenshot(`packaged-compare-${suffix}`);
        assert.deepEqual(vscode.pageErrors, []);
      });
    });
  }
});
