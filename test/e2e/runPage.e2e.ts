// The run page as a person uses it, in a real VS Code: open a run from the palette, go through
// every tab and check what each shows for a run with known data, zoom a chart, edit notes and
// tags, watch a live run grow, restore after a window reload, and a run whose user text is
// markup. Screenshots of every tab in a dark and a light theme go to test-results/screenshots/.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FIXTURE_T0, runDir } from '../fixtures/runBuilder';
import { appendLive, DEFINED, LIVE, RICH, RICH_OUTPUT_LINES, writeDefinedMetricsRun, writeLiveRun, writeRichRun, writeXssRun, XSS, XSS_TEXT } from '../fixtures/webviewRuns';
import { eventually, paintedPixels, type Theme } from './harness';
import { frameTitled, openRun, SETTINGS, useSession } from './runPageHelpers';

const SEED_FIELDS = [
  'Author', 'Command', 'Description', 'Duration', 'Git repository', 'Host name', 'Name', 'OS', 'Python executable',
  'Python version', 'Run path', 'Runtime', 'Start time', 'State', 'System hardware', 'Tags', 'SDK version',
];

async function selectTab(frame: FrameLocator, label: string): Promise<void> {
  await frame.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
  await frame.locator(`[role=tab][aria-selected=true]`, { hasText: label }).waitFor();
}

async function drawnCharts(frame: FrameLocator, panel: string, atLeast: number): Promise<number> {
  const canvases = frame.locator(`#panel-${panel} canvas[data-drawn="true"]`);
  await canvases.nth(atLeast - 1).waitFor({ state: 'attached', timeout: 60_000 });
  return canvases.count();
}

async function fieldText(frame: FrameLocator, label: string): Promise<string> {
  return (await frame.locator('table.fields tr', { has: frame.locator('th', { hasText: new RegExp(`^${label}$`) }) }).locator('td').innerText()).trim();
}

/** For `evaluate()`: the computed text colour of an element. */
const textColor = (element: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(element).color;

function prepare(workspace: string): void {
  const store = join(workspace, '.runlog');
  writeRichRun(store);
  writeXssRun(store);
  writeLiveRun(store);
  writeDefinedMetricsRun(store);
}

for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
  const dark = theme.includes('Dark');
  const shot = (name: string) => `run-page-${name}-${dark ? 'dark' : 'light'}`;

  describe(`Run page (end to end, ${dark ? 'dark' : 'light'} theme)`, function () {
    this.timeout(600_000);
    const session = useSession({ name: shot('session'), theme, prepareWorkspace: prepare, settings: SETTINGS, viewport: { width: 1440, height: 900 } });
    let frame: FrameLocator;
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await session().screenshot(`failed-${shot(this.currentTest.title.slice(0, 40))}`).catch(() => undefined);
    });

    it('opens a run from the palette in a panel titled with its name, on its charts', async () => {
      const vscode = session();
      ({ frame } = await openRun(vscode, RICH.name));
      await vscode.page.locator('.tab.active', { hasText: RICH.name }).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('h1.run-name').innerText(), RICH.name);
      assert.match(await frame.locator('[role=tab][aria-selected=true]').innerText(), /^Charts\s+7$/);
      const sections = await frame.locator('#panel-charts .chart-section .section-name').allInnerTexts();
      assert.deepEqual(sections, ['Charts', 'train', 'val']);
      // Charts are created as they scroll into view.
      await drawnCharts(frame, 'charts', 3);
      await frame.locator('[data-metric="val/loss"]').scrollIntoViewIfNeeded();
      assert.equal(await drawnCharts(frame, 'charts', 7), 7);
      await frame.locator('main.tab-panels').evaluate((e) => e.scrollTo(0, 0));
      const titles = await frame.locator('#panel-charts .chart-title').allInnerTexts();
      assert.deepEqual(titles, ['epoch', 'train/acc', 'train/grad_norm', 'train/loss', 'train/lr', 'val/acc', 'val/loss']);
      const painted = await frame.locator('[data-metric="train/loss"] canvas').evaluate(paintedPixels);
      assert.ok(painted > 500, `train/loss is blank (${painted} pixels)`);
      await vscode.screenshot(shot('charts'));
      assert.deepEqual(vscode.pageErrors, []);
    });

    it('shows every overview field the seed lists, then config, summary and artifact outputs', async () => {
      const vscode = session();
      await selectTab(frame, 'Overview');
      const labels = await frame.locator('table.fields th').allInnerTexts();
      for (const field of SEED_FIELDS) assert.ok(labels.includes(field), `no ${field} field; fields: ${labels.join(', ')}`);
      assert.equal(await fieldText(frame, 'Author'), 'nico');
      assert.equal(await fieldText(frame, 'Command'), "python train.py --epochs 20 --run-name 'glowing sunset'");
      assert.match(await fieldText(frame, 'Description'), /^Baseline CNN with a cosine learning-rate schedule\.\nSecond line of notes\./);
      assert.equal(await fieldText(frame, 'Duration'), '30m 15s');
      assert.match(await fieldText(frame, 'Git repository'), /git@github\.com:nico\/mnist-experiments\.git\s+branch main · commit 3f9c2a1b7e · uncommitted changes/);
      assert.equal(await fieldText(frame, 'Host name'), 'gpu-box-01');
      assert.equal(await fieldText(frame, 'Name'), RICH.name);
      assert.equal(await fieldText(frame, 'Python version'), '3.12.3');
      assert.equal(await fieldText(frame, 'Run path'), 'mnist/rich0001');
      assert.equal(await fieldText(frame, 'State'), 'finished');
      assert.equal(await fieldText(frame, 'System hardware'), 'AMD EPYC 7763 64-Core Processor (32 cores) · 128 GB RAM · 2 × NVIDIA A100-SXM4-40GB 40.0 GB');
      assert.equal(await fieldText(frame, 'SDK version'), '0.1.0');
      const start = new Date(FIXTURE_T0 * 1000);
      assert.match(await fieldText(frame, 'Start time'), new RegExp(`^${start.getFullYear()}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00$`));
      assert.deepEqual(await frame.locator('[data-field=tags] .tag > span').allInnerTexts(), ['baseline', 'cnn']);
      const config = Object.fromEntries(
        await frame.locator('[data-section=config] tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('.value-text')?.textContent ?? ''])),
      );
      assert.equal(config['optimizer/name'], 'adam');
      assert.equal(config['lr'], '0.001');
      assert.equal(config['batch_size'], '128');
      const summaryKeys = await frame.locator('[data-section=summary] th').allInnerTexts();
      assert.ok(summaryKeys.includes('best_val_acc') && summaryKeys.includes('train/loss'), summaryKeys.join(', '));
      assert.deepEqual(await frame.locator('[data-section=artifact-outputs] .artifact-name').allInnerTexts(), ['model:v0']);
      const title = await frame.locator('[data-field=command] .value-text').getAttribute('title');
      assert.equal(title, "python train.py --epochs 20 --run-name 'glowing sunset'");
      await vscode.screenshot(shot('overview'));
    });

    it('charts the system metrics, GPUs together', async () => {
      const vscode = session();
      await selectTab(frame, 'System');
      await drawnCharts(frame, 'system', 4);
      const sections = await frame.locator('#panel-system .section-name').allInnerTexts();
      assert.deepEqual(sections, ['CPU', 'Memory', 'Process', 'Disk', 'Network', 'GPU']);
      const titles = await frame.locator('#panel-system .chart-title').allInnerTexts();
      for (const t of ['CPU utilization (%)', 'System memory in use', 'Disk read', 'Network received', 'GPU utilization (%)', 'GPU power usage (W)']) {
        assert.ok(titles.includes(t), `no "${t}" chart; charts: ${titles.join(', ')}`);
      }
      await frame.locator('#panel-system').evaluate((e) => e.scrollIntoView());
      await vscode.screenshot(shot('system'));
    });

    it('shows the output with colours, stderr marked, and finds text in it', async () => {
      const vscode = session();
      await selectTab(frame, 'Logs');
      await frame.locator('.log-row .lt', { hasText: 'started' }).first().waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('#panel-logs .toolbar-status').innerText(), `${RICH_OUTPUT_LINES} lines`);
      const rendered = await frame.locator('.log-row:not([hidden])').count();
      assert.ok(rendered < 120, `only the lines in view are in the page (${rendered})`);
      await frame.locator('input[aria-label="Search output"]').fill('UserWarning');
      await frame.locator('.match-count', { hasText: 'matches' }).waitFor();
      assert.equal(await frame.locator('.match-count').innerText(), '1 of 8 matches');
      const current = frame.locator('.log-row.current-match');
      assert.ok((await current.getAttribute('class'))?.includes('stderr'), 'the UserWarning line is stderr');
      assert.equal(await current.locator('mark').innerText(), 'UserWarning');
      await frame.getByRole('button', { name: 'Next match (Enter)' }).click();
      await frame.locator('.match-count', { hasText: '2 of 8' }).waitFor();
      assert.match(await frame.locator('.log-row.current-match .lt').innerText(), /scheduler step 75/);
      await frame.locator('input[aria-label="Search output"]').fill('');
      await frame.locator('.log-row .lt', { hasText: 'epoch' }).first().scrollIntoViewIfNeeded();
      const green = await frame.locator('.log-row .lt span.ansi-fg-2').first().evaluate(textColor);
      assert.notEqual(green, await frame.locator('.log-row .lt').first().evaluate(textColor), 'ANSI green is coloured');
      await vscode.screenshot(shot('logs'));
    });

    it('lists the files with sizes and times', async () => {
      const vscode = session();
      await selectTab(frame, 'Files');
      const rows = frame.locator('table[aria-label="Saved files"] tbody tr');
      await rows.first().waitFor();
      // What the run saved, and only that, in the open list (issue 17, item 5).
      const paths = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path')));
      assert.deepEqual(paths, ['files/checkpoints/epoch-19.pt', 'files/config.yaml', 'files/requirements.txt']);
      assert.equal(await frame.locator('[data-path="files/checkpoints/epoch-19.pt"] td.num').innerText(), '19.5 KB');
      assert.match(await frame.locator('#panel-files .toolbar-status').innerText(), /^3 files saved · /);
      assert.match(await frame.getByRole('tab', { name: /^Files/ }).innerText(), /^Files\s*3$/, 'the tab counts the saved files');
      // Runlog's own record files: behind a closed "Run records" disclosure, listed when opened.
      const records = frame.locator('details.run-records');
      assert.equal(await records.evaluate((d) => (d as { open: boolean }).open), false);
      const recordRows = records.locator('tbody tr');
      assert.equal(await recordRows.first().isVisible(), false, 'the record files are hidden until the disclosure is opened');
      assert.match(await records.locator('summary').innerText(), /^Run records \(\d+ files · /);
      await vscode.screenshot(shot('files'));
      await records.locator('summary').click();
      await recordRows.first().waitFor();
      const recordPaths = await recordRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path')));
      assert.ok(recordPaths.includes('events.jsonl') && recordPaths.includes('output.jsonl'), `records: ${recordPaths.join(', ')}`);
      assert.ok(recordPaths.every((p) => !p?.startsWith('files/')), `a saved file among the records: ${recordPaths.join(', ')}`);
      await vscode.screenshot(shot('files-records'));
      await records.locator('summary').click();
    });

    it('lists input and output artifacts with versions, digests and sizes', async () => {
      const vscode = session();
      await selectTab(frame, 'Artifacts');
      await frame.locator('[data-artifact="model:v0"]').waitFor();
      assert.deepEqual(await frame.locator('[data-direction=output] .artifact-name').allInnerTexts(), ['model']);
      assert.deepEqual(await frame.locator('[data-direction=input] .artifact-name').allInnerTexts(), ['mnist-train']);
      assert.match(await frame.locator('[data-artifact="mnist-train:v3"] .digest-cell .mono').innerText(), /^[0-9a-f]{12}$/);
      assert.equal(await frame.locator('[data-artifact="model:v0"] td.num').innerText(), '6.84 KB');
      await vscode.screenshot(shot('artifacts'));
    });

    if (!dark) return;

    it('zooms a chart by dragging, asks the host for that range, resets on double-click', async () => {
      await selectTab(frame, 'Charts');
      const card = frame.locator('[data-metric="train/loss"]');
      const canvas = card.locator('canvas');
      await card.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      assert.ok(box);
      const page = session().page;
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await card.locator('.chart-note', { hasText: 'zoomed' }).waitFor();
      assert.equal(await card.locator('.reset-zoom').isVisible(), true);
      await session().screenshot(shot('charts-zoomed'));
      await canvas.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
      await card.locator('.reset-zoom').waitFor({ state: 'hidden' });
    });

    it('smooths with an EMA over the faint raw line, and switches to a log scale and a time axis', async () => {
      const vscode = session();
      await frame.locator('main.tab-panels').evaluate((e) => e.scrollTo(0, 0));
      await frame.locator('input[aria-label="Smoothing"]').first().fill('0.9');
      await frame.locator('.slider-value', { hasText: '0.90' }).first().waitFor();
      await frame.locator('input[aria-label="Log scale"]').first().check();
      await frame.locator('select[aria-label="X axis"]').first().selectOption('relative');
      await frame.locator('[data-metric="train/loss"]').scrollIntoViewIfNeeded();
      // The chart redraws after the controls change: wait for it to be painted, however slow.
      let painted = 0;
      await eventually('train/loss painted after smoothing', async () => (painted = await frame.locator('[data-metric="train/loss"] canvas').evaluate(paintedPixels)) > 500).catch(() => undefined);
      assert.ok(painted > 500, `train/loss is blank after smoothing (${painted} pixels)`);
      await vscode.screenshot(shot('charts-smoothed-log'));
      await selectTab(frame, 'System');
      assert.equal(await frame.locator('#panel-system .slider-value').innerText(), '0.90', 'the System tab shares the smoothing');
      await selectTab(frame, 'Charts');
      await frame.locator('input[aria-label="Smoothing"]').first().fill('0');
      await frame.locator('input[aria-label="Log scale"]').first().uncheck();
      await frame.locator('select[aria-label="X axis"]').first().selectOption('step');
    });

    it('edits notes and tags in place', async () => {
      await selectTab(frame, 'Overview');
      await frame.getByRole('button', { name: 'Edit description' }).click();
      await frame.locator('textarea.notes-editor').fill('Edited from the run page');
      await frame.getByRole('button', { name: 'Save' }).click();
      await frame.locator('.notes-text', { hasText: 'Edited from the run page' }).waitFor();
      await frame.getByRole('button', { name: 'Add a tag' }).click();
      await frame.locator('input.tag-input').fill('reviewed');
      await frame.locator('input.tag-input').press('Enter');
      await frame.locator('[data-field=tags] .tag', { hasText: 'reviewed' }).waitFor({ timeout: 60_000 });
      await frame.getByRole('button', { name: 'Remove tag cnn' }).click();
      await frame.locator('[data-field=tags] .tag', { hasText: 'cnn' }).waitFor({ state: 'detached', timeout: 60_000 });
      assert.deepEqual(await frame.locator('[data-field=tags] .tag > span').allInnerTexts(), ['baseline', 'reviewed']);
    });

    it('comes back on the same tab after a window reload', async () => {
      const vscode = session();
      await selectTab(frame, 'Logs');
      // Developer: Reload Window, as a person reloads: the workbench saves its state, then reloads.
      await vscode.page.waitForTimeout(500);
      await Promise.all([vscode.page.waitForEvent('load', { timeout: 180_000 }), vscode.runCommand('Developer: Reload Window')]);
      await vscode.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
      // After a reload the extension host starts again (slow on a loaded machine) before the page is restored.
      frame = await frameTitled(vscode, RICH.name, 180_000);
      await frame.locator('[role=tab][aria-selected=true]', { hasText: 'Logs' }).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('h1.run-name').innerText(), RICH.name);
      await frame.locator('.log-row .lt', { hasText: 'started' }).first().waitFor({ timeout: 60_000 });
    });

    it('shows markup in a run’s name, notes, tags, config, metrics, output and files as text, running nothing', async () => {
      const vscode = session();
      const xss = await openRun(vscode, XSS_TEXT);
      const f = xss.frame;
      assert.equal(await f.locator('h1.run-name').innerText(), XSS_TEXT);
      await drawnCharts(f, 'charts', 1);
      assert.equal(await f.locator('#panel-charts .chart-title').first().innerText(), `${XSS_TEXT}/loss`);
      await selectTab(f, 'Overview');
      assert.equal(await fieldText(f, 'Description'), `notes ${XSS_TEXT}`);
      assert.equal(await fieldText(f, 'Author'), XSS_TEXT);
      assert.deepEqual(await f.locator('[data-field=tags] .tag > span').allInnerTexts(), [XSS_TEXT, '<b>bold</b>']);
      assert.equal(await f.locator('[data-section=config] th').first().innerText(), XSS_TEXT);
      await selectTab(f, 'Logs');
      await f.locator('.log-row .lt', { hasText: 'printed' }).waitFor();
      assert.equal(await f.locator('.log-row .lt').first().innerText(), `printed ${XSS_TEXT}`);
      assert.equal(await f.locator('.log-row .lt').nth(1).innerText(), '<script>document.body.dataset.pwned=2</script>');
      await selectTab(f, 'Files');
      await f.locator('.files-table tbody tr').first().waitFor();
      assert.equal(await f.locator('img').count(), 0, 'no <img> element was created');
      const scripts = await f.locator('script').evaluateAll((list) => list.map((e) => e.outerHTML));
      assert.ok(scripts.every((html) => !html.includes('pwned')), `a script element holds the payload: ${scripts.join('\n')}`);
      assert.equal(await f.locator('body').getAttribute('data-pwned'), null, 'no handler ran');
      await vscode.screenshot('run-page-markup-dark');
      assert.deepEqual(vscode.pageErrors, []);
      assert.equal(XSS.project, 'mnist');
    });

    it('says clearly when its run is deleted while shown', async () => {
      const vscode = session();
      const f = await frameTitled(vscode, XSS_TEXT);
      rmSync(runDir(join(vscode.workspace, '.runlog'), XSS.project, XSS.id), { recursive: true, force: true });
      await f.locator('.deleted-banner').waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await f.locator('.deleted-banner').innerText(), /This run was deleted\./);
      assert.equal(await f.locator('.page-header .state-badge').innerText(), 'deleted');
      await vscode.page.locator('.tab', { hasText: '(deleted)' }).waitFor({ timeout: 60_000 });
      await vscode.screenshot('run-page-deleted-dark');
    });

    it('follows a live run: new points and output arrive without a reload, zoom kept', async () => {
      const vscode = session();
      const live = await openRun(vscode, LIVE.name);
      const f = live.frame;
      assert.match(await f.locator('.page-header .state-badge').innerText(), /running/);
      await drawnCharts(f, 'charts', 2);
      const card = f.locator('[data-metric="loss"]');
      const before = await card.locator('.chart-note').getAttribute('title');
      assert.equal(before, '20 points');
      // Zoom the accuracy chart; it must stay zoomed while points arrive.
      const acc = f.locator('[data-metric="acc"] canvas');
      await acc.scrollIntoViewIfNeeded();
      const box = await acc.boundingBox();
      assert.ok(box);
      await vscode.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await vscode.page.mouse.down();
      await vscode.page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 4 });
      await vscode.page.mouse.up();
      await f.locator('[data-metric="acc"] .chart-note', { hasText: 'zoomed' }).waitFor();
      for (let i = 0; i < 5; i++) {
        appendLive(join(vscode.workspace, '.runlog'), 20 + i * 20, 20);
        await vscode.page.waitForTimeout(400);
      }
      await f.locator('[data-metric="loss"] .chart-note[title="120 points"]').waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await f.locator('[data-metric="acc"] .chart-note').innerText(), 'zoomed');
      assert.match(await f.locator('.run-meta').innerText(), /step 119/);
      await selectTab(f, 'Logs');
      await f.locator('.log-row .lt', { hasText: 'live step 119' }).waitFor({ timeout: 60_000 });
      assert.equal(await f.locator('#panel-logs .toolbar-status').innerText(), '101 lines');
      await vscode.screenshot('run-page-live-dark');
    });

    it('charts a run as its W&B define_metric records say: no chart for a hidden key, val/acc against epoch', async () => {
      // docs.wandb.ai/guides/track/log/customize-logging-axes: step_metric is the x axis of the keys
      // it defines; hidden keeps a key out of the charts. The run hides epoch and debug/noise.
      const vscode = session();
      const { frame: page } = await openRun(vscode, DEFINED.name);
      const titles = page.locator('#panel-charts .chart-title');
      await titles.first().waitFor({ timeout: 60_000 });
      assert.deepEqual(await titles.allInnerTexts(), ['train/loss', 'val/acc']);
      // The tab counts the charts it shows, not the hidden keys.
      assert.match(await page.locator('[role=tab]', { hasText: /^Charts/ }).innerText(), /^Charts\s+2$/);
      assert.equal(await page.locator('#panel-charts [data-metric="debug/noise"], #panel-charts [data-metric="epoch"]').count(), 0);
      // Charts are drawn as they come into view: bring val/acc's in, as a person scrolls to it.
      const acc = page.locator('[data-metric="val/acc"]');
      await acc.scrollIntoViewIfNeeded();
      // A step-metric chart draws once its x values (epoch's) have arrived too.
      await acc.locator('canvas[data-drawn="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await acc.getAttribute('data-x-axis'), 'epoch');
      assert.equal(await acc.locator('.chart-x-title').innerText(), 'epoch');
      assert.ok(await acc.locator('.chart-x-title').isVisible(), 'the x axis of val/acc is named under it');
      const loss = page.locator('[data-metric="train/loss"]');
      await loss.scrollIntoViewIfNeeded();
      await loss.locator('canvas[data-drawn="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await loss.getAttribute('data-x-axis'), 'step');
      assert.equal(await loss.locator('.chart-x-title').isVisible(), false, 'a chart on the Step axis has no x title');
      await eventually('val/acc painted', async () => (await acc.locator('canvas').evaluate(paintedPixels)) > 100);
      await vscode.screenshot(shot('define-metric'));
      assert.deepEqual(vscode.pageErrors, []);
    });
  });
}
