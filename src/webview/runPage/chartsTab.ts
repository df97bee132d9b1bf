// The Charts and System tabs: one chart per metric (system GPUs share one chart per measure),
// in collapsible sections, created only when scrolled into view. Series arrive whole once and
// then as tails; a zoomed chart shows the host's full-resolution data for its range.
import type { RunView, SeriesScope, XAxis, ZoomDataMessage } from '../../common/runPageProtocol';
import { applySeriesTail, type WireSeries, type WireSeriesTail } from '../../common/wire';
import { chartSection, hideEmptySections } from '../shared/chartSections';
import { ChartView, type ChartLine } from '../shared/chartView';
import { button, el } from '../shared/dom';
import { formatExact, plural } from '../shared/format';
import { RUN_COLORS, runColor } from '../shared/palette';
import { compareNatural, matchesMetricFilter, sortSections } from '../shared/sections';
import { formatX, tabXAxis, tooltipTitle, xValues, zoomSteps, zoomXRange, type StepMetricAxis } from './chartAxis';
import { historySpecs, systemSpecs, type ChartSpec } from './chartSpecs';
import { ChartsToolbar } from './chartsToolbar';
import type { RunPageContext } from './context';
import { emptyChartsText } from './emptyCharts';
import type { RunTab } from './tabs';

interface Card {
  readonly spec: ChartSpec;
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  readonly resetButton: HTMLButtonElement;
  readonly note: HTMLElement;
  readonly xTitle: HTMLElement;
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
  private readonly _toolbar: ChartsToolbar;
  private readonly _sections: HTMLElement;
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
    this._toolbar = new ChartsToolbar(_ctx, scope, {
      onFilter: () => {
        this.applyFilter();
        this._hooks.onSettingsChanged();
      },
      onRedraw: (scaleChanged) => {
        this.refreshAll(scaleChanged);
        this._hooks.onSettingsChanged();
      },
    });
    this._sections = el('div', 'chart-sections');
    this.element.append(this._toolbar.element, this._sections);
    this._observer = new IntersectionObserver((entries) => this.onVisible(entries), { root: null, rootMargin: '300px 0px' });
    this.syncControls();
  }

  private get xAxis(): XAxis {
    return tabXAxis(this.scope, this._ctx.state.xAxis);
  }

  /** Controls follow the shared state (changed on the other chart tab). */
  syncControls(): void {
    this._toolbar.sync();
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
    const signature = specs.length === 0 ? `empty\u0000${run.state}` : specs.map((s) => `${s.id}\u0000${s.keys.join('\u0001')}\u0000${s.xKey ?? ''}`).join('\n');
    if (signature === this._specsSignature) {
      this.updateNotes();
      return;
    }
    this._specsSignature = signature;
    if (specs.length === 0) {
      this._sections.replaceChildren(this.emptyState());
      this._toolbar.status.textContent = '';
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
      const section = chartSection(name, list.length, this._ctx.state.collapsed.includes(sectionId), (nowCollapsed) => {
        const set = new Set(this._ctx.state.collapsed);
        if (nowCollapsed) set.add(sectionId);
        else set.delete(sectionId);
        this._ctx.update({ collapsed: [...set] });
      });
      for (const spec of list.sort((a, b) => compareNatural(a.title, b.title))) {
        section.grid.append(this.cardFor(spec).element);
      }
      sections.push(section.element);
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
    if (existing && existing.spec.keys.join() === spec.keys.join() && existing.spec.xKey === spec.xKey) return existing;
    existing?.view?.destroy();
    const body = el('div', 'chart-body');
    const resetButton = button({ icon: 'reset', title: 'Reset zoom (or double-click the chart)', className: 'icon-btn reset-zoom', onClick: () => this.resetZoom(card) });
    resetButton.hidden = true;
    const note = el('span', 'chart-note');
    const xTitle = el('div', { className: 'chart-x-title', text: spec.xKey ?? '' });
    xTitle.hidden = true;
    const element = el(
      'div',
      { className: 'chart-card', attrs: { 'data-chart-id': spec.id, 'data-metric': spec.keys.length === 1 ? spec.keys[0]! : spec.title } },
      el('div', 'chart-head', el('span', { className: 'chart-title', text: spec.title, title: spec.keys.join(', ') }), note, resetButton),
      body,
      xTitle,
    );
    const card: Card = { spec, element, body, resetButton, note, xTitle };
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
    hideEmptySections(this._sections);
    const total = this._cards.size;
    this._toolbar.status.textContent = filter.trim() ? `${shown} of ${plural(total, 'chart')}` : plural(total, 'chart');
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
      for (const key of card.spec.xKey === undefined ? card.spec.keys : [...card.spec.keys, card.spec.xKey]) {
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
      xFormat: (x) => formatX(this.xAxis, x, this._ctx.run),
      tooltipTitle: (x) => tooltipTitle(this.xAxis, this.scope, this._ctx.run, this.displaySeries(card)[0], x, this.stepMetric(card)),
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

  /** The card's define_metric step metric, when the card has one and the tab is on the Step axis. */
  private stepMetric(card: Card): StepMetricAxis | undefined {
    const key = card.spec.xKey;
    return this.xAxis === 'step' && key !== undefined ? { key, series: this._data.get(key) } : undefined;
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
    const stepMetric = this.stepMetric(card);
    card.spec.keys.forEach((key, i) => {
      const s = card.zoom?.series?.get(key) ?? this._data.get(key);
      if (!s) return;
      const color = card.spec.keys.length === 1 ? runColor(this._ctx.run.key) : RUN_COLORS[i % RUN_COLORS.length]!;
      lines.push({ id: key, label: card.spec.labels[i] ?? key, color, x: xValues(this.xAxis, s, this._ctx.run, stepMetric), y: s.values });
    });
    card.xTitle.hidden = !stepMetric;
    card.element.dataset.xAxis = stepMetric?.key ?? this.xAxis;
    // A step-metric chart waits for its x values as for its own.
    if (stepMetric && !stepMetric.series) lines.length = 0;
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
    view.setXRange(...zoomXRange(this.xAxis, this.displaySeries(card)[0], this._ctx.run, card.zoom.fromStep, card.zoom.toStep, this.stepMetric(card)));
  }

  private onZoom(card: Card, xMin: number, xMax: number): void {
    const steps = zoomSteps(this.xAxis, this.displaySeries(card)[0], this._ctx.run, xMin, xMax, this.stepMetric(card));
    if (steps) this.zoomTo(card, steps.fromStep, steps.toStep);
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
      const xArrived = card.spec.xKey !== undefined && keys.has(card.spec.xKey);
      if ((xArrived || card.spec.keys.some((k) => keys.has(k))) && !card.zoom?.series) this.refresh(card);
    }
    this.updateNotes();
  }

  applyTheme(): void {
    for (const card of this._cards.values()) card.view?.applyTheme();
  }
}
