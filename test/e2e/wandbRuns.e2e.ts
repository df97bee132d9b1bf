// W&B's own offline runs in the editor, in a real VS Code: real wandb 0.30.0 run folders and a
// live one this test writes chunk by chunk under the workspace's wandb/ folder show in the run
// explorer marked W&B, and the live one's page grows while the test appends records.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { LogWriter } from '../../src/core/sources/wandb/logFormat';
import { appendWandbRecords, rec, wandbFixturesDir, writeWandbRun } from '../fixtures/wandbFiles';
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
    const project = vscode.page.locator('.monaco-list-row', { hasText: 'fixtures' }).first();
    await project.click();
    if ((await project.getAttribute('aria-expanded')) !== 'true') await vscode.page.keyboard.press('ArrowRight');
    // basics01 is in W&B group exp-a: the group is a node of its own.
    const group = vscode.page.locator('.monaco-list-row', { hasText: 'exp-a' }).first();
    await group.waitFor({ state: 'visible', timeout: 120_000 });
    await group.click();
    if ((await group.getAttribute('aria-expanded')) !== 'true') await vscode.page.keyboard.press('ArrowRight');
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
    // Open it as a person does from the explorer: a click on its row.
    await vscode.page.locator('.monaco-list-row', { hasText: LIVE_NAME }).first().click();
    const frame = await frameTitled(vscode, LIVE_NAME, 180_000);
    assert.match(await frame.locator('.page-header .state-badge').innerText(), /running/);
    await frame.locator('[data-metric="loss"] .chart-note[title="11 points"]').waitFor({ state: 'attached', timeout: 60_000 });
    for (let s = 11; s < 40; s += 6) {
      appendWandbRecords(live.file, live.log, [s, s + 1, s + 2, s + 3, s + 4, s + 5].filter((x) => x < 40).flatMap(liveStep));
      await vscode.page.waitForTimeout(300);
    }
    await frame.locator('[data-metric="loss"] .chart-note[title="40 points"]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.match(await frame.locator('.run-meta').innerText(), /step 39/);
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
    await vscode.runCommand('Runlog: Open Run');
    await vscode.pickQuickItem('calm-river-1');
    const frame = await frameTitled(vscode, 'calm-river-1', 180_000);
    await selectTab(frame, 'Overview');
    const overview = frame.locator('#panel-overview');
    await overview.getByText('model/depth').first().waitFor({ timeout: 60_000 });
    await overview.getByText('best_acc').first().waitFor({ timeout: 60_000 });
    await vscode.screenshot('wandb-run-page-overview');
    await vscode.runCommand('Runlog: Open Run');
    await vscode.pickQuickItem('killed06');
    const killed = await frameTitled(vscode, 'killed06', 180_000);
    await selectTab(killed, 'Overview');
    await killed.locator('#panel-overview').getByText(/only W&B's file header/).first().waitFor({ timeout: 60_000 });
    await vscode.screenshot('wandb-run-page-header-only');
    assert.deepEqual(vscode.pageErrors, []);
  });
});
