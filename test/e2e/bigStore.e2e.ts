// The explorer, the compare page and the run page on a store of 10,000 runs (issue 14, "Done
// when"), in a real VS Code: the explorer shows the newest runs first with "Show more"; the
// compare page holds the first 200 and, sorted by a summary column, shows the best run of all
// 10,000 first (an old run no page held); a script's run started in that store appears in the
// tree and its run page follows it step by step. Screenshots of each.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeScaleRuns } from '../../bench/stores';
import { FIXTURE_T0, RunBuilder } from '../fixtures/runBuilder';
import { eventually, paintedPixels } from './harness';
import { findCompareFrame, heldLiveScript, openRun, SETTINGS, startHeldScript, useSession } from './runPageHelpers';

const PROJECT = 'scale';
const RUNS = 10_000;
const LIVE = 'live-in-10k';

/** 30 steps, then alive and silent until told to finish. */
const SCRIPT = heldLiveScript(`project=${JSON.stringify(PROJECT)}, name=${JSON.stringify(LIVE)}, config={"lr": 0.01}`, '{"loss": 1.0 / (step + 1), "acc": step / 30}');

function prepare(workspace: string): void {
  const store = join(workspace, '.runlog');
  // sweep-0 (oldest) … sweep-9999 (newest), 10 steps × 2 metrics each (bench/stores.ts).
  writeScaleRuns(store, RUNS, 10, PROJECT);
  // The best run of all, older than every other: no page of the newest runs holds it.
  new RunBuilder(store, PROJECT, 'champion1').at(FIXTURE_T0 - 3600).init({ name: 'champion' })
    .config({ lr: 0.001, seed: -1 }).history(0, { loss: 0.01, acc: 0.999 }).summary({ best_acc: 0.9999, final_loss: 0.01 }).exit(0).write();
  writeFileSync(join(workspace, 'live_big.py'), SCRIPT);
}

describe('A store of 10,000 runs (end to end)', function () {
  this.timeout(900_000);
  const session = useSession({ name: 'big-store', settings: SETTINGS, prepareWorkspace: prepare, viewport: { width: 1440, height: 900 } });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session().screenshot(`failed-big-store-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
  });

  it('the explorer shows the newest runs first and "Show more"', async () => {
    const vscode = session();
    await vscode.openActivityContainer('Runlog');
    // The whole store is indexed in the background after the window opens: minutes on a busy machine.
    await vscode.waitForTreeRow(`sweep-${RUNS - 1}, finished`, 600_000);
    // Indexed to the last run (the status bar's indexing item goes; on a busy machine minutes).
    await vscode.waitForTreeRow('scale 10,001 runs', 600_000);
    // The tree draws only the rows in sight: go to its end, as a person scrolling down would.
    await vscode.page.locator('.part.sidebar .monaco-list').first().focus();
    await vscode.page.keyboard.press('End');
    const more = await vscode.waitForTreeRow('Show more', 60_000);
    assert.match(more, /9,901 more runs/);
    await vscode.screenshot('big-store-explorer-end');
    await vscode.page.keyboard.press('Home');
    await vscode.waitForTreeRow(`sweep-${RUNS - 1}, finished`, 60_000);
    const rows = await vscode.treeRows();
    assert.ok(rows.findIndex((r) => r.includes(`sweep-${RUNS - 1},`)) < rows.findIndex((r) => r.includes(`sweep-${RUNS - 2},`)), `newest first: ${JSON.stringify(rows.slice(0, 5))}`);
    await vscode.screenshot('big-store-explorer');
  });

  it('the compare page holds the first 200 runs and, sorted by a summary column, shows the best of all 10,001 first', async () => {
    const vscode = session();
    // The store's only project: the command opens its page without asking which.
    await vscode.runCommand('Runlog: Compare Runs');
    const frame = await findCompareFrame(vscode, 120_000, PROJECT);
    const meta = frame.locator('.run-meta');
    await meta.filter({ hasText: /^200 of 10,001 runs$/ }).waitFor({ timeout: 120_000 });
    const firstName = frame.locator('.run-row:not([hidden])').first().locator('.col-name');
    assert.equal(await firstName.innerText(), `sweep-${RUNS - 1}`, 'newest first');
    await frame.locator('.runs-header .sort-button', { hasText: /^best_acc/ }).click();
    await frame.locator('.runs-header [aria-sort=descending]', { hasText: 'best_acc' }).waitFor();
    await firstName.filter({ hasText: /^champion$/ }).waitFor({ timeout: 60_000 });
    await meta.filter({ hasText: /^200 of 10,001 runs$/ }).waitFor();
    // The charts follow the table: the first 10 runs in the new order, champion among them, drawn.
    await frame.locator('.legend-item', { hasText: /^champion$/ }).waitFor({ timeout: 60_000 });
    const chart = frame.locator('.chart-card[data-metric="acc"] canvas');
    await eventually('the charts of the best runs drawn', async () => (await chart.evaluate(paintedPixels)) > 2000, 60_000);
    await vscode.screenshot('big-store-compare-sorted');
  });

  it('a script’s run started in the store shows in the tree, and its run page follows it to its end', async () => {
    const vscode = session();
    const script = startHeldScript(vscode.workspace, 'live_big.py');
    try {
      await vscode.openActivityContainer('Runlog');
      // The newest run is the tree's first row: go to the top (an earlier test may have left it at its end).
      await vscode.page.locator('.part.sidebar .monaco-list').first().focus();
      await vscode.page.keyboard.press('Home');
      await vscode.waitForTreeRow(`${LIVE}, running`, 120_000);
      const { frame } = await openRun(vscode, LIVE);
      const meta = frame.locator('.run-meta');
      await meta.filter({ hasText: /· step 29 ·/ }).waitFor({ timeout: 120_000 });
      const badge = frame.getByRole('banner').locator('.state-badge');
      assert.equal(await badge.innerText(), 'running');
      await frame.locator('body[data-first-chart-at]').waitFor({ timeout: 60_000 });
      await vscode.screenshot('big-store-run-page-live');
      script.finish();
      assert.equal(await script.exited, 0);
      await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: 120_000 });
      await vscode.waitForTreeRow(`${LIVE}, finished`, 120_000);
      assert.deepEqual(vscode.pageErrors, []);
    } finally {
      script.kill();
    }
  });
});
