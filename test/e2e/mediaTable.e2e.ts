// A 100,000-row table logged through the SDK, in the run page's Media tab of a real VS Code: its
// first rows show, scrolling (the wheel, then the scrollbar to the end) fills the rows in view
// with the rows at those positions, and a sort and a filter run over all 100,000 rows.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { BIG_TABLE_RUN, writeBigTableRun } from '../fixtures/mediaRun';
import { openRun, SETTINGS, useSession } from './runPageHelpers';

const ROWS = 100_000;

/** [index, first cell, second cell] of each row drawn inside the table's visible box. */
async function rowsInView(card: Locator): Promise<[number, string, string][]> {
  return card.locator('.media-table-scroll').evaluate((scroller) => {
    type Box = { top: number; bottom: number };
    type Row = { hidden: boolean; dataset: { index?: string }; getBoundingClientRect(): Box; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
    const s = scroller as unknown as { getBoundingClientRect(): Box; querySelectorAll(s: string): ArrayLike<Row> };
    const box = s.getBoundingClientRect();
    const out: [number, string, string][] = [];
    for (const row of Array.from(s.querySelectorAll('.media-table-row'))) {
      const r = row.getBoundingClientRect();
      if (row.hidden || r.bottom <= box.top + 30 || r.top >= box.bottom) continue;
      const cells = row.querySelectorAll('.media-cell');
      out.push([Number(row.dataset.index), cells[0]?.textContent ?? '', cells[1]?.textContent ?? '']);
    }
    return out.sort((a, b) => a[0] - b[0]);
  });
}

async function nextFrame(frame: FrameLocator): Promise<void> {
  await frame.locator('body').evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(undefined))));
}

/** Waits until every row in view is filled (no "…" placeholder) and returns them. */
async function filledRowsInView(frame: FrameLocator, card: Locator): Promise<[number, string, string][]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await rowsInView(card);
    if (rows.length > 0 && rows.every(([, first]) => first !== '…')) return rows;
    if (Date.now() > deadline) throw new Error(`the rows in view never filled: ${JSON.stringify(rows.slice(0, 5))}`);
    await nextFrame(frame);
  }
}

function assertRowsAreTheirIndexes(rows: readonly [number, string, string][], where: string): void {
  for (const [index, id, label] of rows) {
    assert.equal(id, String(index), `${where}: row ${index} shows id ${id}`);
    assert.equal(label, `row ${index}`, `${where}: row ${index} shows label ${label}`);
  }
}

describe('Media tab, a 100,000-row table (end to end, dark theme)', function () {
  this.timeout(300_000);
  const session = useSession({
    name: 'media-table-100k',
    theme: 'Default Dark Modern',
    prepareWorkspace: (ws) => void writeBigTableRun(join(ws, '.runlog'), ROWS),
    settings: SETTINGS,
    viewport: { width: 1440, height: 900 },
  });
  let frame: FrameLocator;
  let card: Locator;
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session().screenshot(`failed-media-table-100k-${this.currentTest.title.slice(0, 30)}`).catch(() => undefined);
  });

  it('shows the first rows and the row count', async () => {
    const vscode = session();
    ({ frame } = await openRun(vscode, BIG_TABLE_RUN.name));
    await frame.getByRole('tab', { name: /^Media/ }).click();
    card = frame.locator('.table-card[data-key="eval"]');
    await card.locator('.table-status', { hasText: `${ROWS.toLocaleString('en')} of ${ROWS.toLocaleString('en')} rows` }).waitFor({ timeout: 90_000 });
    assert.deepEqual(await card.locator('.media-th').allInnerTexts(), ['id', 'label', 'score', 'correct']);
    const rows = await filledRowsInView(frame, card);
    assert.equal(rows[0]![0], 0);
    assert.ok(rows.length >= 10, `only ${rows.length} rows in view`);
    assertRowsAreTheirIndexes(rows, 'first rows');
    assert.deepEqual(await card.locator('.media-table-row[data-index="3"] .media-cell').allInnerTexts(), ['3', 'row 3', '0.757', 'true']);
    await vscode.screenshot('media-table-100k-first-dark');
  });

  it('fills the rows scrolled to with the wheel and with the scrollbar, to the last row', async () => {
    const vscode = session();
    const scroller = card.locator('.media-table-scroll');
    // The wheel, past the first page of 200 rows the page had.
    await scroller.hover();
    for (let i = 0; i < 3; i++) await vscode.page.mouse.wheel(0, 3000);
    await nextFrame(frame);
    const wheeled = await filledRowsInView(frame, card);
    assert.ok(wheeled[0]![0] > 200, `the wheel left the view at row ${wheeled[0]![0]}`);
    assertRowsAreTheirIndexes(wheeled, 'after the wheel');
    // The scrollbar dragged to the middle, then to the end.
    await scroller.evaluate((s) => (s.scrollTop = s.scrollHeight / 2));
    const middle = await filledRowsInView(frame, card);
    assert.ok(middle[0]![0] > 45_000 && middle[0]![0] < 55_000, `the middle of the table is at row ${middle[0]![0]}`);
    assertRowsAreTheirIndexes(middle, 'in the middle');
    await scroller.evaluate((s) => (s.scrollTop = s.scrollHeight));
    const end = await filledRowsInView(frame, card);
    assert.equal(end[end.length - 1]![0], ROWS - 1);
    assertRowsAreTheirIndexes(end, 'at the end');
    await vscode.screenshot('media-table-100k-end-dark');
  });

  it('sorts and filters all 100,000 rows', async () => {
    const vscode = session();
    const scroller = card.locator('.media-table-scroll');
    await scroller.evaluate((s) => (s.scrollTop = 0));
    const id = card.locator('.media-th', { hasText: 'id' });
    await id.click();
    await id.click();
    await card.locator('.media-th[aria-sort="descending"]').waitFor();
    await card.locator('.media-table-row[data-index="0"] .media-cell').first().filter({ hasText: /^99999$/ }).waitFor({ timeout: 90_000 });
    assert.deepEqual(await card.locator('.media-table-row[data-index="1"] .media-cell').allInnerTexts(), ['99998', 'row 99998', '0.162', 'false']);
    await card.locator('.table-filter').fill('row 4242');
    await card.locator('.table-status', { hasText: `11 of ${ROWS.toLocaleString('en')} rows` }).waitFor({ timeout: 90_000 });
    await card.locator('.media-table-row[data-index="0"] .media-cell').first().filter({ hasText: /^42429$/ }).waitFor({ timeout: 60_000 });
    const ids = await card.locator('.media-table-row:not([hidden]) .media-cell:first-child').allInnerTexts();
    assert.deepEqual(ids, ['42429', '42428', '42427', '42426', '42425', '42424', '42423', '42422', '42421', '42420', '4242']);
    await vscode.screenshot('media-table-100k-sorted-filtered-dark');
    assert.deepEqual(vscode.pageErrors, []);
  });
});
