// The toolbar of the Charts and System tabs: metric search, x axis, smoothing and log scale,
// kept in the page's saved state (both tabs share it), and a status line (how many charts).
import type { SeriesScope, XAxis } from '../../common/runPageProtocol';
import { debounce, el, icon } from '../shared/dom';
import { tabXAxis } from './chartAxis';
import type { RunPageContext } from './context';

export interface ChartsToolbarHooks {
  /** The metric search changed (the state has the new text). */
  readonly onFilter: () => void;
  /** The x axis, smoothing or (`scaleChanged`) the log scale changed: the charts redraw. */
  readonly onRedraw: (scaleChanged: boolean) => void;
}

export class ChartsToolbar {
  readonly element: HTMLElement;
  /** Says how many charts there are and how many the search shows. */
  readonly status: HTMLElement;
  private readonly _search: HTMLInputElement;
  private readonly _xSelect: HTMLSelectElement;
  private readonly _smoothing: HTMLInputElement;
  private readonly _smoothingValue: HTMLElement;
  private readonly _log: HTMLInputElement;

  constructor(private readonly _ctx: RunPageContext, private readonly _scope: SeriesScope, hooks: ChartsToolbarHooks) {
    this._search = el('input', {
      className: 'filter-input metric-search',
      attrs: { type: 'search', placeholder: _scope === 'history' ? 'Search metrics' : 'Search system metrics', 'aria-label': 'Search metrics' },
    });
    this._search.value = _ctx.state.metricFilter;
    this._search.addEventListener('input', debounce(() => {
      this._ctx.update({ metricFilter: this._search.value });
      hooks.onFilter();
    }, 120));
    this._xSelect = el('select', { className: 'select', attrs: { 'aria-label': 'X axis' } });
    const axes: [XAxis, string][] = _scope === 'history' ? [['step', 'Step'], ['relative', 'Relative time'], ['wall', 'Wall time']] : [['relative', 'Relative time'], ['wall', 'Wall time']];
    for (const [value, label] of axes) this._xSelect.append(el('option', { text: label, attrs: { value } }));
    this._xSelect.addEventListener('change', () => {
      this._ctx.update({ xAxis: this._xSelect.value as XAxis });
      hooks.onRedraw(false);
    });
    this._smoothing = el('input', { className: 'slider', attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing' } });
    this._smoothingValue = el('span', { className: 'slider-value' });
    this._smoothing.addEventListener('input', () => {
      this._ctx.update({ smoothing: Number(this._smoothing.value) });
      this.sync();
      hooks.onRedraw(false);
    });
    this._log = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Log scale' } });
    this._log.addEventListener('change', () => {
      this._ctx.update({ logScale: this._log.checked });
      hooks.onRedraw(true);
    });
    this.status = el('span', { className: 'toolbar-status', attrs: { 'aria-live': 'polite' } });
    this.element = el(
      'div',
      'toolbar',
      el('label', 'search-box', icon('search'), this._search),
      el('label', 'control', el('span', { text: 'X axis' }), this._xSelect),
      el('label', 'control', el('span', { text: 'Smoothing' }), this._smoothing, this._smoothingValue),
      el('label', 'control checkbox', this._log, el('span', { text: 'Log scale' })),
      this.status,
    );
  }

  /** Controls follow the shared state (changed on the other chart tab). */
  sync(): void {
    const s = this._ctx.state;
    this._xSelect.value = tabXAxis(this._scope, s.xAxis);
    this._smoothing.value = String(s.smoothing);
    this._smoothingValue.textContent = s.smoothing === 0 ? 'off' : s.smoothing.toFixed(2);
    this._log.checked = s.logScale;
    if (this._search.value !== s.metricFilter) this._search.value = s.metricFilter;
  }
}
