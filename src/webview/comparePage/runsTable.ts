// The runs table: virtualized rows (thousands of runs), a sticky header whose buttons sort,
// a checkbox per row (shift-click selects a range) and a colour swatch per run.
import type { RunRow } from '../../common/comparePageProtocol';
import type { RunKey } from '../../core/model';
import { el } from '../shared/dom';
import { VirtualRows } from '../shared/virtualRows';
import { columnById, type Column } from './columns';
import { revealBidi } from '../../common/displayText';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
const CHECK_WIDTH = 56;

export interface RunsTableHost {
  readonly colorOf: (key: RunKey) => string;
  readonly isSelected: (key: RunKey) => boolean;
  readonly onToggle: (key: RunKey, index: number, range: boolean) => void;
  readonly onToggleAll: () => void;
  readonly onSort: (columnId: string) => void;
  readonly onOpen: (key: RunKey) => void;
  readonly onHover: (key: RunKey | undefined) => void;
  /** The rows in view reach the last rows held: time to ask for more. */
  readonly onNearEnd: () => void;
}

/** Rows from the end at which the next page is asked for (a page is 200). */
const NEAR_END_ROWS = 60;

export class RunsTable {
  readonly element = el('div', { className: 'runs-table', attrs: { role: 'grid', 'aria-label': 'Runs' } });
  private readonly _header = el('div', { className: 'runs-header', attrs: { role: 'row' } });
  private readonly _body = el('div', 'runs-body');
  private _rows: VirtualRows;
  private _columns: Column[] = [];
  private _data: readonly RunRow[] = [];
  private _sort = { column: 'start', descending: true };
  private _allState: 'none' | 'some' | 'all' = 'none';

  constructor(private readonly _host: RunsTableHost) {
    this.element.append(this._header, this._body);
    this._rows = this.makeRows();
    this.element.addEventListener('mouseleave', () => this._host.onHover(undefined));
    this.element.addEventListener('scroll', () => this.checkNearEnd(), { passive: true });
  }

  get rowCount(): number {
    return this._data.length;
  }

  /** Indexes of the rows in view. */
  get visibleRange(): { first: number; last: number } {
    return this._rows.visibleRange;
  }

  setColumns(ids: readonly string[], sort: { column: string; descending: boolean }, allState: 'none' | 'some' | 'all'): void {
    this._columns = ids.map(columnById).filter((c): c is Column => c !== undefined);
    this._sort = sort;
    this._allState = allState;
    this.renderHeader();
    this._body.replaceChildren();
    this._rows.dispose();
    // A new column set means new row templates.
    this._rows = this.makeRows();
    this._rows.setCount(this._data.length);
  }

  private makeRows(): VirtualRows {
    return new VirtualRows({
      scroller: this.element,
      body: this._body,
      rowHeight: ROW_HEIGHT,
      offsetTop: HEADER_HEIGHT,
      createRow: () => this.createRow(),
      renderRow: (row, index) => this.renderRow(row, index),
    });
  }

  setRows(rows: readonly RunRow[], allState: 'none' | 'some' | 'all'): void {
    this._data = rows;
    if (allState !== this._allState) {
      this._allState = allState;
      this.renderHeader();
    }
    this._rows.setCount(rows.length);
    this.checkNearEnd();
  }

  private checkNearEnd(): void {
    const s = this.element;
    if (this._data.length > 0 && s.scrollHeight - (s.scrollTop + s.clientHeight) <= NEAR_END_ROWS * ROW_HEIGHT) this._host.onNearEnd();
  }

  refresh(allState: 'none' | 'some' | 'all'): void {
    if (allState !== this._allState) {
      this._allState = allState;
      this.renderHeader();
    }
    this._rows.render();
  }

  private gridTemplate(): string {
    return [`${CHECK_WIDTH}px`, ...this._columns.map((c) => `${c.width}px`)].join(' ');
  }

  private renderHeader(): void {
    const all = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Select all runs shown' } });
    all.checked = this._allState === 'all';
    all.indeterminate = this._allState === 'some';
    all.addEventListener('change', () => this._host.onToggleAll());
    const cells: HTMLElement[] = [el('div', { className: 'cell check-cell', attrs: { role: 'columnheader' } }, all)];
    for (const c of this._columns) {
      const active = this._sort.column === c.id;
      const b = el('button', {
        className: `sort-button${c.numeric ? ' num' : ''}`,
        title: `Sort by ${c.id}`,
        attrs: { type: 'button' },
      });
      b.append(el('span', { className: 'col-label', text: c.label }));
      if (active) b.append(el('span', { className: 'sort-arrow', text: this._sort.descending ? '↓' : '↑' }));
      b.addEventListener('click', () => this._host.onSort(c.id));
      cells.push(
        el('div', { className: 'cell', attrs: { role: 'columnheader', 'aria-sort': active ? (this._sort.descending ? 'descending' : 'ascending') : 'none' } }, b),
      );
    }
    this._header.style.gridTemplateColumns = this.gridTemplate();
    this._header.replaceChildren(...cells);
    const width = CHECK_WIDTH + this._columns.reduce((s, c) => s + c.width, 0);
    this._header.style.width = `${width}px`;
    this._body.style.width = `${width}px`;
  }

  private createRow(): HTMLElement {
    const row = el('div', { className: 'run-row', attrs: { role: 'row' } });
    row.style.gridTemplateColumns = this.gridTemplate();
    const check = el('input', { attrs: { type: 'checkbox' } });
    const swatch = el('span', 'swatch');
    const checkCell = el('div', 'cell check-cell', check, swatch);
    check.addEventListener('click', (e) => {
      const key = row.dataset.key;
      if (key) this._host.onToggle(key, Number(row.dataset.index), e.shiftKey);
    });
    row.append(checkCell);
    for (const c of this._columns) {
      const cell = el('div', { className: `cell${c.numeric ? ' num' : ''} col-${c.id.replace(/[^a-z0-9]+/gi, '-')}`, attrs: { role: 'gridcell' } });
      if (c.id === 'name') {
        const link = el('button', { className: 'link-button run-link', attrs: { type: 'button' } });
        link.addEventListener('click', () => {
          const key = row.dataset.key;
          if (key) this._host.onOpen(key);
        });
        cell.append(link);
      }
      row.append(cell);
    }
    row.addEventListener('mouseenter', () => this._host.onHover(row.dataset.key));
    return row;
  }

  private renderRow(row: HTMLElement, index: number): void {
    const data = this._data[index];
    if (!data) return;
    row.dataset.key = data.key;
    const selected = this._host.isSelected(data.key);
    row.classList.toggle('selected', selected);
    row.setAttribute('aria-selected', String(selected));
    const checkCell = row.firstChild as HTMLElement;
    const check = checkCell.firstChild as HTMLInputElement;
    check.checked = selected;
    check.setAttribute('aria-label', `Select ${data.name}`);
    (checkCell.lastChild as HTMLElement).style.backgroundColor = this._host.colorOf(data.key);
    this._columns.forEach((c, i) => {
      const cell = row.children[i + 1] as HTMLElement;
      const text = c.text(data);
      if (c.id === 'name') {
        const link = cell.firstChild as HTMLElement;
        link.textContent = revealBidi(text);
        link.title = revealBidi(`${data.name} (${data.path}) – open`);
      } else if (c.id === 'state') {
        cell.replaceChildren(el('span', { className: `state-badge state-${data.state}`, text }));
      } else if (c.id === 'tags') {
        cell.replaceChildren(...data.tags.map((t) => el('span', { className: 'tag small', text: t })));
        cell.title = text;
      } else {
        cell.textContent = text;
        cell.title = text;
      }
    });
  }

  scrollToTop(): void {
    this.element.scrollTop = 0;
  }

  scrollToIndex(index: number): void {
    this._rows.scrollToIndex(index);
  }
}
