// The compare page of one project: a toolbar (filter, columns, grouping, actions), the runs
// table, and charts overlaid per metric for the selected runs (or the first ones shown).
import {
  defaultComparePageState,
  parseComparePageState,
  type ComparePageState,
  type ComparePageToHost,
  type HostToComparePage,
  type RunRow,
} from '../../common/comparePageProtocol';
import { assertNever } from '../../common/guards';
import { unpackMessage } from '../../common/wire';
import type { XAxis } from '../../common/runPageProtocol';
import type { RunKey } from '../../core/model';
import { button, debounce, el, icon } from '../shared/dom';
import { plural } from '../shared/format';
import { assignRunColors, distinctColors } from '../shared/palette';
import { MediaView } from '../media/mediaView';
import { onThemeChange } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';
import { availableValueColumns, columnById, compareRows, defaultValueColumns, FIXED_COLUMNS } from './columns';
import { CompareCharts, groupable } from './compareCharts';
import { RunsTable } from './runsTable';
import { renderColumnPicker } from './columnPicker';

/** Runs charted when none is selected: the first ones in the table's order. */
const DEFAULT_CHART_RUNS = 10;
const MAX_CHART_RUNS = 50;

class ComparePage {
  private readonly _media = new MediaView((m) => this._api.postMessage(m), true);
  private readonly _api = vscodeApi<ComparePageToHost, ComparePageState>();
  private _state: ComparePageState;
  private readonly _restored: boolean;
  private readonly _rows = new Map<RunKey, RunRow>();
  private _sorted: RunRow[] = [];
  private _selected = new Set<RunKey>();
  private _colors = new Map<RunKey, string>();
  /** Colours of the charted runs, distinct among themselves. */
  private _chartColors = new Map<RunKey, string>();
  private _lastToggled = -1;
  private _chartKeys: readonly RunKey[] = [];
  private _started = false;
  /** How many runs the filter selects; the rows held are the newest of them. */
  private _total = 0;
  /** More runs follow the rows held: the host sends them as the table nears its end. */
  private _hasMore = false;
  private _loadingMore = false;

  private readonly _root = document.getElementById('root')!;
  private readonly _title = el('h1', 'run-name');
  private readonly _count = el('span', 'run-meta');
  private readonly _filter = el('input', {
    className: 'filter-input wide',
    attrs: { type: 'search', placeholder: 'Filter runs: state:running tag:baseline config.lr>0.01 loss<0.3 name~haze', 'aria-label': 'Filter runs' },
  });
  private readonly _filterError = el('div', { className: 'filter-error', attrs: { role: 'alert' } });
  private readonly _columnsButton = button({ icon: 'columns', label: 'Columns', onClick: () => this.toggleColumnPicker() });
  private readonly _columnPicker = el('div', { className: 'popover column-picker', attrs: { role: 'dialog', 'aria-label': 'Columns' } });
  private readonly _groupSelect = el('select', { className: 'select', attrs: { 'aria-label': 'Group by' } });
  private readonly _selection = el('span', 'selection-count');
  private readonly _openButton = button({ icon: 'open', label: 'Open', title: 'Open the selected runs', onClick: () => this.action('open') });
  private readonly _tagButton = button({ icon: 'tag', label: 'Tag', title: 'Add a tag to the selected runs', onClick: () => this.action('tag') });
  private readonly _deleteButton = button({ icon: 'trash', label: 'Delete', title: 'Delete the selected runs', className: 'btn danger', onClick: () => this.action('delete') });
  private readonly _table: RunsTable;
  private readonly _charts: CompareCharts;
  private readonly _xSelect = el('select', { className: 'select', attrs: { 'aria-label': 'X axis' } });
  private readonly _smoothing = el('input', { className: 'slider', attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing' } });
  private readonly _smoothingValue = el('span', 'slider-value');
  private readonly _log = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Log scale' } });
  private readonly _metricSearch = el('input', { className: 'filter-input', attrs: { type: 'search', placeholder: 'Search metrics', 'aria-label': 'Search metrics' } });
  private readonly _chartsTitle = el('span', 'charts-title');

  constructor() {
    const saved = parseComparePageState(this._api.getState());
    this._restored = saved !== undefined;
    this._state = saved ?? defaultComparePageState('');
    this._selected = new Set(this._state.selected);
    this._table = new RunsTable({
      colorOf: (key) => this._chartColors.get(key) ?? this._colors.get(key) ?? '#888',
      isSelected: (key) => this._selected.has(key),
      onToggle: (key, index, range) => this.toggle(key, index, range),
      onToggleAll: () => this.toggleAll(),
      onSort: (column) => this.sortBy(column),
      onOpen: (key) => this._api.postMessage({ type: 'runsAction', action: 'open', runs: [key] }),
      onHover: (key) => this._charts.highlight(key && this._chartKeys.includes(key) && !this._state.groupBy ? key : undefined),
      onNearEnd: () => this.loadMore(),
    });
    this._charts = new CompareCharts(this.chartSettings(), (id) => this._charts.highlight(id));
    this._root.append(el('div', { className: 'loading-page', text: 'Loading runs…' }));
    window.addEventListener('message', (e: MessageEvent<HostToComparePage>) => this.onMessage(unpackMessage(e.data)));
    onThemeChange(() => {
      this._charts.applyTheme();
      this._media.applyTheme();
    });
    this._api.postMessage({ type: 'ready' });
  }

  private chartSettings(): { xAxis: XAxis; smoothing: number; logScale: boolean; groupBy: string; metricFilter: string } {
    return { xAxis: this._state.xAxis, smoothing: this._state.smoothing, logScale: this._log.checked, groupBy: this._state.groupBy, metricFilter: this._state.metricFilter };
  }

  private update(patch: Partial<Omit<ComparePageState, 'project'>>): void {
    this._state = { ...this._state, ...patch };
    if (this._state.project) this._api.setState(this._state);
  }

  private start(): void {
    this._started = true;
    this._filter.value = this._state.filter;
    this._filter.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.applyFilter();
    });
    this._filter.addEventListener('input', debounce(() => this.applyFilter(), 500));
    for (const [value, label] of [['step', 'Step'], ['relative', 'Relative time'], ['wall', 'Wall time']] as const) {
      this._xSelect.append(el('option', { text: label, attrs: { value } }));
    }
    this._xSelect.value = this._state.xAxis;
    this._xSelect.addEventListener('change', () => {
      this.update({ xAxis: this._xSelect.value as XAxis });
      this._charts.setSettings(this.chartSettings());
    });
    this._smoothing.value = String(this._state.smoothing);
    this._smoothing.addEventListener('input', () => {
      this.update({ smoothing: Number(this._smoothing.value) });
      this.syncSmoothing();
      this._charts.setSettings(this.chartSettings());
    });
    this.syncSmoothing();
    this._log.addEventListener('change', () => this._charts.setSettings(this.chartSettings()));
    this._metricSearch.value = this._state.metricFilter;
    this._metricSearch.addEventListener('input', debounce(() => {
      this.update({ metricFilter: this._metricSearch.value });
      this._charts.setSettings(this.chartSettings());
    }, 120));
    this._groupSelect.addEventListener('change', () => {
      this.update({ groupBy: this._groupSelect.value });
      this._charts.setSettings(this.chartSettings());
    });
    this._columnPicker.hidden = true;
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this._columnPicker.hidden) this.toggleColumnPicker();
    });

    const header = el(
      'header',
      'page-header',
      el('div', 'title-row', this._title, this._count),
      el(
        'div',
        'toolbar',
        el('label', 'search-box wide', icon('search'), this._filter),
        el('span', 'picker-anchor', this._columnsButton, this._columnPicker),
        el('label', 'control', el('span', { text: 'Group by' }), this._groupSelect),
        el('span', 'spacer'),
        this._selection,
        this._openButton,
        this._tagButton,
        this._deleteButton,
      ),
      this._filterError,
    );
    const chartsToolbar = el(
      'div',
      'toolbar charts-toolbar',
      this._chartsTitle,
      el('label', 'search-box', icon('search'), this._metricSearch),
      el('label', 'control', el('span', { text: 'X axis' }), this._xSelect),
      el('label', 'control', el('span', { text: 'Smoothing' }), this._smoothing, this._smoothingValue),
      el('label', 'control checkbox', this._log, el('span', { text: 'Log scale' })),
    );
    this._root.replaceChildren(
      header,
      el('div', 'table-panel', this._table.element),
      el('section', 'charts-panel', chartsToolbar, this._charts.element),
      el('section', 'media-panel', el('h2', { className: 'media-panel-title', text: 'Media of the shown runs' }), this._media.element),
    );
    this._media.show();
  }

  private syncSmoothing(): void {
    this._smoothingValue.textContent = this._state.smoothing === 0 ? 'off' : this._state.smoothing.toFixed(2);
  }

  private applyFilter(): void {
    const filter = this._filter.value;
    if (filter === this._state.filter) return;
    this.update({ filter });
    this._api.postMessage({ type: 'setFilter', filter });
    // A new filter is a new list: show it from its first row, under the header.
    this._table.scrollToTop();
  }

  private onMessage(message: HostToComparePage): void {
    switch (message.type) {
      case 'snapshot': {
        if (this._state.project !== message.project) {
          this._state = this._state.project === '' ? { ...this._state, project: message.project } : defaultComparePageState(message.project);
        }
        this._rows.clear();
        for (const row of message.rows) this._rows.set(row.key, row);
        this._total = message.total;
        this._hasMore = message.hasMore;
        if (!this._restored && this._state.columns.length === 0) this._state = { ...this._state, columns: defaultValueColumns(message.rows) };
        this.update({});
        if (!this._started) this.start();
        if (message.filter !== this._state.filter) this._api.postMessage({ type: 'setFilter', filter: this._state.filter });
        if (message.sort.column !== this._state.sort.column || message.sort.descending !== this._state.sort.descending) this._api.postMessage({ type: 'setSort', sort: this._state.sort });
        this.showFilterError(message.filterError);
        this._title.textContent = message.project;
        document.title = `Compare: ${message.project}`;
        this.rowsChanged(true);
        return;
      }
      case 'rowsDelta':
        for (const key of message.removed) {
          this._rows.delete(key);
          this._selected.delete(key);
        }
        for (const row of message.upserts) this._rows.set(row.key, row);
        this._total = message.total;
        this._hasMore = message.hasMore;
        if (message.removed.length > 0) this.update({ selected: [...this._selected] });
        this.showFilterError(message.filterError);
        this.rowsChanged(message.removed.length > 0 || message.upserts.length > 0);
        return;
      case 'rowsPage':
        for (const row of message.rows) this._rows.set(row.key, row);
        this._total = message.total;
        this._hasMore = message.hasMore;
        this._loadingMore = false;
        this.rowsChanged(false);
        return;
      case 'series':
        this._charts.setSeries(message.runs, message.series);
        return;
      case 'mediaIndex':
        this._media.setItems(message.items);
        return;
      case 'tableRows':
        this._media.onTableRows(message);
        return;
      case 'select': {
        this._selected = new Set(message.runs.filter((k) => this._rows.has(k)));
        this.update({ selected: [...this._selected] });
        this.selectionChanged();
        const first = this._sorted.findIndex((r) => this._selected.has(r.key));
        if (first >= 0) this._table.scrollToIndex(first);
        return;
      }
      default:
        assertNever(message);
    }
  }

  private showFilterError(error: string | null): void {
    this._filterError.textContent = error ? `Filter not applied: ${error}` : '';
    this._filterError.hidden = !error;
    this._filter.classList.toggle('invalid', Boolean(error));
  }

  private rowsChanged(structural: boolean): void {
    const rows = [...this._rows.values()];
    this._colors = assignRunColors(rows.slice().sort((a, b) => a.startTime - b.startTime || a.key.localeCompare(b.key)).map((r) => r.key));
    this.sortRows();
    const all = !this._hasMore || rows.length >= this._total;
    this._count.textContent = `${all ? plural(rows.length, 'run') : `${rows.length.toLocaleString('en')} of ${plural(this._total, 'run')}`}${this._state.filter.trim() ? ' match the filter' : ''}`;
    this.renderGroupOptions(rows);
    if (structural) this._table.setColumns(['name', ...FIXED_COLUMNS.slice(1).map((c) => c.id), ...this._state.columns], this._state.sort, this.allState());
    this._table.setRows(this._sorted, this.allState());
    this.selectionChanged();
  }

  /** Asks the host for the next page, once at a time, while more runs follow. */
  private loadMore(): void {
    if (!this._hasMore || this._loadingMore) return;
    this._loadingMore = true;
    this._api.postMessage({ type: 'loadMore' });
  }

  private sortRows(): void {
    const column = columnById(this._state.sort.column) ?? FIXED_COLUMNS[2]!;
    this._sorted = [...this._rows.values()].sort(compareRows(column, this._state.sort.descending));
  }

  private sortBy(columnId: string): void {
    const same = this._state.sort.column === columnId;
    const numeric = columnById(columnId)?.numeric ?? false;
    this.update({ sort: { column: columnId, descending: same ? !this._state.sort.descending : numeric || columnId === 'start' } });
    // The host reads the runs in this order (the first page of every run, not only those held).
    this._api.postMessage({ type: 'setSort', sort: this._state.sort });
    this.sortRows();
    this._table.setColumns(['name', ...FIXED_COLUMNS.slice(1).map((c) => c.id), ...this._state.columns], this._state.sort, this.allState());
    this._table.setRows(this._sorted, this.allState());
    this.updateChartRuns();
  }

  private allState(): 'none' | 'some' | 'all' {
    if (this._selected.size === 0) return 'none';
    return this._sorted.every((r) => this._selected.has(r.key)) ? 'all' : 'some';
  }

  private toggle(key: RunKey, index: number, range: boolean): void {
    if (range && this._lastToggled >= 0) {
      const [a, b] = [Math.min(index, this._lastToggled), Math.max(index, this._lastToggled)];
      const on = !this._selected.has(key) || this._selected.has(this._sorted[this._lastToggled]?.key ?? '');
      for (let i = a; i <= b; i++) {
        const k = this._sorted[i]?.key;
        if (k) on ? this._selected.add(k) : this._selected.delete(k);
      }
    } else if (this._selected.has(key)) this._selected.delete(key);
    else this._selected.add(key);
    this._lastToggled = index;
    this.update({ selected: [...this._selected] });
    this.selectionChanged();
  }

  private toggleAll(): void {
    if (this.allState() === 'all') this._selected.clear();
    else for (const r of this._sorted) this._selected.add(r.key);
    this.update({ selected: [...this._selected] });
    this.selectionChanged();
  }

  private selectionChanged(): void {
    const n = this._selected.size;
    this._selection.textContent = n > 0 ? `${plural(n, 'run')} selected` : '';
    for (const b of [this._openButton, this._tagButton, this._deleteButton]) b.disabled = n === 0;
    this._table.refresh(this.allState());
    this.updateChartRuns();
  }

  private chartRows(): RunRow[] {
    const selected = this._sorted.filter((r) => this._selected.has(r.key));
    return selected.length > 0 ? selected.slice(0, MAX_CHART_RUNS) : this._sorted.slice(0, DEFAULT_CHART_RUNS);
  }

  private updateChartRuns(): void {
    const rows = this.chartRows();
    const keys = rows.map((r) => r.key);
    const selectedCount = this._selected.size;
    this._chartsTitle.textContent =
      selectedCount > 0
        ? `Charts of the ${plural(rows.length, 'selected run')}${selectedCount > MAX_CHART_RUNS ? ` (first ${MAX_CHART_RUNS})` : ''}`
        : `Charts of the first ${plural(rows.length, 'run')} shown`;
    const oldestFirst = rows.slice().sort((a, b) => a.startTime - b.startTime || a.key.localeCompare(b.key));
    this._chartColors = distinctColors(oldestFirst.map((r) => r.key), this._colors);
    this._charts.setRuns(rows, this._chartColors);
    this._table.refresh(this.allState());
    const changed = keys.length !== this._chartKeys.length || keys.some((k, i) => this._chartKeys[i] !== k);
    const added = keys.some((k) => !this._chartKeys.includes(k));
    this._chartKeys = keys;
    if (changed && added) this.requestSeries();
  }

  private readonly requestSeries = debounce(() => this._api.postMessage({ type: 'chartRuns', runs: this._chartKeys }), 150);

  private renderGroupOptions(rows: readonly RunRow[]): void {
    const { config } = availableValueColumns(rows);
    const options: [string, string][] = [['', 'None']];
    if (rows.some((r) => r.group)) options.push(['group', 'Group']);
    for (const key of config.filter((k) => groupable(rows, k))) options.push([`config.${key}`, key]);
    if (this._state.groupBy && !options.some(([v]) => v === this._state.groupBy)) options.push([this._state.groupBy, this._state.groupBy.replace(/^config\./, '')]);
    const signature = options.map(([v]) => v).join('\n');
    if (this._groupSelect.dataset.signature === signature) return;
    this._groupSelect.dataset.signature = signature;
    this._groupSelect.replaceChildren(...options.map(([value, label]) => el('option', { text: label, attrs: { value } })));
    this._groupSelect.value = this._state.groupBy;
  }

  private toggleColumnPicker(): void {
    if (!this._columnPicker.hidden) {
      this._columnPicker.hidden = true;
      this._columnsButton.setAttribute('aria-expanded', 'false');
      return;
    }
    const search = renderColumnPicker(this._columnPicker, this._rows.values(), () => this._state.columns, (columns) => {
      this.update({ columns });
      this._table.setColumns(['name', ...FIXED_COLUMNS.slice(1).map((c) => c.id), ...columns], this._state.sort, this.allState());
    });
    this._columnPicker.hidden = false;
    this._columnsButton.setAttribute('aria-expanded', 'true');
    search.focus();
  }

  private action(action: 'open' | 'delete' | 'tag'): void {
    // In the table's order; selected runs not held (a selection restored with the page) follow.
    const shown = this._sorted.filter((r) => this._selected.has(r.key)).map((r) => r.key);
    const runs = [...shown, ...[...this._selected].filter((k) => !this._rows.has(k))];
    if (runs.length > 0) this._api.postMessage({ type: 'runsAction', action, runs });
  }
}

new ComparePage();
