// A run of 10 metrics × 1,000,000 steps in a real VS Code: time from picking it in "Open Run"
// to the first chart drawn, what crosses into the webview (min/max buckets, not a million
// points), and a zoom that the host answers at full resolution for the range.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MILLION, placeMillionRun } from '../fixtures/webviewRuns';
import { SETTINGS, openRun, useSession } from './runPageHelpers';

const repo = join(__dirname, '..', '..');
const cacheRoot = join(repo, 'out', 'test-cache');

describe('Run page with a million steps (end to end)', function () {
  this.timeout(300_000);
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
    const { frame, pickedAt } = await openRun(vscode, MILLION.name);
    const drawnAt = Number(await frame.locator('body[data-first-chart-at]').getAttribute('data-first-chart-at', { timeout: 120_000 }));
    const ms = Math.round(drawnAt - pickedAt);
    assert.ok(ms > 0, `first chart at ${drawnAt}, picked at ${pickedAt}`);
    const out = join(repo, 'test-results', 'timings');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'million-first-chart.json'), `${JSON.stringify({ run: MILLION.key, steps: MILLION.steps, metrics: MILLION.metrics, openRunToFirstChartMs: ms }, null, 2)}\n`);
    console.log(`      Open Run → first chart drawn (10 metrics × 1,000,000 steps): ${ms} ms`);

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
    await frame.locator(`[data-metric="metric_0"]:not([data-steps-per-point="${before}"])`).waitFor({ state: 'attached', timeout: 30_000 });
    const after = Number(await card.getAttribute('data-steps-per-point'));
    assert.ok(after < before / 5, `zoomed data is ${after} steps per point, the full range ${before}`);
    await vscode.screenshot('run-page-million-zoomed-dark');
  });
});
