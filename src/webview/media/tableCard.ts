// A logged table: rows come from the host a page at a time (sorted and filtered there), drawn
// by VirtualRows as a CSS grid. Headers sort (click again to reverse), the box filters rows
// that contain its text; image cells show thumbnails that enlarge on click. Every cell is text.
import type { MediaCell, MediaItemView, RequestTableRowsMessage, TableRowsMessage, TableSort } from '../../common/mediaProtocol';
import { debounce, el } from '../shared/dom';
import { markOnce } from '../shared/marks';
import { VirtualRows } from '../shared/virtualRows';
import { openLightbox, StepSlider, stepsOf } from './imageCard';

/** Rows per request. */
export const TABLE_PAGE_ROWS = 200;
const PAGE = TABLE_PAGE_ROWS;
const ROW = 28;
const IMAGE_ROW = 72;

/** A table page request as a card makes it; the media view adds the type and its request id. */
export type TableRequest = Omit<RequestTableRowsMessage, 'type' | 'requestId'>;

export type RequestRows = (request: TableRequest) => Promise<TableRowsMessage>;

function cellNode(value: MediaCell, title: string): HTMLElement {
  const td = el('div', 'media-cell');
  if (value !== null && typeof value === 'object') {
    if (value.image) {
      const img = el('img', { className: 'cell-image', attrs: { src: value.image, alt: value.caption ?? title, loading: 'lazy' } });
      img.addEventListener('click', () => openLightbox(value.image, value.caption, title));
      img.addEventListener('error', () => img.replaceWith(el('span', { className: 'media-missing', text: 'file missing' })));
      td.append(img);
    } else {
      td.append(el('span', { className: 'media-missing', text: value.problem ?? 'no image' }));
    }
    if (value.caption !== undefined) td.append(el('span', { className: 'cell-caption', text: value.caption }));
    return td;
  }
  td.textContent = value === null ? '' : String(value);
  if (typeof value === 'number') td.classList.add('num');
  td.title = td.textContent;
  return td;
}

export class TableCard {
  readonly element: HTMLElement;
  private readonly _slider: StepSlider;
  private readonly _filter = el('input', { className: 'table-filter', attrs: { type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' } });
  private readonly _status = el('span', 'table-status');
  private readonly _head = el('div', { className: 'media-table-head', attrs: { role: 'row' } });
  private readonly _body = el('div', 'media-table-body');
  private readonly _scroller = el('div', { className: 'media-table-scroll', attrs: { role: 'table' } }, this._head, this._body);
  private _rows: VirtualRows | undefined;
  private _items: readonly MediaItemView[] = [];
  private _item: MediaItemView | undefined;
  private _columns: readonly string[] = [];
  private _pages = new Map<number, readonly (readonly MediaCell[])[]>();
  private _asked = new Set<number>();
  private _sort: TableSort | null = null;
  private _generation = 0;

  /** `concatenate`: the compare page's table, every shown run's rows with a `run` column (run `*`). */
  constructor(readonly key: string, private readonly _request: RequestRows, private readonly _concatenate = false) {
    this._slider = new StepSlider(key, () => this.load());
    this._filter.addEventListener('input', debounce(() => this.load(), 200));
    this.element = el(
      'section',
      { className: 'media-card table-card', attrs: { 'data-key': key } },
      el('h3', { className: 'media-card-title', text: key, title: key }),
      el('div', 'table-toolbar', this._slider.element, this._filter, this._status),
      this._scroller,
    );
  }

  setItems(items: readonly MediaItemView[]): void {
    this._items = items;
    this._slider.setSteps(stepsOf(items));
    const step = this._slider.step;
    const item = items.find((i) => i.step === step);
    if (!this._item || !item || item.path !== this._item.path) this.load();
  }

  private load(): void {
    const step = this._slider.step;
    this._item = this._items.find((i) => i.step === step);
    this._generation++;
    this._pages = new Map();
    this._asked = new Set();
    if (!this._item) return;
    void this.fetch(0, true);
  }

  private async fetch(page: number, first = false): Promise<void> {
    const item = this._item;
    if (!item || this._asked.has(page)) return;
    this._asked.add(page);
    const generation = this._generation;
    const reply = await this._request({ run: this._concatenate ? '*' : item.run, key: item.key, step: item.step, index: item.index, offset: page * PAGE, count: PAGE, sort: this._sort, filter: this._filter.value });
    if (generation !== this._generation) return;
    if (reply.error !== undefined) {
      this._status.textContent = reply.error;
      this._status.classList.add('error');
      this._rows?.setCount(0);
      return;
    }
    this._status.classList.remove('error');
    this._pages.set(page, reply.rows);
    if (first) this.layout(reply);
    // Read ahead: the next page is where a scroll goes first (and asking for it has the host parse the whole table).
    if (first && reply.total > PAGE) void this.fetch(1);
    const all = this._concatenate ? this._items.filter((i) => i.step === item.step).reduce((n, i) => n + (i.rows ?? 0), 0) : (item.rows ?? reply.total);
    this._status.textContent = `${reply.total.toLocaleString('en')} of ${Math.max(all, reply.total).toLocaleString('en')} rows`;
    this._rows?.render();
  }

  private layout(reply: TableRowsMessage): void {
    const changed = reply.columns.join('\0') !== this._columns.join('\0');
    this._columns = reply.columns;
    const hasImages = reply.rows.some((r) => r.some((c) => c !== null && typeof c === 'object'));
    const template = `repeat(${Math.max(1, this._columns.length)}, minmax(90px, 1fr))`;
    this._head.style.gridTemplateColumns = template;
    this._body.style.setProperty('--media-columns', template);
    if (changed) this.renderHead();
    const height = hasImages ? IMAGE_ROW : ROW;
    if (!this._rows || this._body.dataset.rowHeight !== String(height)) {
      this._rows?.dispose();
      this._body.replaceChildren();
      this._body.dataset.rowHeight = String(height);
      this._rows = new VirtualRows({
        scroller: this._scroller,
        body: this._body,
        rowHeight: height,
        offsetTop: 30,
        createRow: () => el('div', { className: 'media-table-row', attrs: { role: 'row' } }),
        renderRow: (row, index) => this.renderRow(row, index),
      });
    }
    this._rows.setCount(reply.total);
  }

  private renderHead(): void {
    this._head.replaceChildren(
      ...this._columns.map((name, i) => {
        const sorted = this._sort?.column === i;
        const th = el('button', {
          className: `media-th${sorted ? ' sorted' : ''}`,
          text: `${name}${sorted ? (this._sort!.descending ? ' ▼' : ' ▲') : ''}`,
          title: `Sort by ${name}`,
          attrs: { type: 'button', role: 'columnheader', 'aria-sort': sorted ? (this._sort!.descending ? 'descending' : 'ascending') : 'none' },
        });
        th.addEventListener('click', () => {
          this._sort = this._sort?.column === i ? (this._sort.descending ? null : { column: i, descending: true }) : { column: i, descending: false };
          this.renderHead();
          this.load();
        });
        return th;
      }),
    );
  }

  private renderRow(row: HTMLElement, index: number): void {
    const page = Math.floor(index / PAGE);
    const cells = this._pages.get(page)?.[index - page * PAGE];
    row.style.gridTemplateColumns = this._head.style.gridTemplateColumns;
    if (!cells) {
      row.replaceChildren(el('div', { className: 'media-cell loading', text: '…' }));
      void this.fetch(page);
      return;
    }
    row.replaceChildren(...cells.map((c, i) => cellNode(c, `${this.key} · ${this._columns[i] ?? ''} · row ${index + 1}`)));
    // Rows render while the tab is hidden too (the page is prefetched); only a shown row counts.
    if (index === 0 && row.checkVisibility()) markOnce('firstTableRow');
  }
}
