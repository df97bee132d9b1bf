// The compare page in a real VS Code, with a project of 50 runs: the runs table (virtualized,
// sortable, filtered with the core's filter language, multi-select), overlaid charts with one
// colour per run and a legend that highlights, grouping with mean and min–max bands, and the
// Tag and Delete actions; a project of 450 runs whose table pages its rows in as it is scrolled,
// and sorts every run by a column, not only those held.
// Screenshots in a dark and a light theme.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FIXTURE_T0, RunBuilder } from '../fixtures/runBuilder';
import { SWEEP, writeRichRun, writeSweep } from '../fixtures/webviewRuns';
import { eventually, paintedPixels, type Theme } from './harness';
import { findCompareFrame, openCompare, SETTINGS, useSession } from './runPageHelpers';

async function columnTexts(frame: FrameLocator, columnClass: string): Promise<string[]> {
  return frame.locator(`.run-row:not([hidden]) .${columnClass}`).allInnerTexts();
}

/** A project of more runs than the compare page's first page (200): `bulk-0` (oldest) … `bulk-449`. */
const BULK = { project: 'bulk', runs: 450 } as const;

function prepare(workspace: string): void {
  const store = join(workspace, '.runlog');
  writeSweep(store);
  writeRichRun(store);
  for (let i = 0; i < BULK.runs; i++) {
    new RunBuilder(store, BULK.project, `bk${String(i).padStart(6, '0')}`).at(FIXTURE_T0 + i * 60).init({ name: `bulk-${i}` }).config({ seed: i }).history(0, { loss: 1 / (i + 1) }).exit(0).write();
  }
}

for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
  const dark = theme.includes('Dark');
  const shot = (name: string) => `compare-page-${name}-${dark ? 'dark' : 'light'}`;

  describe(`Compare page (end to end, ${dark ? 'dark' : 'light'} theme)`, function () {
    this.timeout(600_000);
    const session = useSession({ name: shot('session'), theme, prepareWorkspace: prepare, settings: SETTINGS, viewport: { width: 1440, height: 900 } });
    let frame: FrameLocator;
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await session().screenshot(`failed-${shot(this.currentTest.title.slice(0, 40))}`).catch(() => undefined);
    });

    it('lists the 50 runs of a project in a virtualized table and charts the first ten', async () => {
      const vscode = session();
      frame = await openCompare(vscode, SWEEP.project);
      await frame.locator('.run-row').first().waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('.run-meta').innerText(), '50 runs');
      const headers = await frame.locator('.runs-header .col-label').allInnerTexts();
      assert.deepEqual(headers.slice(0, 6), ['Name', 'State', 'Start', 'Duration', 'Tags', 'Group']);
      for (const key of ['lr', 'optimizer', 'batch_size', 'best_acc']) assert.ok(headers.includes(key), `no ${key} column: ${headers.join(', ')}`);
      const rendered = await frame.locator('.run-row:not([hidden])').count();
      assert.ok(rendered < 50, `only the rows in view are rendered (${rendered})`);
      const names = await columnTexts(frame, 'col-name');
      assert.equal(names[0], 'lucky-moon-50', 'newest first');
      await frame.locator('.legend-item').nth(9).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('.legend-item').count(), 10);
      await frame.locator('.chart-card[data-metric="train/loss"] canvas[data-drawn="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      assert.deepEqual(await frame.locator('.chart-section .section-name').allInnerTexts(), ['train', 'val']);
      const painted = await frame.locator('.chart-card[data-metric="train/loss"] canvas').evaluate(paintedPixels);
      assert.ok(painted > 2000, `the overlaid chart is blank (${painted})`);
      const swatches = await frame.locator('.legend-item .swatch').evaluateAll((items) => items.map((s) => (s as unknown as { style: { backgroundColor: string } }).style.backgroundColor));
      assert.equal(new Set(swatches).size, 10, 'ten runs, ten colours');
      await vscode.screenshot(shot('50-runs'));
    });

    it('sorts by a summary column', async () => {
      await frame.locator('.runs-header .sort-button', { hasText: 'best_acc' }).click();
      await frame.locator('.runs-header [aria-sort=descending]', { hasText: 'best_acc' }).waitFor();
      const values = (await columnTexts(frame, 'col-summary-best-acc')).map(Number);
      assert.ok(values.length > 5);
      for (let i = 1; i < values.length; i++) assert.ok(values[i - 1]! >= values[i]!, `not descending: ${values.join(', ')}`);
      await frame.locator('.runs-header .sort-button', { hasText: 'best_acc' }).click();
      await frame.locator('.runs-header [aria-sort=ascending]', { hasText: 'best_acc' }).waitFor();
    });

    it('filters with the core’s filter language and says when a filter does not parse', async () => {
      const filter = frame.locator('input[aria-label="Filter runs"]');
      // Scrolled down the list, the header stays at the table's top (issue 17, item 10)…
      const table = frame.locator('.runs-table');
      await table.evaluate((e) => e.scrollTo(0, e.scrollHeight));
      await eventually('the runs table scrolled down', async () => (await table.evaluate((e) => e.scrollTop)) > 200);
      const headerOffset = async (): Promise<number> => (await frame.locator('.runs-header').boundingBox())!.y - (await table.boundingBox())!.y;
      assert.ok(Math.abs(await headerOffset()) <= 1, `the header scrolled away (${await headerOffset()} px)`);
      await session().screenshot(shot('scrolled-header'));
      await filter.fill('config.lr>0.01');
      await filter.press('Enter');
      await frame.locator('.run-meta', { hasText: '20 runs match the filter' }).waitFor({ timeout: 60_000 });
      // …and a new filter shows its list from the first row.
      assert.equal(await table.evaluate((e) => e.scrollTop), 0, 'the filtered list kept the old scroll offset');
      assert.ok(Math.abs(await headerOffset()) <= 1);
      const lrs = (await columnTexts(frame, 'col-config-lr')).map(Number);
      assert.ok(lrs.every((lr) => lr > 0.01), lrs.join(', '));
      await filter.fill('state:sleeping');
      await filter.press('Enter');
      await frame.locator('.filter-error').waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await frame.locator('.filter-error').innerText(), /^Filter not applied: .*unknown state "sleeping"/);
      await filter.fill('');
      await filter.press('Enter');
      await frame.locator('.run-meta', { hasText: /^50 runs$/ }).waitFor({ timeout: 60_000 });
    });

    it('charts the selected runs and highlights a run from the legend', async () => {
      const rows = frame.locator('.run-row:not([hidden])');
      for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type=checkbox]').check();
      await frame.locator('.selection-count', { hasText: '3 runs selected' }).waitFor();
      await frame.locator('.legend-item').nth(2).waitFor();
      assert.equal(await frame.locator('.legend-item').count(), 3);
      await frame.locator('.compare-charts[data-pending="0"]').waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await frame.getByRole('button', { name: 'Delete', exact: true }).isEnabled(), true);
      await frame.locator('.legend-item').first().hover();
      assert.equal(await frame.locator('.legend-item.dim').count(), 2);
      await session().screenshot(shot('selected'));
      await frame.locator('h1.run-name').hover();
    });

    it('groups runs by a config key: a mean line and a min–max band per group', async () => {
      await frame.locator('input[aria-label="Select all runs shown"]').check();
      await frame.locator('.selection-count', { hasText: '50 runs selected' }).waitFor();
      await frame.locator('select[aria-label="Group by"]').selectOption('config.optimizer');
      await frame.locator('.legend-item[data-id="group:adam"]').waitFor({ timeout: 60_000 });
      assert.deepEqual(await frame.locator('.legend-item').allInnerTexts(), ['optimizer: adam', 'optimizer: adamw', 'optimizer: sgd']);
      const card = frame.locator('.chart-card[data-metric="train/loss"]');
      await frame.locator('.chart-card[data-metric="train/loss"][data-lines="3"]').waitFor({ state: 'attached', timeout: 60_000 });
      const linePoints = ((await card.getAttribute('data-line-points')) ?? '').split(',').map(Number);
      assert.equal(linePoints.length, 3);
      assert.ok(linePoints.every((n) => n >= 100), `every group has a mean line: ${linePoints.join(', ')} points`);
      assert.equal(await card.getAttribute('data-runs'), '50');
      await frame.locator('.compare-charts[data-pending="0"]').waitFor({ state: 'attached', timeout: 60_000 });
      await frame.locator('.chart-card[data-metric="train/loss"]').scrollIntoViewIfNeeded();
      await session().screenshot(shot('grouped'));
      await frame.locator('select[aria-label="Group by"]').selectOption('');
      await frame.locator('input[aria-label="Select all runs shown"]').uncheck();
      await frame.locator('.selection-count', { hasText: /^$/ }).waitFor({ state: 'attached' });
    });

    if (!dark) return;

    it('comes back after a window reload with its sort and columns', async () => {
      const vscode = session();
      await vscode.page.waitForTimeout(500);
      await Promise.all([vscode.page.waitForEvent('load', { timeout: 180_000 }), vscode.runCommand('Developer: Reload Window')]);
      await vscode.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
      // After a reload the extension host starts again and restores the panel: the harness's
      // reload ceiling (180 s), as a loaded machine needs.
      frame = await findCompareFrame(vscode, 180_000);
      await frame.locator('.run-row').first().waitFor({ timeout: 180_000 });
      await frame.locator('.runs-header [aria-sort=ascending]', { hasText: 'best_acc' }).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('.run-meta').innerText(), '50 runs');
    });

    it('tags and deletes the selected runs', async () => {
      const vscode = session();
      await frame.locator('.runs-table').evaluate((e) => e.scrollTo(0, 0));
      const rows = frame.locator('.run-row:not([hidden])');
      const first = await rows.nth(0).locator('.col-name').innerText();
      const second = await rows.nth(1).locator('.col-name').innerText();
      await rows.nth(0).locator('input[type=checkbox]').check();
      await rows.nth(1).locator('input[type=checkbox]').check();
      // The tag prompt closes when it loses the focus (a live webview can take it): askAndAnswer asks again.
      await vscode.askAndAnswer(() => frame.getByRole('button', { name: 'Tag', exact: true }).click(), 'picked', 'the tag prompt');
      await frame.locator('.run-row', { hasText: first }).locator('.tag', { hasText: 'picked' }).waitFor({ timeout: 60_000 });
      await frame.locator('.run-row', { hasText: second }).locator('.tag', { hasText: 'picked' }).waitFor({ timeout: 60_000 });

      await frame.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = vscode.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await dialog.innerText(), /Delete 2 runs\?/);
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await frame.locator('.run-meta', { hasText: '48 runs' }).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('.run-row', { hasText: first }).count(), 0);
    });

    it('pages the rows of a project of 450 runs in as its table is scrolled, and keeps a checked row checked', async () => {
      const vscode = session();
      const bulk = await openCompare(vscode, BULK.project);
      const meta = bulk.locator('.run-meta');
      await meta.filter({ hasText: /^200 of 450 runs$/ }).waitFor({ timeout: 60_000 });
      const rows = bulk.locator('.run-row:not([hidden])');
      assert.equal(await rows.first().locator('.col-name').innerText(), 'bulk-449', 'newest first');
      // Sorted by a column, the table shows the first of every run in that order, not of those held:
      // the oldest run (seed 0) is not among the 200 newest.
      const seed = bulk.locator('.runs-header .sort-button', { hasText: /^seed/ });
      await seed.click();
      await bulk.locator('.runs-header [aria-sort=descending]', { hasText: 'seed' }).waitFor();
      await seed.click();
      await bulk.locator('.runs-header [aria-sort=ascending]', { hasText: 'seed' }).waitFor();
      await rows.first().locator('.col-name', { hasText: /^bulk-0$/ }).waitFor({ timeout: 60_000 });
      assert.deepEqual((await columnTexts(bulk, 'col-name')).slice(0, 3), ['bulk-0', 'bulk-1', 'bulk-2']);
      await meta.filter({ hasText: /^200 of 450 runs$/ }).waitFor();
      await vscode.screenshot(shot('paged-sorted'));
      await bulk.locator('.runs-header .sort-button', { hasText: /^Start/ }).click();
      await bulk.locator('.runs-header [aria-sort=descending]', { hasText: 'Start' }).waitFor();
      await rows.first().locator('.col-name', { hasText: /^bulk-449$/ }).waitFor({ timeout: 60_000 });
      await rows.first().locator('input[type=checkbox]').check();
      await bulk.locator('.selection-count', { hasText: '1 run selected' }).waitFor();
      await vscode.screenshot(shot('paged-first'));
      // Scrolled to its end, the table asks for the next page, and again, until every run is in.
      const table = bulk.locator('.runs-table');
      await eventually('every run of the project listed, the table scrolled to its end', async () => {
        await table.evaluate((e) => e.scrollTo(0, e.scrollHeight));
        return (await meta.innerText()) === '450 runs';
      }, 180_000, 250);
      await eventually('the oldest run shown last', async () => {
        await table.evaluate((e) => e.scrollTo(0, e.scrollHeight));
        return (await columnTexts(bulk, 'col-name')).at(-1) === 'bulk-0';
      });
      await vscode.screenshot(shot('paged-all'));
      await table.evaluate((e) => e.scrollTo(0, 0));
      await rows.first().locator('.col-name', { hasText: /^bulk-449$/ }).waitFor();
      assert.equal(await rows.first().locator('input[type=checkbox]').isChecked(), true, 'the checked row was unchecked by paging');
      assert.equal(await bulk.locator('.selection-count').innerText(), '1 run selected');
    });
  });
}
