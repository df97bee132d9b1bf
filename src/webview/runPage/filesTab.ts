// The Files tab: the files the run saved, with size and time; open, reveal or save each. Runlog's
// own record files are listed behind a "Run records" disclosure.
import type { RunFile } from '../../core/model';
import { button, el, icon } from '../shared/dom';
import { formatBytes, formatTime, plural } from '../shared/format';
import { compareNatural } from '../shared/sections';
import type { RunPageContext } from './context';
import { splitRunFiles } from './fileGroups';
import type { RunTab } from './tabs';

type SortColumn = 'path' | 'size' | 'mtime';

export class FilesTab implements RunTab {
  readonly element = el('div', { className: 'tab-panel files-tab', attrs: { role: 'tabpanel', id: 'panel-files', 'aria-labelledby': 'tab-files' } });
  private _sort: { column: SortColumn; descending: boolean } = { column: 'path', descending: false };
  private _filter = '';
  private _signature = '';
  private _recordsOpen = false;

  constructor(private readonly _ctx: RunPageContext) {}

  show(): void {
    this.render(true);
  }

  update(): void {
    this.render(false);
  }

  private render(force: boolean): void {
    const files = this._ctx.run.files;
    const signature = JSON.stringify([files, this._sort, this._filter, this._ctx.deleted]);
    if (!force && signature === this._signature) return;
    this._signature = signature;
    const { saved, records } = splitRunFiles(files);
    const focused = document.activeElement === this.element.querySelector('.filter-input');
    const search = el('input', { className: 'filter-input', attrs: { type: 'search', placeholder: 'Filter files', 'aria-label': 'Filter files' } });
    search.value = this._filter;
    const savedHost = el('div', 'table-host saved-files');
    const recordsHost = el('div', 'table-host');
    const renderTables = (): void => {
      this.renderTable(saved, savedHost, 'Saved files');
      if (records.length > 0) this.renderTable(records, recordsHost, 'Run records');
    };
    search.addEventListener('input', () => {
      this._filter = search.value;
      renderTables();
      this._signature = '';
    });
    const toolbar = el('div', 'toolbar', el('label', 'search-box', icon('search'), search), el('span', { className: 'toolbar-status', text: `${plural(saved.length, 'file')} saved · ${formatBytes(totalSize(saved))}` }));
    const disclosure = el(
      'details',
      { className: 'run-records', attrs: this._recordsOpen ? { open: '' } : {} },
      el('summary', { text: `Run records (${plural(records.length, 'file')} · ${formatBytes(totalSize(records))})`, title: 'The files Runlog wrote for this run: its events, output and metadata' }),
      recordsHost,
    );
    disclosure.addEventListener('toggle', () => (this._recordsOpen = disclosure.open));
    this.element.replaceChildren(toolbar, savedHost, ...(records.length > 0 ? [disclosure] : []));
    renderTables();
    if (focused) search.focus();
  }

  private renderTable(files: readonly RunFile[], host: HTMLElement, label: string): void {
    if (files.length === 0) {
      host.replaceChildren(el('div', 'empty-state', el('h2', { text: 'No files saved' }), el('p', { text: 'Files the script saves with run.save(path) appear here.' })));
      return;
    }
    const f = this._filter.trim().toLowerCase();
    const shown = files.filter((file) => !f || file.path.toLowerCase().includes(f));
    const { column, descending } = this._sort;
    shown.sort((a, b) => {
      const c = column === 'path' ? compareNatural(a.path, b.path) : a[column] - b[column];
      return descending ? -c : c;
    });
    const header = (text: string, col: SortColumn, numeric = false): HTMLElement => {
      const active = this._sort.column === col;
      const th = el('th', { className: numeric ? 'num' : '', attrs: { 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' } });
      const b = el('button', { className: 'sort-button', text: text + (active ? (descending ? ' ↓' : ' ↑') : ''), attrs: { type: 'button' } });
      b.addEventListener('click', () => {
        this._sort = { column: col, descending: active ? !descending : col !== 'path' };
        this.render(true);
      });
      th.append(b);
      return th;
    };
    const body = el('tbody');
    for (const file of shown) {
      const slash = file.path.lastIndexOf('/');
      const name = el(
        'span',
        { className: 'file-path', title: file.path },
        slash >= 0 ? el('span', { className: 'muted', text: file.path.slice(0, slash + 1) }) : null,
        el('span', { text: file.path.slice(slash + 1) }),
      );
      const open = el('button', { className: 'link-button', attrs: { type: 'button' } }, name);
      open.addEventListener('click', () => this._ctx.post({ type: 'fileAction', action: 'open', path: file.path }));
      body.append(
        el(
          'tr',
          { attrs: { 'data-path': file.path } },
          el('td', 'file-cell', open),
          el('td', { className: 'num', text: formatBytes(file.size), title: `${file.size.toLocaleString('en')} bytes` }),
          el('td', { className: 'muted nowrap', text: formatTime(file.mtime) }),
          el(
            'td',
            'row-actions',
            button({ icon: 'open', title: `Open ${file.path}`, onClick: () => this._ctx.post({ type: 'fileAction', action: 'open', path: file.path }) }),
            button({ icon: 'folder', title: `Reveal ${file.path}`, onClick: () => this._ctx.post({ type: 'fileAction', action: 'reveal', path: file.path }) }),
            button({ icon: 'save', title: `Save ${file.path} as…`, onClick: () => this._ctx.post({ type: 'fileAction', action: 'saveAs', path: file.path }) }),
          ),
        ),
      );
    }
    if (shown.length === 0) body.append(el('tr', {}, el('td', { className: 'empty', text: 'No file matches.', attrs: { colspan: '4' } })));
    host.replaceChildren(
      el(
        'table',
        { className: 'grid-table files-table', attrs: { 'aria-label': label } },
        el('thead', {}, el('tr', {}, header('Name', 'path'), header('Size', 'size', true), header('Modified', 'mtime'), el('th', { className: 'actions-head', attrs: { 'aria-label': 'Actions' } }))),
        body,
      ),
    );
  }
}

function totalSize(files: readonly RunFile[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}
