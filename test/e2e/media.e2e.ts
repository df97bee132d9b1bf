// The run page's Media tab as a person uses it, in a real VS Code, on a run the SDK wrote:
// images with a step slider and a lightbox, a sortable filterable table with image cells, a
// histogram over steps, plots; markup in captions, cells and column names shows as text; a
// deleted image file says so. Screenshots of each view in a dark and a light theme.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { MEDIA_RUN, MEDIA_XSS, writeMediaRun } from '../fixtures/mediaRun';
import { paintedPixels, type Theme } from './harness';
import { openRun, SETTINGS, useSession } from './runPageHelpers';

let deletedImage = '';

function prepare(workspace: string): void {
  const dir = writeMediaRun(join(workspace, '.runlog'));
  // The "digits" image of step 3, deleted after the run logged it.
  const rec = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"key":"digits"')).map((l) => JSON.parse(l) as { step: number; path: string }).find((r) => r.step === 3)!;
  deletedImage = rec.path;
  rmSync(join(dir, rec.path));
}

async function setSlider(frame: FrameLocator, card: string, value: number): Promise<void> {
  await frame.locator(`.image-card[data-key="${card}"] .step-slider`).fill(String(value));
}

for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
  const dark = theme.includes('Dark');
  const shot = (name: string) => `media-${name}-${dark ? 'dark' : 'light'}`;

  describe(`Media tab (end to end, ${dark ? 'dark' : 'light'} theme)`, function () {
    this.timeout(180_000);
    const session = useSession({ name: shot('session'), theme, prepareWorkspace: prepare, settings: SETTINGS, viewport: { width: 1440, height: 900 } });
    let frame: FrameLocator;
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await session().screenshot(`failed-${shot(this.currentTest.title.slice(0, 40))}`).catch(() => undefined);
    });

    it('shows each image key at its latest step, captions as text, and earlier steps from the slider', async () => {
      const vscode = session();
      ({ frame } = await openRun(vscode, MEDIA_RUN.name));
      await frame.getByRole('tab', { name: /^Media/ }).click();
      const samples = frame.locator('.image-card[data-key="samples"]');
      await samples.locator('img').first().waitFor({ timeout: 60_000 });
      assert.equal(await samples.locator('.step-label').innerText(), 'step 4 (latest)');
      assert.deepEqual(await samples.locator('figcaption').allInnerTexts(), [`sample A at 4 ${MEDIA_XSS}`, 'sample B at 4']);
      assert.deepEqual(await frame.locator('.image-card .media-card-title').allInnerTexts(), ['detections', 'digits', 'samples']);
      await vscode.screenshot(shot('images'));
      await setSlider(frame, 'samples', 1);
      assert.equal(await samples.locator('.step-label').innerText(), 'step 1');
      assert.deepEqual(await samples.locator('figcaption').allInnerTexts(), [`sample A at 1 ${MEDIA_XSS}`, 'sample B at 1']);
      // The image whose file was deleted says so, naming it; the other steps still show.
      await setSlider(frame, 'digits', 3);
      assert.equal(await frame.locator('.image-card[data-key="digits"] .media-missing').innerText(), `file missing: ${deletedImage}`);
      await setSlider(frame, 'digits', 2);
      await frame.locator('.image-card[data-key="digits"] img').waitFor();
    });

    it('enlarges an image on click and closes with Escape', async () => {
      const vscode = session();
      await frame.locator('.image-card[data-key="samples"] img').first().click();
      const box = frame.locator('.lightbox');
      await box.waitFor();
      assert.equal(await box.locator('.lightbox-caption').innerText(), `sample A at 1 ${MEDIA_XSS}`);
      await vscode.screenshot(shot('lightbox'));
      await frame.locator('.lightbox').press('Escape');
      await box.waitFor({ state: 'detached' });
    });

    it('draws boxes and masks over an image, each class shown or hidden from the legend', async () => {
      const vscode = session();
      const card = frame.locator('.image-card[data-key="detections"]');
      await card.scrollIntoViewIfNeeded();
      const mask = card.locator('canvas.overlay-mask[data-layer="segmentation"]');
      await mask.and(frame.locator('[data-classes="0,1,2"]')).waitFor({ timeout: 30_000 });
      assert.equal(await card.locator('.overlay-box').count(), 3);
      assert.deepEqual(await card.locator('.overlay-box[data-layer="predictions"] .overlay-box-label').allInnerTexts(), ['cat 0.91', MEDIA_XSS]);
      // The pixel-domain box (middle 48,24, 20x16 on a 64x48 image) sits where its pixels are.
      const [img, px] = [(await card.locator('.media-frame img').boundingBox())!, (await card.locator('.overlay-box[data-class="1"]').boundingBox())!];
      assert.ok(Math.abs(px.x - (img.x + (38 / 64) * img.width)) < 2 && Math.abs(px.width - (20 / 64) * img.width) < 2, `pixel box at ${JSON.stringify(px)} on image ${JSON.stringify(img)}`);
      const legend = card.locator('.overlay-legend');
      assert.deepEqual(await legend.locator('.overlay-layer-name').allInnerTexts(), ['boxes ground_truth', 'boxes predictions', 'mask segmentation']);
      assert.deepEqual(await legend.locator('.overlay-layer[data-kind="mask"] .overlay-class').allInnerTexts(), ['background', 'road', 'sky']);
      assert.deepEqual(await legend.locator('.overlay-layer[data-layer="predictions"] .overlay-class').allInnerTexts(), ['cat', MEDIA_XSS]);
      const alphaAt = (x: number, y: number) => mask.evaluate((c, [px, py]) => (c as unknown as { getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }).getContext('2d').getImageData(px!, py!, 1, 1).data[3] ?? 0, [x, y]);
      assert.ok((await alphaAt(5, 40)) > 0, 'the road is not painted');
      await vscode.screenshot(shot('boxes-masks'));
      // Hide the predicted cats and the road: only those go; a step change keeps them hidden.
      await legend.locator('.overlay-layer[data-layer="predictions"] input[data-class="0"]').uncheck();
      await legend.locator('.overlay-layer[data-kind="mask"] input[data-class="1"]').uncheck();
      assert.equal(await card.locator('.overlay-box[data-layer="predictions"][data-class="0"]').isVisible(), false);
      assert.equal(await card.locator('.overlay-box[data-layer="ground_truth"][data-class="0"]').isVisible(), true);
      assert.equal(await alphaAt(5, 40), 0);
      assert.ok((await alphaAt(5, 2)) > 0, 'the sky was hidden with the road');
      await setSlider(frame, 'detections', 0);
      assert.equal(await card.locator('.step-label').innerText(), 'step 0');
      await mask.and(frame.locator('[data-classes="0,1,2"]')).waitFor();
      assert.equal(await card.locator('.overlay-box[data-layer="predictions"][data-class="0"]').isVisible(), false);
      assert.equal(await legend.locator('.overlay-layer[data-layer="predictions"] input[data-class="0"]').isChecked(), false);
      assert.equal(await alphaAt(5, 40), 0);
      await vscode.screenshot(shot('boxes-masks-hidden'));
    });

    it('pages a 300-row table with image cells, sorts by a column and filters rows', async () => {
      const vscode = session();
      const card = frame.locator('.table-card[data-key="predictions"]');
      await card.scrollIntoViewIfNeeded();
      await card.locator('.media-table-row .cell-image').first().waitFor({ timeout: 30_000 });
      assert.deepEqual(await card.locator('.media-th').allInnerTexts(), ['id', 'thumb', MEDIA_XSS, 'score']);
      assert.equal(await card.locator('.table-status').innerText(), '300 of 300 rows');
      assert.equal(await card.locator('.media-table-row[data-index="1"] .media-cell').nth(2).innerText(), MEDIA_XSS);
      await vscode.screenshot(shot('table'));
      await card.locator('.media-th', { hasText: 'score' }).click();
      await card.locator('.media-th', { hasText: 'score' }).click();
      await card.locator('.media-th[aria-sort="descending"]').waitFor();
      // The sorted page arrives after the header changes: wait for the highest score on top.
      const top = card.locator('.media-table-row[data-index="0"] .media-cell').nth(3);
      await top.filter({ hasText: /^0\.9999$/ }).waitFor({ timeout: 30_000 }).catch(() => undefined);
      assert.equal(await top.innerText(), '0.9999');
      await card.locator('.table-filter').fill('row 29');
      await card.locator('.table-status', { hasText: '11 of 300 rows' }).waitFor();
      // The filtered rows are on screen, inside the table's box (not scrolled out of it).
      const first = card.locator('.media-table-row[data-index="0"] .media-cell', { hasText: /^row 29\d?$/ });
      await first.waitFor();
      const [cell, table] = [(await first.boundingBox())!, (await card.locator('.media-table-scroll').boundingBox())!];
      assert.ok(cell.x >= table.x && cell.x + cell.width <= table.x + table.width + 1, `row cell at x=${cell.x} outside the table (x=${table.x}, width ${table.width})`);
      await vscode.screenshot(shot('table-filtered'));
    });

    it('draws the histogram over steps and the plots from their tables', async () => {
      const vscode = session();
      const hist = frame.locator('.histogram-card[data-key="weights"] canvas');
      await hist.scrollIntoViewIfNeeded();
      assert.ok((await hist.evaluate(paintedPixels)) > 2000, 'the histogram is blank');
      const box = (await hist.boundingBox())!;
      await hist.hover({ position: { x: box.width / 2, y: box.height - 70 } });
      assert.match(await frame.locator('.histogram-card[data-key="weights"] .histogram-hover').innerText(), /^step \d+ · 2,000 values/);
      await vscode.screenshot(shot('histogram'));
      const curve = frame.locator('.plot-card[data-key="curve"] canvas');
      await curve.scrollIntoViewIfNeeded();
      await frame.locator('.plot-card[data-key="roc"] canvas').waitFor();
      assert.ok((await curve.evaluate(paintedPixels)) > 500, 'the line plot is blank');
      const grid = frame.locator('.plot-card[data-key="cm"] .confusion-grid');
      assert.deepEqual(await grid.locator('tr').first().locator('th').allInnerTexts(), ['', 'cat', 'dog', MEDIA_XSS]);
      await frame.locator('.media-section-plots').scrollIntoViewIfNeeded();
      await vscode.screenshot(shot('plots'));
    });

    it('never turns markup from the run into elements', async () => {
      const vscode = session();
      assert.equal(await frame.locator('.media-view script').count(), 0);
      assert.equal(await frame.locator('.media-view img[src="x"]').count(), 0);
      assert.equal(await frame.locator('body').evaluate(() => (globalThis as unknown as { pwned?: number }).pwned ?? 0), 0);
      assert.deepEqual(vscode.pageErrors, []);
    });
  });
}
