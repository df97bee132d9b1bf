// A person's first minutes with Runlog, in a real VS Code: the activity-bar container and its
// Runs view, a command from the palette, and a run page webview with the run's name and a chart.
import * as assert from 'node:assert/strict';
import { RunWriter } from '../../src/core/format/RunWriter';
import { DEAD_PID, FIXTURE_T0, RunBuilder } from '../fixtures/runBuilder';
import { paintedPixels, withVSCode, type Theme } from './harness';

const RUN_NAME = 'e2e-run-1';

/** One finished run with a falling loss and a rising accuracy, in the workspace's store. */
function writeFixtureRun(workspace: string): void {
  const run = new RunBuilder(`${workspace}/.runlog`, 'fixture', 'e2erun01').init({ name: RUN_NAME }).config({ lr: 0.01 });
  for (let step = 0; step < 50; step++) {
    const loss = Math.exp(-step / 12);
    run.history(step, { loss, acc: 1 - loss / 2 });
  }
  run.exit(0).write();
}

/**
 * A store with no index yet and 20,000 runs, so the editor's open pass reads folders for seconds,
 * and one more run, the newest, in the project that is listed (and read) last.
 */
function writeUnindexedStore(workspace: string): void {
  for (let i = 0; i < 20_000; i++) {
    new RunBuilder(`${workspace}/.runlog`, 'bulk', `b${String(i).padStart(7, '0')}`).init({ name: `bulk-${i}` }).history(0, { loss: 1 }).exit(0).write();
  }
  new RunWriter(`${workspace}/.runlog`, 'zz-last', 'last0001', { clock: FIXTURE_T0 + 86_400, writer: 'runlog-fixture/0', init: { pid: DEAD_PID } })
    .init({ name: 'indexed-last' })
    .history(0, { loss: 1 })
    .exit(0)
    .write();
}

describe('Foundation (end to end)', () => {
  it('shows the Runs view in the Runlog activity-bar container', async () => {
    await withVSCode({ name: 'runs-view', prepareWorkspace: writeFixtureRun }, async (vscode) => {
      await vscode.openActivityContainer('Runlog');
      await vscode.waitForView('Runs');
      const row = await vscode.waitForTreeRow('fixture');
      await vscode.screenshot('runs-view');
      assert.match(row, /fixture/);
    });
  });

  for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
    it(`opens a run page from the command palette with its name and a drawn chart (${theme})`, async () => {
      await withVSCode({ name: `run-page-${theme.includes('Dark') ? 'dark' : 'light'}`, theme, prepareWorkspace: writeFixtureRun }, async (vscode) => {
        await vscode.runCommandAndPick('Runlog: Open Run', RUN_NAME);

        const frame = vscode.webviewFrame();
        await frame.getByText(RUN_NAME, { exact: true }).first().waitFor({ state: 'visible', timeout: 60_000 });

        const canvas = frame.locator('canvas').first();
        await canvas.waitFor({ state: 'visible', timeout: 60_000 });
        const painted = await canvas.evaluate(paintedPixels);
        const shot = await vscode.screenshot(`run-page-${theme.includes('Dark') ? 'dark' : 'light'}`);
        assert.ok(painted > 200, `the chart canvas is blank (${painted} painted pixels); see ${shot}`);

        const policy = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
        assert.ok(policy, 'the run page has no Content-Security-Policy');
        const directives = new Map(
          policy
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .filter((parts) => parts[0])
            .map((parts) => [parts[0] as string, parts.slice(1)]),
        );
        assert.deepEqual(directives.get('default-src'), ["'none'"], policy);
        assert.match((directives.get('script-src') ?? []).join(' '), /^'nonce-[A-Za-z0-9+/=]{16,}'$/, policy);
        for (const [name, sources] of directives) {
          for (const source of sources) {
            // Host wildcards such as VS Code's own https://*.vscode-cdn.net are its cspSource.
            assert.ok(!["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:'].includes(source), `${name} allows ${source}`);
          }
        }
        assert.deepEqual(vscode.pageErrors, []);
      });
    });
  }

  it('Open Run, the first thing done in a window whose store is still being indexed, lists the runs as they are indexed and opens the one picked', async () => {
    await withVSCode({ name: 'open-run-while-indexing', prepareWorkspace: writeUnindexedStore }, async (vscode) => {
      const { page } = vscode;
      await vscode.runCommand('Runlog: Open Run');
      const quickInput = page.locator('.quick-input-widget');
      // The palette closes and the run pick opens in the same widget: wait for the pick's own prompt.
      await quickInput.locator('input[placeholder="Select a run"]').waitFor({ state: 'visible' });
      const indexing = page.locator('.part.statusbar .statusbar-item', { hasText: /Runlog: (indexing|listing)/ }).first();
      const shownAtOpen = { rows: await quickInput.locator('.monaco-list-row').count(), indexing: await indexing.isVisible() };
      await vscode.screenshot('open-run-while-indexing');
      // The newest run, read last, arrives in the list that is open, and picking it opens its page.
      const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: 'indexed-last' }) }).first();
      await row.waitFor({ state: 'visible', timeout: 120_000 });
      await row.click();
      await vscode.webviewFrame().locator('h1.run-name', { hasText: 'indexed-last' }).waitFor({ state: 'visible', timeout: 60_000 });
      // Once indexed, the list no longer shows progress.
      await indexing.waitFor({ state: 'detached', timeout: 120_000 });
      await vscode.runCommand('Runlog: Compare Runs');
      await quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: 'zz-last' }) }).first().waitFor({ state: 'visible' });
      assert.equal(await quickInput.locator('.quick-input-progress .progress-bit').isVisible().catch(() => false), false, 'the project pick shows progress after indexing ended');
      const projects = (await quickInput.locator('.monaco-list-row').allTextContents()).join(' | ');
      assert.match(projects, /bulk\s*20,?000 runs/, `the project pick shows ${projects}`);
      await page.keyboard.press('Escape');
      console.log(`      shown when Open Run opened: ${JSON.stringify(shownAtOpen)}`);
    });
  });
});
