// A run of 10 metrics × 1,000,000 steps in a real VS Code: time from picking it in "Open Run"
// to the first chart drawn, what crosses into the webview (min/max buckets, not a million
// points), and a zoom that the host answers at full resolution for the range.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MILLION, placeMillionRun } from '../fixtures/webviewRuns';
import type { FrameLocator } from 'playwright-core';
import type { VSCodeSession } from './harness';
import { SETTINGS, openRun, useSession } from './runPageHelpers';

const repo = join(__dirname, '..', '..');
const cacheRoot = join(repo, 'out', 'test-cache');

/** Opens the run from the palette; milliseconds from the pick to each stage of the page. */
async function timedOpen(vscode: VSCodeSession): Promise<{ frame: FrameLocator; stages: Record<string, number> }> {
  const { frame, pickedAt } = await openRun(vscode, MILLION.name);
  const drawnAt = Number(await frame.locator('body[data-first-chart-at]').getAttribute('data-first-chart-at', { timeout: 120_000 }));
  assert.ok(drawnAt > pickedAt, `first chart at ${drawnAt}, picked at ${pickedAt}`);
  const stage = async (name: string) => Number(await frame.locator('body').getAttribute(`data-${name}-at`)) - pickedAt;
  return {
    frame,
    stages: { pageScript: await stage('script'), snapshot: await stage('snapshot'), firstSeries: await stage('series'), firstChartDrawn: Math.round(drawnAt - pickedAt) },
  };
}

describe('Run page with a million steps (end to end)', function () {
  this.timeout(600_000);
  const session = useSession({
    name: 'run-page-million',
    settings: SETTINGS,
    viewport: { width: 1440, height: 900 },
    prepareWorkspace: (workspace) => placeMillionRun(join(workspace, '.runlog'), cacheRoot),
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session().screenshot('failed-run-page-million').catch(() => undefined);
  });

  it('draws the first chart soon after Open Run, from about a thousand min/max buckets per chart', async () => {
    const vscode = session();
    await vscode.openActivityContainer('Runlog');
    await vscode.waitForTreeRow(MILLION.project, 120_000);
    // Cold: the first webview of the window (VS Code loads its webview host too). Warm: the
    // page closed and opened again in the same window.
    const cold = await timedOpen(vscode);
    await vscode.runCommand('View: Close All Editors');
    await vscode.page.locator('.tab', { hasText: MILLION.name }).waitFor({ state: 'detached', timeout: 60_000 });
    const warm = await timedOpen(vscode);
    const frame = warm.frame;
    const out = join(repo, 'test-results', 'timings');
    mkdirSync(out, { recursive: true });
    const report = { run: MILLION.key, steps: MILLION.steps, metrics: MILLION.metrics, coldMs: cold.stages, warmMs: warm.stages };
    writeFileSync(join(out, 'million-first-chart.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`      Open Run → first chart drawn (10 metrics × 1,000,000 steps): cold ${JSON.stringify(cold.stages)}, warm ${JSON.stringify(warm.stages)} (ms)`);

    const card = frame.locator('[data-metric="metric_0"]');
    await card.locator('canvas[data-drawn="true"]').waitFor({ state: 'attached' });
    const points = Number(await card.getAttribute('data-points'));
    assert.ok(points > 1000 && points <= 2000, `${points} points crossed into the webview for 1M steps`);
    assert.match((await card.locator('.chart-note').getAttribute('title')) ?? '', /^1,000,000 points, shown as min\/max of \d{3,4} buckets$/);
    const titles = await frame.locator('#panel-charts .chart-title').allInnerTexts();
    assert.equal(titles.length, MILLION.metrics);
    await vscode.screenshot('run-page-million-dark');
  });

  it('asks the host for a zoomed range at full resolution', async () => {
    const vscode = session();
    const { frame } = { frame: vscode.webviewFrame() };
    const card = frame.locator('[data-metric="metric_0"]');
    const before = Number(await card.getAttribute('data-steps-per-point'));
    const canvas = card.locator('canvas');
    await card.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    assert.ok(box);
    await vscode.page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await vscode.page.mouse.down();
    await vscode.page.mouse.move(box.x + box.width * 0.56, box.y + box.height / 2, { steps: 4 });
    await vscode.page.mouse.up();
    await card.locator('.chart-note', { hasText: 'zoomed' }).waitFor();
    await frame.locator(`[data-metric="metric_0"]:not([data-steps-per-point="${before}"])`).waitFor({ state: 'attached', timeout: 60_000 });
    const after = Number(await card.getAttribute('data-steps-per-point'));
    assert.ok(after < before / 5, `zoomed data is ${after} steps per point, the full range ${before}`);
    await vscode.screenshot('run-page-million-zoomed-dark');
  });
});
