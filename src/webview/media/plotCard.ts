// A logged plot (runlog.plot / wandb.plot): its chart drawn from its table's rows by the spec's
// columns. Lines and scatters group by the `series` column; a histogram bins its `x` column; a
// confusion matrix is a grid of counts. The latest step is shown.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartConfiguration } from 'chart.js';
import type { ChartSpec, MediaCell, MediaItemView } from '../../common/mediaProtocol';
import { el } from '../shared/dom';
import { formatTick } from '../shared/format';
import { RUN_COLORS, withAlpha } from '../shared/palette';
import { readChartTheme } from '../shared/theme';
import type { RequestRows } from './tableCard';

Chart.register(LineController, ScatterController, BarController, LineElement, PointElement, BarElement, LinearScale, CategoryScale, Tooltip, Legend);

const MAX_ROWS = 2_000;
const HIST_BINS = 20;

const num = (c: MediaCell | undefined): number | null => (typeof c === 'number' ? c : typeof c === 'boolean' ? Number(c) : typeof c === 'string' && c.trim() !== '' && Number.isFinite(Number(c)) ? Number(c) : null);
const text = (c: MediaCell | undefined): string => (c === null || c === undefined ? '' : typeof c === 'object' ? (c.caption ?? '') : String(c));

export class PlotCard {
  readonly element: HTMLElement;
  private readonly _body = el('div', 'plot-body');
  private readonly _title = el('h3', 'media-card-title');
  private _chart: Chart | undefined;
  private _shown = '';
  private _last: { spec: ChartSpec; columns: readonly string[]; rows: readonly (readonly MediaCell[])[] } | undefined;

  constructor(readonly key: string, private readonly _request: RequestRows, private readonly _label?: string) {
    this._title.textContent = key;
    this._title.title = key;
    this.element = el('section', { className: 'media-card plot-card', attrs: { 'data-key': key } }, this._title, this._body);
  }

  async setItems(items: readonly MediaItemView[]): Promise<void> {
    const latest = [...items].sort((a, b) => a.step - b.step).pop();
    if (!latest?.chart || latest.path === this._shown) return;
    this._shown = latest.path;
    const spec = latest.chart;
    this._title.textContent = `${spec.title ? `${spec.title} · ` : ''}${this.key}${this._label ? ` · ${this._label}` : ''} · step ${latest.step}`;
    const reply = await this._request({ run: latest.run, key: latest.key, step: latest.step, index: latest.index, offset: 0, count: MAX_ROWS, sort: null, filter: '' });
    if (reply.error !== undefined) {
      this._body.replaceChildren(el('div', { className: 'media-missing', text: reply.error }));
      return;
    }
    this._last = { spec, columns: reply.columns, rows: reply.rows };
    this.draw();
  }

  applyTheme(): void {
    if (this._last) this.draw();
  }

  private draw(): void {
    const { spec, columns, rows } = this._last!;
    this._chart?.destroy();
    this._chart = undefined;
    const col = (name: string | undefined): number => (name === undefined ? -1 : columns.indexOf(name));
    if (spec.type === 'confusion_matrix') {
      this._body.replaceChildren(confusionGrid(rows, col(spec.y), col(spec.x), col(spec.value)));
      return;
    }
    const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': `${spec.type} chart of ${this.key}` } });
    this._body.replaceChildren(el('div', 'plot-frame', canvas));
    const theme = readChartTheme();
    const xi = col(spec.x);
    const yi = col(spec.y);
    const si = col(spec.series);
    let config: ChartConfiguration;
    if (spec.type === 'bar') {
      const groups = groupRows(rows, si);
      const labels = [...new Set(rows.map((r) => text(r[xi])))];
      config = {
        type: 'bar',
        data: { labels, datasets: [...groups].map(([name, rs], i) => ({ label: name || (spec.y ?? ''), data: labels.map((l) => num(rs.find((r) => text(r[xi]) === l)?.[yi]) ?? 0), backgroundColor: withAlpha(RUN_COLORS[i % RUN_COLORS.length]!, 0.7) })) },
        options: {},
      };
    } else if (spec.type === 'histogram') {
      const values = rows.map((r) => num(r[xi])).filter((v): v is number => v !== null);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const width = (hi - lo || 1) / HIST_BINS;
      const counts = new Array<number>(HIST_BINS).fill(0);
      for (const v of values) counts[Math.min(HIST_BINS - 1, Math.floor((v - lo) / width))]! += 1;
      config = {
        type: 'bar',
        data: { labels: counts.map((_, i) => formatTick(lo + width * (i + 0.5))), datasets: [{ label: spec.x ?? '', data: counts, backgroundColor: withAlpha(RUN_COLORS[0]!, 0.7) }] },
        options: {},
      };
    } else {
      const groups = groupRows(rows, si);
      config = {
        type: spec.type === 'scatter' ? 'scatter' : 'line',
        data: {
          datasets: [...groups].map(([name, rs], i) => ({
            label: name || (spec.y ?? ''),
            data: rs.map((r) => ({ x: num(r[xi]) ?? NaN, y: num(r[yi]) ?? NaN })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
            borderColor: RUN_COLORS[i % RUN_COLORS.length],
            backgroundColor: withAlpha(RUN_COLORS[i % RUN_COLORS.length]!, 0.6),
            pointRadius: spec.type === 'scatter' ? 3 : 0,
            borderWidth: 1.5,
            showLine: spec.type !== 'scatter',
          })),
        },
        options: { scales: { x: { type: 'linear', title: { display: true, text: spec.x ?? '', color: theme.muted } }, y: { type: 'linear', title: { display: true, text: spec.y ?? '', color: theme.muted } } } },
      };
    }
    config.options = {
      ...config.options,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: theme.foreground,
      plugins: { legend: { display: true, labels: { color: theme.foreground, boxWidth: 10 } }, tooltip: { enabled: true } },
    };
    for (const axis of Object.values((config.options.scales ?? {}) as Record<string, { ticks?: unknown; grid?: unknown }>)) {
      axis.ticks = { color: theme.muted };
      axis.grid = { color: theme.grid };
    }
    this._chart = new Chart(canvas, config);
  }
}

function groupRows(rows: readonly (readonly MediaCell[])[], si: number): Map<string, (readonly MediaCell[])[]> {
  const groups = new Map<string, (readonly MediaCell[])[]>();
  for (const r of rows) {
    const name = si >= 0 ? text(r[si]) : '';
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(r);
  }
  return groups;
}

function confusionGrid(rows: readonly (readonly MediaCell[])[], actual: number, predicted: number, value: number): HTMLElement {
  const actuals = [...new Set(rows.map((r) => text(r[actual])))];
  const preds = [...new Set(rows.map((r) => text(r[predicted])))];
  const cell = new Map(rows.map((r) => [`${text(r[actual])}\0${text(r[predicted])}`, num(r[value]) ?? 0]));
  const peak = Math.max(1, ...cell.values());
  const table = el('table', 'confusion-grid');
  table.append(el('caption', { text: 'rows: actual · columns: predicted' }));
  table.append(el('tr', {}, el('th', {}), ...preds.map((p) => el('th', { text: p, title: p, attrs: { scope: 'col' } }))));
  for (const a of actuals) {
    const tr = el('tr', {}, el('th', { text: a, title: a, attrs: { scope: 'row' } }));
    for (const p of preds) {
      const v = cell.get(`${a}\0${p}`) ?? 0;
      const td = el('td', { text: String(v) });
      td.style.setProperty('--heat', String(v / peak));
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}
