// The compare charts: one chart per metric with a line per run (or, grouped, a mean line and a
// min–max band per group), a legend that highlights a run or group on hover, stable colours.
import type { RunRow, RunSeries } from '../../common/comparePageProtocol';
import type { XAxis } from '../../common/runPageProtocol';
import type { RunKey } from '../../core/model';
import { ChartView, type ChartBand, type ChartLine } from '../shared/chartView';
import { chartSection, hideEmptySections } from '../shared/chartSections';
import { el } from '../shared/dom';
import { formatExact, formatRelative, formatTick, formatTime, formatWire, plural } from '../shared/format';
import { groupStats } from '../shared/groupStats';
import { RUN_COLORS } from '../shared/palette';
import { compareNatural, matchesMetricFilter, sectionOf, sortSections } from '../shared/sections';

export interface CompareChartSettings {
  readonly xAxis: XAxis;
  readonly smoothing: number;
  readonly logScale: boolean;
  readonly groupBy: string;
  readonly metricFilter: string;
}

interface LegendEntry {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly detail: string;
}

interface Card {
  readonly metric: string;
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  view?: ChartView;
}

export class CompareCharts {
  readonly element = el('div', 'compare-charts');
  private readonly _legend = el('div', { className: 'legend', attrs: { 'aria-label': 'Legend' } });
  private readonly _sections = el('div', 'chart-sections');
  private readonly _status = el('p', 'charts-status');
  private readonly _series = new Map<RunKey, Map<string, RunSeries>>();
  private readonly _cards = new Map<string, Card>();
  private readonly _observer: IntersectionObserver;
  private _runs: readonly RunRow[] = [];
  private _colors = new Map<RunKey, string>();
  private _settings: CompareChartSettings;
  private _highlight: string | undefined;
  private _metricsSignature = '';
  private _drawnFirst = false;

  constructor(settings: CompareChartSettings, private readonly _onHover: (id: string | undefined) => void) {
    this._settings = settings;
    this.element.append(this._legend, this._status, this._sections);
    this._observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const card = this._cards.get((entry.target as HTMLElement).dataset.metric ?? '');
        if (card && !card.view) {
          this.createView(card);
          this._observer.unobserve(card.element);
        }
      }
    }, { rootMargin: '300px 0px' });
  }

  /** The runs the charts show, in legend order, and the colours of every run. */
  setRuns(runs: readonly RunRow[], colors: Map<RunKey, string>): void {
    this._runs = runs;
    this._colors = colors;
    for (const key of [...this._series.keys()]) if (!runs.some((r) => r.key === key)) this._series.delete(key);
    this.rebuild();
  }

  setSeries(runs: readonly RunKey[], series: readonly RunSeries[]): void {
    for (const run of runs) this._series.set(run, new Map());
    for (const s of series) this._series.get(s.run)?.set(s.key, s);
    this.rebuild();
  }

  setSettings(settings: CompareChartSettings): void {
    const logChanged = settings.logScale !== this._settings.logScale;
    this._settings = settings;
    if (logChanged) for (const card of this._cards.values()) card.view?.setOptions({ logScale: settings.logScale });
    this.rebuild();
  }

  highlight(id: string | undefined): void {
    this._highlight = id;
    for (const item of this._legend.querySelectorAll<HTMLElement>('.legend-item')) item.classList.toggle('dim', id !== undefined && item.dataset.id !== id);
    for (const card of this._cards.values()) card.view?.highlight(id);
  }

  applyTheme(): void {
    for (const card of this._cards.values()) card.view?.applyTheme();
  }

  private metrics(): string[] {
    const keys = new Set<string>();
    for (const m of this._series.values()) for (const k of m.keys()) keys.add(k);
    return [...keys];
  }

  private rebuild(): void {
    const metrics = this.metrics();
    this.renderLegend();
    if (this._runs.length === 0) {
      this._status.textContent = 'Select runs in the table to compare them, or clear the filter.';
      this._sections.replaceChildren();
      this.dropCards(new Set());
      this._metricsSignature = '';
      return;
    }
    const pending = this._runs.filter((r) => !this._series.has(r.key)).length;
    // Charts still waiting for data (tests and screenshots wait for 0).
    this.element.dataset.pending = String(pending);
    this._status.textContent = metrics.length === 0 ? (pending > 0 ? 'Loading charts…' : 'These runs logged no metrics.') : '';
    const signature = metrics.sort(compareNatural).join('\n');
    if (signature !== this._metricsSignature) {
      this._metricsSignature = signature;
      this.layout(metrics);
    }
    this.applyFilter();
    for (const card of this._cards.values()) this.refresh(card);
  }

  private dropCards(keep: Set<string>): void {
    for (const [metric, card] of this._cards) {
      if (keep.has(metric)) continue;
      card.view?.destroy();
      this._observer.unobserve(card.element);
      this._cards.delete(metric);
    }
  }

  private layout(metrics: string[]): void {
    this.dropCards(new Set(metrics));
    const bySection = new Map<string, string[]>();
    for (const m of metrics) {
      const s = sectionOf(m);
      bySection.set(s, [...(bySection.get(s) ?? []), m]);
    }
    const sections: HTMLElement[] = [];
    for (const name of sortSections(bySection.keys())) {
      const list = bySection.get(name)!.sort(compareNatural);
      const section = chartSection(name, list.length, false);
      for (const metric of list) section.grid.append(this.cardFor(metric).element);
      sections.push(section.element);
    }
    this._sections.replaceChildren(...sections);
  }

  private cardFor(metric: string): Card {
    const existing = this._cards.get(metric);
    if (existing) return existing;
    const body = el('div', 'chart-body');
    const element = el(
      'div',
      { className: 'chart-card', attrs: { 'data-metric': metric } },
      el('div', 'chart-head', el('span', { className: 'chart-title', text: metric, title: metric })),
      body,
    );
    const card: Card = { metric, element, body };
    this._cards.set(metric, card);
    this._observer.observe(element);
    return card;
  }

  private applyFilter(): void {
    for (const card of this._cards.values()) card.element.hidden = !matchesMetricFilter(card.metric, this._settings.metricFilter);
    hideEmptySections(this._sections);
  }

  private createView(card: Card): void {
    card.view = new ChartView(card.body, {
      xTime: this._settings.xAxis !== 'step',
      xFormat: (x) => (this._settings.xAxis === 'step' ? formatTick(x) : this._settings.xAxis === 'relative' ? formatRelative(x) : formatTime(x).slice(11)),
      tooltipTitle: (x) =>
        this._settings.xAxis === 'step' ? `Step ${Math.round(x).toLocaleString('en')}` : this._settings.xAxis === 'relative' ? formatRelative(x) : formatTime(x),
      valueFormat: formatExact,
      logScale: this._settings.logScale,
      smoothing: this._settings.smoothing,
      sortTooltip: true,
      onZoom: (a, b) => card.view?.setXRange(a, b),
      onResetZoom: () => card.view?.setXRange(undefined, undefined),
      onHoverLine: (id) => this._onHover(id),
      onDrawn: () => {
        if (!this._drawnFirst) {
          this._drawnFirst = true;
          document.body.dataset.firstChartAt = String(performance.timeOrigin + performance.now());
        }
      },
    });
    card.view.highlight(this._highlight);
    this.refresh(card);
  }

  private xOf(run: RunRow, s: RunSeries): ArrayLike<number> {
    switch (this._settings.xAxis) {
      case 'step':
        return s.steps;
      case 'relative':
        return s.times.map((t) => t - run.startTime);
      case 'wall':
        return s.times;
    }
  }

  private groups(): { id: string; label: string; color: string; runs: RunRow[] }[] {
    const by = this._settings.groupBy;
    const map = new Map<string, RunRow[]>();
    for (const run of this._runs) {
      const value = groupValue(run, by);
      map.set(value, [...(map.get(value) ?? []), run]);
    }
    return [...map.entries()]
      .sort(([a], [b]) => compareNatural(a, b))
      .map(([value, runs], i) => ({ id: `group:${value}`, label: `${by === 'group' ? 'group' : by.replace(/^config\./, '')}: ${value}`, color: RUN_COLORS[i % RUN_COLORS.length]!, runs }));
  }

  private refresh(card: Card): void {
    const view = card.view;
    if (!view) return;
    view.setOptions({ smoothing: this._settings.smoothing, logScale: this._settings.logScale, xTime: this._settings.xAxis !== 'step' });
    const lines: ChartLine[] = [];
    const bands: ChartBand[] = [];
    if (this._settings.groupBy) {
      for (const group of this.groups()) {
        const members = group.runs
          .map((run) => ({ run, s: this._series.get(run.key)?.get(card.metric) }))
          .filter((m): m is { run: RunRow; s: RunSeries } => m.s !== undefined)
          .map(({ run, s }) => ({ x: this.xOf(run, s), y: s.values }));
        if (members.length === 0) continue;
        const stats = groupStats(members);
        lines.push({ id: group.id, label: `${group.label} (mean of ${members.length})`, color: group.color, x: stats.x, y: stats.mean, width: 2 });
        if (members.length > 1) bands.push({ id: group.id, color: group.color, x: stats.x, lower: stats.min, upper: stats.max });
      }
    } else {
      for (const run of this._runs) {
        const s = this._series.get(run.key)?.get(card.metric);
        if (!s) continue;
        lines.push({ id: run.key, label: run.name, color: this._colors.get(run.key) ?? RUN_COLORS[0], x: this.xOf(run, s), y: s.values });
      }
    }
    view.setData(lines, bands);
    // What the chart draws, for tests: lines (runs or group means) and runs with data.
    card.element.dataset.lines = String(lines.length);
    card.element.dataset.linePoints = lines.map((l) => l.x.length).join(',');
    card.element.dataset.runs = String(this._runs.filter((r) => this._series.get(r.key)?.has(card.metric)).length);
  }

  private renderLegend(): void {
    const entries: LegendEntry[] = this._settings.groupBy
      ? this.groups().map((g) => ({ id: g.id, label: g.label, color: g.color, detail: plural(g.runs.length, 'run') }))
      : this._runs.map((r) => ({ id: r.key, label: r.name, color: this._colors.get(r.key) ?? RUN_COLORS[0], detail: r.state }));
    const items = entries.map((e) => {
      const item = el(
        'span',
        { className: 'legend-item', title: `${e.label} · ${e.detail}`, attrs: { 'data-id': e.id, tabindex: '0' } },
        el('span', 'swatch'),
        el('span', { className: 'legend-label', text: e.label }),
      );
      (item.firstChild as HTMLElement).style.backgroundColor = e.color;
      const on = (): void => this._onHover(e.id);
      const off = (): void => this._onHover(undefined);
      item.addEventListener('mouseenter', on);
      item.addEventListener('mouseleave', off);
      item.addEventListener('focus', on);
      item.addEventListener('blur', off);
      return item;
    });
    this._legend.replaceChildren(...items);
    this._legend.hidden = items.length === 0;
    this.highlight(this._highlight);
  }
}

export function groupValue(run: RunRow, by: string): string {
  if (by === 'group') return run.group ?? '(no group)';
  if (by.startsWith('config.')) {
    const key = by.slice('config.'.length);
    return key in run.config ? formatWire(run.config[key]) : '(unset)';
  }
  return '';
}

/** Whether a config key's values can be grouped on (few distinct values). */
export function groupable(rows: readonly RunRow[], key: string): boolean {
  const values = new Set(rows.map((r) => JSON.stringify(r.config[key] ?? null)));
  return values.size > 1 && values.size <= Math.max(2, Math.ceil(rows.length / 2));
}

