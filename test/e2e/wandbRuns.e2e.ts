// W&B's own offline runs in the editor, in a real VS Code: real wandb 0.30.0 run folders and a
// live one this test writes chunk by chunk under the workspace's wandb/ folder show in the run
// explorer marked W&B, and the live one's page grows while the test appends records.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import type { LogWriter } from '../../src/core/sources/wandb/logFormat';
import { appendWandbRecords, rec, wandbFixturesDir, writeWandbRun } from '../fixtures/wandbFiles';
import { eventually, paintedPixels, type VSCodeSession } from './harness';
import { frameTitled, SETTINGS, useSession } from './runPageHelpers';

const LIVE_NAME = 'live-wandb-run';
const now = (): number => Date.now() / 1000;
let live: { file: string; log: LogWriter } | undefined;

const liveStep = (step: number) => [
  rec.output('stdout', `wandb line ${step}`),
  rec.output('stdout', '\n'),
  rec.history(step, { loss: String(1 / (step + 1)), acc: String(step / 40) }, now()),
];

function prepare(workspace: string): void {
  const wandbDir = join(workspace, 'wandb');
  mkdirSync(wandbDir, { recursive: true });
  const src = wandbFixturesDir();
  for (const name of readdirSync(src).filter((n) => /-(basics01|media002|killed06)$/.test(n))) {
    cpSync(join(src, name), join(wandbDir, name), { recursive: true, preserveTimestamps: true });
  }
  const records = [rec.run({ id: 'livewb01', project: 'wandb-live', name: LIVE_NAME, tags: ['offline'], startTime: now() })];
  for (let s = 0; s < 10; s++) records.push(...liveStep(s));
  const run = writeWandbRun(wandbDir, 'livewb01', records, '20261130_120000');
  live = { file: run.file, log: run.log };
}

/** The explorer row whose name (its label, not its description) is exactly `name`. */
function explorerRow(vscode: VSCodeSession, name: string, selector = '.monaco-list-row'): Locator {
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return vscode.page.locator(`.part.sidebar ${selector}`, { has: vscode.page.locator('.label-name', { hasText: exact }) }).first();
}

/**
 * Opens a finished run's page as a person does, with a click on its explorer row. (Not the
 * palette: right after a click in a webview, VS Code hands focus back to that webview once the
 * palette closes, which can close the next quick pick on a slow machine.)
 */
async function openFromExplorer(vscode: VSCodeSession, name: string): Promise<FrameLocator> {
  await explorerRow(vscode, name).click();
  return frameTitled(vscode, name, 180_000);
}

async function selectTab(frame: FrameLocator, label: string): Promise<void> {
  await frame.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
  await frame.locator('[role=tab][aria-selected=true]', { hasText: label }).waitFor();
}

describe('W&B offline runs in the editor (end to end)', function () {
  this.timeout(600_000);
  const session = useSession({ name: 'wandb-runs', prepareWorkspace: prepare, settings: SETTINGS, viewport: { width: 1440, height: 900 } });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session().screenshot(`failed-wandb-${this.currentTest.title.slice(0, 30)}`).catch(() => undefined);
  });

  it('lists the workspace W&B runs in the explorer, marked W&B, with their states', async () => {
    const vscode = session();
    await vscode.openActivityContainer('Runlog');
    await vscode.waitForTreeRow('fixtures', 180_000);
    await vscode.expandTreeRow('fixtures');
    // basics01 is in W&B group exp-a: the group is a node of its own.
    await vscode.expandTreeRow('exp-a');
    const basics = await vscode.waitForTreeRow('calm-river-1, finished', 120_000);
    assert.match(basics, /W&B · step 5/);
    await vscode.waitForTreeRow('bright-sky-2, finished', 60_000);
    await vscode.waitForTreeRow(LIVE_NAME, 60_000);
    // The header-only run: its only record is dated by its folder, hours ago, so it is no longer live.
    await vscode.waitForTreeRow('killed06, crashed', 60_000);
    await vscode.screenshot('wandb-explorer');
    assert.deepEqual(vscode.pageErrors, []);
  });

  it("opens the live run's page and its charts and logs grow while records are appended", async () => {
    const vscode = session();
    assert.ok(live);
    // The session may have taken minutes to start: a fresh record makes the run live again.
    appendWandbRecords(live.file, live.log, liveStep(10));
    await vscode.waitForTreeRow(`${LIVE_NAME}, running`, 120_000);
    // From the palette: a live run's explorer row is re-rendered every second (its duration
    // ticks), and VS Code drops a click on a tree row re-rendered meanwhile (microsoft/vscode#173233),
    // which a loaded machine makes likely. No page is open yet, so no webview takes focus back.
    await vscode.runCommandAndPick('Runlog: Open Run', LIVE_NAME);
    const frame = await frameTitled(vscode, LIVE_NAME, 180_000);
    await frame.locator('[data-metric="loss"] .chart-note[title="11 points"]').waitFor({ state: 'attached', timeout: 60_000 });
    // The script goes on: chunks of steps, each seen on the open chart before the next is written.
    // (W&B records no pid: a run reads running while its file grew within a minute, so the state
    // is checked right after a chunk, not after however long the page took to open.)
    for (let s = 11; s < 40; s += 6) {
      const steps = [s, s + 1, s + 2, s + 3, s + 4, s + 5].filter((x) => x < 40);
      appendWandbRecords(live.file, live.log, steps.flatMap(liveStep));
      const points = steps[steps.length - 1]! + 1;
      await frame.locator(`[data-metric="loss"] .chart-note[title="${points} points"]`).waitFor({ state: 'attached', timeout: 60_000 });
      if (s === 11) await frame.locator('.page-header .state-badge', { hasText: /running/ }).waitFor({ timeout: 60_000 });
    }
    await frame.locator('.run-meta', { hasText: 'step 39' }).waitFor({ timeout: 60_000 });
    await vscode.screenshot('wandb-run-page-live-charts');
    await selectTab(frame, 'Logs');
    await frame.locator('.log-row .lt', { hasText: 'wandb line 39' }).waitFor({ timeout: 60_000 });
    await vscode.screenshot('wandb-run-page-live-logs');
    appendWandbRecords(live.file, live.log, [rec.exit(0)]);
    await frame.locator('.page-header .state-badge', { hasText: /finished/ }).waitFor({ timeout: 60_000 });
    await vscode.waitForTreeRow(`${LIVE_NAME}, finished`, 60_000);
    assert.deepEqual(vscode.pageErrors, []);
  });

  it("shows a real W&B run's config and summary, and the header-only run with its note", async () => {
    const vscode = session();
    await vscode.expandTreeRow('fixtures');
    await vscode.expandTreeRow('exp-a');
    const frame = await openFromExplorer(vscode, 'calm-river-1');
    await selectTab(frame, 'Overview');
    const overview = frame.locator('#panel-overview');
    await overview.getByText('model/depth').first().waitFor({ timeout: 60_000 });
    await overview.getByText('best_acc').first().waitFor({ timeout: 60_000 });
    await vscode.screenshot('wandb-run-page-overview');
    await vscode.expandTreeRow('wandb');
    const killed = await openFromExplorer(vscode, 'killed06');
    await selectTab(killed, 'Overview');
    const note = killed.locator('#panel-overview').getByText(/only W&B's file header/).first();
    await note.waitFor({ timeout: 60_000 });
    await note.scrollIntoViewIfNeeded();
    await vscode.screenshot('wandb-run-page-header-only');
    assert.deepEqual(vscode.pageErrors, []);
  });

  it("shows a W&B run's images, histogram and table in its Media tab", async () => {
    const vscode = session();
    await vscode.expandTreeRow('fixtures');
    const frame = await openFromExplorer(vscode, 'bright-sky-2');
    await selectTab(frame, 'Media');
    const samples = frame.locator('.image-card[data-key="sample"]');
    await samples.locator('img').first().waitFor({ timeout: 60_000 });
    // The image W&B wrote (24×16) is loaded in place from the W&B folder's files/media/ (nothing is copied), not a broken link.
    const size = (): Promise<number[]> => samples.locator('img').first().evaluate((img) => [(img as { naturalWidth: number }).naturalWidth, (img as { naturalHeight: number }).naturalHeight]);
    assert.deepEqual(await eventually('the image is loaded', async () => ((await size())[0]! > 0 ? size() : undefined)), [24, 16]);
    assert.equal(await samples.locator('.step-label').innerText(), 'step 2 (latest)');
    assert.deepEqual(await samples.locator('figcaption').allInnerTexts(), ['step 2']);
    const table = frame.locator('.table-card[data-key="predictions"]');
    await table.scrollIntoViewIfNeeded();
    await table.locator('.table-status', { hasText: '3 of 3 rows' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await table.locator('.media-th').allInnerTexts(), ['id', 'label', 'score', 'image']);
    const hist = frame.locator('.histogram-card[data-key="weights"] canvas');
    await hist.scrollIntoViewIfNeeded();
    await eventually('the histogram is drawn', async () => (await hist.evaluate(paintedPixels)) > 1000);
    await frame.locator('.media-section').first().scrollIntoViewIfNeeded();
    await vscode.screenshot('wandb-run-page-media');
    await table.scrollIntoViewIfNeeded();
    await vscode.screenshot('wandb-run-page-media-table');
    assert.deepEqual(vscode.pageErrors, []);
  });
  it("shows a W&B run's image on the compare page too, served in place from the W&B folder", async () => {
    const vscode = session();
    await vscode.runCommandAndPick('Runlog: Compare Runs', 'fixtures');
    await vscode.page.locator('.tab.active', { hasText: 'Compare: fixtures' }).waitFor({ timeout: 120_000 });
    const frame = await eventually('the compare page', async () => {
      const count = await vscode.page.locator('iframe.webview.ready').count();
      for (let i = 0; i < count; i++) {
        const f = vscode.webviewFrame(i);
        if ((await f.locator('.runs-table').count().catch(() => 0)) > 0) return f;
      }
      return undefined;
    });
    const samples = frame.locator('.media-panel .image-card[data-key="sample"]').first();
    await samples.waitFor({ timeout: 120_000 });
    await samples.scrollIntoViewIfNeeded();
    const size = (): Promise<number[]> => samples.locator('img').first().evaluate((img) => [(img as { naturalWidth: number }).naturalWidth, (img as { naturalHeight: number }).naturalHeight]);
    assert.deepEqual(await eventually('the image is loaded', async () => ((await size())[0]! > 0 ? size() : undefined)), [24, 16]);
    await vscode.screenshot('wandb-compare-media');
    assert.deepEqual(vscode.pageErrors, []);
  });
});
