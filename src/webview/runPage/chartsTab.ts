// The Charts and System tabs: one chart per metric (system GPUs share one chart per measure),
// in collapsible sections, created only when scrolled into view. Series arrive whole once and
// then as tails; a zoomed chart shows the host's full-resolution data for its range.
import type { RunView, SeriesScope, XAxis, ZoomDataMessage } from '../../common/runPageProtocol';
import { applySeriesTail, lowerBound, type WireSeries, type WireSeriesTail } from '../../common/wire';
import { ChartView, type ChartLine } from '../shared/chartView';
import { button, debounce, el, icon } from '../shared/dom';
import { formatBytes, formatClock, formatExact, formatRelative, formatTick, formatTime, plural } from '../shared/format';
import { RUN_COLORS, runColor } from '../shared/palette';
import { compareNatural, matchesMetricFilter, sectionOf, sortSections } from '../shared/sections';
import type { RunPageContext } from './context';
import { emptyChartsText } from './emptyCharts';
import type { RunTab } from './tabs';

interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly keys: readonly string[];
  readonly labels: readonly string[];
  readonly yFormat?: (v: number) => string;
}

interface Card {
  readonly spec: ChartSpec;
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  readonly resetButton: HTMLButtonElement;
  readonly note: HTMLElement;
  view?: ChartView;
  zoom?: { fromStep: number; toStep: number; requestId: number; series?: Map<string, WireSeries> };
}

export interface ChartsTabHooks {
  /** Settings shared by both chart tabs changed here. */
  readonly onSettingsChanged: () => void;
  readonly onFirstChartDrawn: () => void;
}

export class ChartsTab implements RunTab {
  readonly element: HTMLElement;
  private readonly _toolbar: HTMLElement;
  private readonly _sections: HTMLElement;
  private readonly _status: HTMLElement;
  private readonly _search: HTMLInputElement;
  private readonly _xSelect: HTMLSelectElement;
  private readonly _smoothing: HTMLInputElement;
  private readonly _smoothingValue: HTMLElement;
  private readonly _log: HTMLInputElement;
  private readonly _cards = new Map<string, Card>();
  /** A metric to reveal once its chart exists. */
  private _reveal: string | undefined;
  private readonly _data = new Map<string, WireSeries>();
  private readonly _requested = new Set<string>();
  private readonly _observer: IntersectionObserver;
  private _specsSignature = '';
  private _pendingRequests = new Set<string>();
  private _nextZoomId = 1;
  private _built = false;

  constructor(
    private readonly _ctx: RunPageContext,
    readonly scope: SeriesScope,
    private readonly _hooks: ChartsTabHooks,
  ) {
    const name = scope === 'history' ? 'charts' : 'system';
    this.element = el('div', { className: `tab-panel charts-tab`, attrs: { role: 'tabpanel', id: `panel-${name}`, 'aria-labelledby': `tab-${name}` } });
    this._search = el('input', {
      className: 'filter-input metric-search',
      attrs: { type: 'search', placeholder: scope === 'history' ? 'Search metrics' : 'Search system metrics', 'aria-label': 'Search metrics' },
    });
    this._search.value = _ctx.state.metricFilter;
    this._search.addEventListener('input', debounce(() => {
      this._ctx.update({ metricFilter: this._search.value });
      this.applyFilter();
      this._hooks.onSettingsChanged();
    }, 120));
    this._xSelect = el('select', { className: 'select', attrs: { 'aria-label': 'X axis' } });
    const axes: [XAxis, string][] = scope === 'history' ? [['step', 'Step'], ['relative', 'Relative time'], ['wall', 'Wall time']] : [['relative', 'Relative time'], ['wall', 'Wall time']];
    for (const [value, label] of axes) this._xSelect.append(el('option', { text: label, attrs: { value } }));
    this._xSelect.addEventListener('change', () => {
      this._ctx.update({ xAxis: this._xSelect.value as XAxis });
      this.refreshAll();
      this._hooks.onSettingsChanged();
    });
    this._smoothing = el('input', { className: 'slider', attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing' } });
    this._smoothingValue = el('span', { className: 'slider-value' });
    this._smoothing.addEventListener('input', () => {
      this._ctx.update({ smoothing: Number(this._smoothing.value) });
      this.syncControls();
      this.refreshAll();
      this._hooks.onSettingsChanged();
    });
    this._log = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Log scale' } });
    this._log.addEventListener('change', () => {
      this._ctx.update({ logScale: this._log.checked });
      this.refreshAll(true);
      this._hooks.onSettingsChanged();
    });
    this._status = el('span', { className: 'toolbar-status', attrs: { 'aria-live': 'polite' } });
    this._toolbar = el(
      'div',
      'toolbar',
      el('label', 'search-box', icon('search'), this._search),
      el('label', 'control', el('span', { text: 'X axis' }), this._xSelect),
      el('label', 'control', el('span', { text: 'Smoothing' }), this._smoothing, this._smoothingValue),
      el('label', 'control checkbox', this._log, el('span', { text: 'Log scale' })),
      this._status,
    );
    this._sections = el('div', 'chart-sections');
    this.element.append(this._toolbar, this._sections);
    this._observer = new IntersectionObserver((entries) => this.onVisible(entries), { root: null, rootMargin: '300px 0px' });
    this.syncControls();
  }

  private get xAxis(): XAxis {
    const axis = this._ctx.state.xAxis;
    return this.scope === 'system' && axis === 'step' ? 'relative' : axis;
  }

  /** Controls follow the shared state (changed on the other chart tab). */
  syncControls(): void {
    const s = this._ctx.state;
    this._xSelect.value = this.xAxis;
    this._smoothing.value = String(s.smoothing);
    this._smoothingValue.textContent = s.smoothing === 0 ? 'off' : s.smoothing.toFixed(2);
    this._log.checked = s.logScale;
    if (this._search.value !== s.metricFilter) this._search.value = s.metricFilter;
  }

  settingsChanged(): void {
    this.syncControls();
    if (this._built) {
      this.applyFilter();
      this.refreshAll(true);
    }
  }

  show(): void {
    if (!this._built) this.build();
    this.syncControls();
  }

  update(): void {
    if (this._built) this.build();
    if (this._reveal !== undefined) this.reveal(this._reveal);
  }

  /** Scrolls to the chart of `key` and marks it; waits for the chart when the key is not charted yet. */
  reveal(key: string): void {
    if (!this._built) this.build();
    const card = [...this._cards.values()].find((c) => c.spec.keys.includes(key));
    this._reveal = card ? undefined : key;
    if (!card) return;
    for (const c of this._cards.values()) c.element.classList.toggle('revealed', c === card);
    card.element.scrollIntoView({ block: 'center' });
  }

  reset(): void {
    this._data.clear();
    this._requested.clear();
    this._pendingRequests.clear();
    for (const card of this._cards.values()) {
      card.view?.destroy();
      this._observer.unobserve(card.element);
    }
    this._cards.clear();
    this._specsSignature = '';
    this._sections.replaceChildren();
    this._built = false;
  }

  private specs(run: RunView): ChartSpec[] {
    return this.scope === 'history' ? historySpecs(run) : systemSpecs(run.systemMetrics);
  }

  /** (Re)builds sections and cards for the run's metrics, keeping charts that still exist. */
  private build(): void {
    this._built = true;
    const run = this._ctx.run;
    const specs = this.specs(run);
    // An empty tab says why it is empty, and the reason changes with the run's state.
    const signature = specs.length === 0 ? `empty\u0000${run.state}` : specs.map((s) => `${s.id}\u0000${s.keys.join('\u0001')}`).join('\n');
    if (signature === this._specsSignature) {
      this.updateNotes();
      return;
    }
    this._specsSignature = signature;
    if (specs.length === 0) {
      this._sections.replaceChildren(this.emptyState());
      this._status.textContent = '';
      return;
    }
    const bySection = new Map<string, ChartSpec[]>();
    for (const spec of specs) {
      const list = bySection.get(spec.section) ?? [];
      list.push(spec);
      bySection.set(spec.section, list);
    }
    const sectionNames = this.scope === 'history' ? sortSections(bySection.keys()) : [...bySection.keys()];
    const wanted = new Set(specs.map((s) => s.id));
    for (const [id, card] of this._cards) {
      if (!wanted.has(id)) {
        card.view?.destroy();
        this._observer.unobserve(card.element);
        this._cards.delete(id);
      }
    }
    const sections: HTMLElement[] = [];
    for (const name of sectionNames) {
      const list = bySection.get(name);
      if (!list) continue;
      const sectionId = `${this.scope}:${name}`;
      const collapsed = this._ctx.state.collapsed.includes(sectionId);
      const grid = el('div', 'chart-grid');
      const count = el('span', { className: 'count', text: String(list.length) });
      const toggle = el(
        'button',
        { className: 'section-toggle', attrs: { type: 'button', 'aria-expanded': String(!collapsed) } },
        icon(collapsed ? 'chevronRight' : 'chevronDown'),
        el('span', { className: 'section-name', text: name }),
        count,
      );
      const section = el('section', { className: 'chart-section', attrs: { 'data-section': name } }, toggle, grid);
      grid.hidden = collapsed;
      toggle.addEventListener('click', () => {
        const nowCollapsed = !grid.hidden;
        grid.hidden = nowCollapsed;
        toggle.setAttribute('aria-expanded', String(!nowCollapsed));
        toggle.firstChild?.replaceWith(icon(nowCollapsed ? 'chevronRight' : 'chevronDown'));
        const set = new Set(this._ctx.state.collapsed);
        if (nowCollapsed) set.add(sectionId);
        else set.delete(sectionId);
        this._ctx.update({ collapsed: [...set] });
      });
      for (const spec of list.sort((a, b) => compareNatural(a.title, b.title))) {
        grid.append(this.cardFor(spec).element);
      }
      sections.push(section);
    }
    this._sections.replaceChildren(...sections);
    this.applyFilter();
    this.updateNotes();
  }

  private emptyState(): HTMLElement {
    const { title, detail } = emptyChartsText(this.scope, this._ctx.run);
    return el('div', 'empty-state', el('h2', { text: title }), el('p', { text: detail }));
  }

  private cardFor(spec: ChartSpec): Card {
    const existing = this._cards.get(spec.id);
    if (existing && existing.spec.keys.join() === spec.keys.join()) return existing;
    existing?.view?.destroy();
    const body = el('div', 'chart-body');
    const resetButton = button({ icon: 'reset', title: 'Reset zoom (or double-click the chart)', className: 'icon-btn reset-zoom', onClick: () => this.resetZoom(card) });
    resetButton.hidden = true;
    const note = el('span', 'chart-note');
    const element = el(
      'div',
      { className: 'chart-card', attrs: { 'data-chart-id': spec.id, 'data-metric': spec.keys.length === 1 ? spec.keys[0]! : spec.title } },
      el('div', 'chart-head', el('span', { className: 'chart-title', text: spec.title, title: spec.keys.join(', ') }), note, resetButton),
      body,
    );
    const card: Card = { spec, element, body, resetButton, note };
    element.classList.add('loading');
    this._cards.set(spec.id, card);
    this._observer.observe(element);
    return card;
  }

  private applyFilter(): void {
    const filter = this._ctx.state.metricFilter;
    let shown = 0;
    for (const card of this._cards.values()) {
      const match = matchesMetricFilter(card.spec.title, filter) || card.spec.keys.some((k) => matchesMetricFilter(k, filter));
      card.element.hidden = !match;
      if (match) shown++;
    }
    for (const section of this._sections.querySelectorAll<HTMLElement>('.chart-section')) {
      const any = [...section.querySelectorAll<HTMLElement>('.chart-card')].some((c) => !c.hidden);
      section.hidden = !any;
    }
    const total = this._cards.size;
    this._status.textContent = filter.trim() ? `${shown} of ${plural(total, 'chart')}` : plural(total, 'chart');
    if (filter.trim() && shown === 0 && total > 0 && !this._sections.querySelector('.no-match')) {
      this._sections.append(el('p', { className: 'empty no-match', text: 'No metric matches the search.' }));
    } else if (shown > 0 || !filter.trim()) {
      this._sections.querySelector('.no-match')?.remove();
    }
  }

  private updateNotes(): void {
    const run = this._ctx.run;
    const counts = new Map(run.metrics.map((m) => [m.key, m.count]));
    for (const card of this._cards.values()) {
      if (this.scope !== 'history') continue;
      const n = counts.get(card.spec.keys[0]!) ?? 0;
      const series = this._data.get(card.spec.keys[0]!);
      card.note.textContent = card.zoom ? 'zoomed' : '';
      card.note.title = series?.downsampled ? `${n.toLocaleString('en')} points, shown as min/max of ${Math.round(series.steps.length / 2).toLocaleString('en')} buckets` : `${n.toLocaleString('en')} points`;
    }
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const id = (entry.target as HTMLElement).dataset.chartId;
      const card = id ? this._cards.get(id) : undefined;
      if (!card || card.view) continue;
      this.createView(card);
      for (const key of card.spec.keys) {
        if (!this._requested.has(key)) {
          this._requested.add(key);
          this._pendingRequests.add(key);
        }
      }
      const saved = this._ctx.state.zooms[card.spec.id];
      if (saved) this.zoomTo(card, saved.fromStep, saved.toStep);
      this._observer.unobserve(card.element);
    }
    if (this._pendingRequests.size > 0) {
      const keys = [...this._pendingRequests];
      this._pendingRequests.clear();
      // On first load the first chart asks alone, so it draws without waiting for the others.
      if (this._data.size === 0 && keys.length > 1) this._ctx.post({ type: 'requestSeries', scope: this.scope, keys: keys.splice(0, 1) });
      this._ctx.post({ type: 'requestSeries', scope: this.scope, keys });
    }
  }

  private createView(card: Card): void {
    const spec = card.spec;
    card.view = new ChartView(card.body, {
      xTime: this.xAxis !== 'step',
      xFormat: (x) => this.formatX(x),
      tooltipTitle: (x) => this.tooltipTitle(card, x),
      yFormat: spec.yFormat,
      valueFormat: spec.yFormat ? (v) => `${spec.yFormat!(v)} (${formatExact(v)})` : formatExact,
      logScale: this._ctx.state.logScale,
      smoothing: this._ctx.state.smoothing,
      onZoom: (a, b) => this.onZoom(card, a, b),
      onResetZoom: () => this.resetZoom(card),
      onDrawn: () => this._hooks.onFirstChartDrawn(),
    });
    this.refresh(card);
  }

  private formatX(x: number): string {
    switch (this.xAxis) {
      case 'step':
        return formatTick(x);
      case 'relative':
        return formatRelative(x);
      case 'wall': {
        const run = this._ctx.run;
        const span = (run.endTime ?? run.lastSeen) - run.startTime;
        return formatClock(x, span > 86400);
      }
    }
  }

  private tooltipTitle(card: Card, x: number): string {
    const axis = this.xAxis;
    const base = this.displaySeries(card)[0];
    if (!base || base.steps.length === 0) return '';
    const xs = this.xValues(base);
    let i = lowerBound(xs, x);
    if (i >= xs.length) i = xs.length - 1;
    if (i > 0 && Math.abs(xs[i - 1]! - x) < Math.abs(xs[i]! - x)) i--;
    const step = base.steps[i]!;
    const time = base.times[i]!;
    const stepText = this.scope === 'history' ? `Step ${step.toLocaleString('en')}` : '';
    if (axis === 'step') return stepText;
    const timeText = axis === 'relative' ? formatRelative(time - this._ctx.run.startTime) : formatTime(time);
    return [stepText, timeText].filter(Boolean).join(' · ');
  }

  private xValues(series: WireSeries): Float64Array {
    switch (this.xAxis) {
      case 'step':
        return series.steps;
      case 'relative': {
        const origin = this._ctx.run.startTime;
        return series.times.map((t) => t - origin);
      }
      case 'wall':
        return series.times;
    }
    return series.steps;
  }

  /** The series a card draws: the zoom's full-resolution data when it has arrived. */
  private displaySeries(card: Card): WireSeries[] {
    const out: WireSeries[] = [];
    for (const key of card.spec.keys) {
      const s = card.zoom?.series?.get(key) ?? this._data.get(key);
      if (s) out.push(s);
    }
    return out;
  }

  private refresh(card: Card, optionsChanged = false): void {
    const view = card.view;
    if (!view) return;
    const xTime = this.xAxis !== 'step';
    if (optionsChanged) view.setOptions({ logScale: this._ctx.state.logScale, smoothing: this._ctx.state.smoothing, xTime });
    else view.setOptions({ smoothing: this._ctx.state.smoothing, xTime });
    const lines: ChartLine[] = [];
    card.spec.keys.forEach((key, i) => {
      const s = card.zoom?.series?.get(key) ?? this._data.get(key);
      if (!s) return;
      const color = card.spec.keys.length === 1 ? runColor(this._ctx.run.key) : RUN_COLORS[i % RUN_COLORS.length]!;
      lines.push({ id: key, label: card.spec.labels[i] ?? key, color, x: this.xValues(s), y: s.values });
    });
    view.setData(lines);
    this.applyZoomRange(card);
    card.element.classList.toggle('loading', lines.length === 0);
    // How dense the drawn data is, for tests: steps per point over the shown range.
    const first = card.zoom?.series?.get(card.spec.keys[0]!) ?? this._data.get(card.spec.keys[0]!);
    if (first && first.steps.length > 1) {
      card.element.dataset.points = String(first.steps.length);
      card.element.dataset.stepsPerPoint = String((first.steps[first.steps.length - 1]! - first.steps[0]!) / first.steps.length);
    }
  }

  private refreshAll(optionsChanged = false): void {
    for (const card of this._cards.values()) this.refresh(card, optionsChanged);
  }

  private applyZoomRange(card: Card): void {
    const view = card.view;
    if (!view) return;
    card.resetButton.hidden = !card.zoom;
    card.element.classList.toggle('zoomed', card.zoom !== undefined);
    if (!card.zoom) {
      view.setXRange(undefined, undefined);
      return;
    }
    const base = this.displaySeries(card)[0];
    if (this.xAxis === 'step' || !base) {
      view.setXRange(card.zoom.fromStep, card.zoom.toStep);
      return;
    }
    const xs = this.xValues(base);
    const at = (step: number): number => xs[Math.min(xs.length - 1, lowerBound(base.steps, step))] ?? Number.NaN;
    const a = at(card.zoom.fromStep);
    const b = at(card.zoom.toStep);
    view.setXRange(Number.isFinite(a) ? a : undefined, Number.isFinite(b) ? b : undefined);
  }

  private onZoom(card: Card, xMin: number, xMax: number): void {
    let fromStep: number;
    let toStep: number;
    if (this.xAxis === 'step') {
      fromStep = Math.floor(xMin);
      toStep = Math.ceil(xMax);
    } else {
      const base = this.displaySeries(card)[0];
      if (!base || base.steps.length === 0) return;
      const xs = this.xValues(base);
      const lo = Math.max(0, lowerBound(xs, xMin) - 1);
      const hi = Math.min(xs.length - 1, lowerBound(xs, xMax));
      fromStep = base.steps[lo]!;
      toStep = base.steps[hi]!;
    }
    if (toStep <= fromStep) toStep = fromStep + 1;
    this.zoomTo(card, fromStep, toStep);
  }

  private zoomTo(card: Card, fromStep: number, toStep: number): void {
    const requestId = this._nextZoomId++;
    card.zoom = { fromStep, toStep, requestId };
    this._ctx.update({ zooms: { ...this._ctx.state.zooms, [card.spec.id]: { fromStep, toStep } } });
    this.applyZoomRange(card);
    this.updateNotes();
    this._ctx.post({ type: 'zoom', requestId, scope: this.scope, keys: card.spec.keys, fromStep, toStep });
  }

  private resetZoom(card: Card): void {
    if (!card.zoom) return;
    card.zoom = undefined;
    const zooms = { ...this._ctx.state.zooms };
    delete zooms[card.spec.id];
    this._ctx.update({ zooms });
    this.refresh(card);
    this.updateNotes();
  }

  // ---- messages from the host ----

  onSeries(series: readonly WireSeries[]): void {
    for (const s of series) this._data.set(s.key, s);
    this.refreshFor(new Set(series.map((s) => s.key)));
  }

  onTails(tails: readonly WireSeriesTail[]): void {
    for (const tail of tails) {
      const current = this._data.get(tail.key);
      this._data.set(tail.key, current ? applySeriesTail(current, tail) : { ...tail });
    }
    this.refreshFor(new Set(tails.map((t) => t.key)));
  }

  onZoomData(message: ZoomDataMessage): void {
    for (const card of this._cards.values()) {
      if (card.zoom?.requestId !== message.requestId) continue;
      card.zoom.series = new Map(message.series.map((s) => [s.key, s]));
      this.refresh(card);
    }
  }

  private refreshFor(keys: Set<string>): void {
    for (const card of this._cards.values()) {
      // A zoomed chart keeps its range and data; live points land in the base series.
      if (card.spec.keys.some((k) => keys.has(k)) && !card.zoom?.series) this.refresh(card);
    }
    this.updateNotes();
  }

  applyTheme(): void {
    for (const card of this._cards.values()) card.view?.applyTheme();
  }
}

function historySpecs(run: RunView): ChartSpec[] {
  return run.metrics
    .filter((m) => m.count > 0 && typeof m.last !== 'string')
    .map((m) => {
      return { id: `history:${m.key}`, title: m.key, section: sectionOf(m.key), keys: [m.key], labels: [m.key] };
    });
}

const SYSTEM_SECTIONS: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  memory: 'Memory',
  process: 'Process',
  disk: 'Disk',
  network: 'Network',
  gpu: 'GPU',
};

const SYSTEM_TITLES: Readonly<Record<string, string>> = {
  'cpu/percent': 'CPU utilization (%)',
  'memory/used_bytes': 'System memory in use',
  'memory/percent': 'System memory utilization (%)',
  'process/rss_bytes': 'Process memory in use (RSS)',
  'process/cpu_percent': 'Process CPU utilization (%)',
  'disk/read_bytes_per_s': 'Disk read',
  'disk/write_bytes_per_s': 'Disk write',
  'network/recv_bytes_per_s': 'Network received',
  'network/sent_bytes_per_s': 'Network sent',
  'gpu/utilization': 'GPU utilization (%)',
  'gpu/memory_used_bytes': 'GPU memory allocated',
  'gpu/memory_percent': 'GPU memory utilization (%)',
  'gpu/temperature_c': 'GPU temperature (°C)',
  'gpu/power_w': 'GPU power usage (W)',
};

function systemFormat(key: string): ((v: number) => string) | undefined {
  if (key.includes('bytes_per_s')) return (v) => `${formatBytes(v)}/s`;
  if (key.includes('bytes')) return (v) => formatBytes(v);
  return undefined;
}

function systemSpecs(keys: readonly string[]): ChartSpec[] {
  const gpu = new Map<string, { index: number; key: string }[]>();
  const specs: ChartSpec[] = [];
  for (const key of keys) {
    const m = /^gpu\/(\d+)\/(.+)$/.exec(key);
    if (m) {
      const list = gpu.get(m[2]!) ?? [];
      list.push({ index: Number(m[1]), key });
      gpu.set(m[2]!, list);
      continue;
    }
    const first = key.split('/')[0]!;
    specs.push({
      id: `system:${key}`,
      title: SYSTEM_TITLES[key] ?? key,
      section: SYSTEM_SECTIONS[first] ?? (first.charAt(0).toUpperCase() + first.slice(1)),
      keys: [key],
      labels: [SYSTEM_TITLES[key] ?? key],
      yFormat: systemFormat(key),
    });
  }
  for (const [measure, list] of gpu) {
    list.sort((a, b) => a.index - b.index);
    specs.push({
      id: `system:gpu/${measure}`,
      title: SYSTEM_TITLES[`gpu/${measure}`] ?? `GPU ${measure}`,
      section: 'GPU',
      keys: list.map((g) => g.key),
      labels: list.map((g) => `GPU ${g.index}`),
      yFormat: systemFormat(measure),
    });
  }
  const order = Object.values(SYSTEM_SECTIONS);
  return specs.sort((a, b) => {
    const oa = order.indexOf(a.section);
    const ob = order.indexOf(b.section);
    return (oa < 0 ? 99 : oa) - (ob < 0 ? 99 : ob) || compareNatural(a.title, b.title);
  });
}
