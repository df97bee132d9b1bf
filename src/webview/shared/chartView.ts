// One chart.js chart: lines (a faint raw line behind its smoothed one when smoothing is on),
// min–max bands, log scale, drag to zoom, double-click to reset, and a tooltip that lists each
// line's nearest point to the cursor with its exact value.
import { Chart, Filler, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset, type ChartEvent, type TooltipItem } from 'chart.js';
import { ema } from './ema';
import { formatExact, formatTick, niceTimeStep } from './format';
import { setTooltipFilter } from './nearestPerLine';
import { withAlpha } from './palette';
import { readChartTheme, type ChartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Filler);

export interface ChartLine {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Smooth this line when smoothing is on (false for group means, already averaged). */
  readonly smooth?: boolean;
  readonly width?: number;
}

export interface ChartBand {
  readonly id: string;
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
}

export interface ChartViewOptions {
  /** x is in seconds (relative or wall time): ticks fall on clock-friendly steps. */
  readonly xTime?: boolean;
  readonly xFormat: (x: number) => string;
  readonly tooltipTitle: (x: number) => string;
  readonly yFormat?: (y: number) => string;
  readonly valueFormat?: (y: number) => string;
  readonly logScale: boolean;
  readonly smoothing: number;
  /** Sort tooltip lines by value, largest first (many runs). */
  readonly sortTooltip?: boolean;
  readonly onZoom: (xMin: number, xMax: number) => void;
  readonly onResetZoom: () => void;
  readonly onHoverLine?: (id: string | undefined) => void;
  readonly onDrawn?: (chart: ChartView) => void;
}

type Point = { x: number; y: number };
type Role = { readonly line?: ChartLine; readonly kind: 'line' | 'raw' | 'smoothed' | 'band' };

function toPoints(x: ArrayLike<number>, y: ArrayLike<number>, log: boolean): Point[] {
  const n = Math.min(x.length, y.length);
  const out: Point[] = new Array(n);
  let lastX = -Infinity;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const xv = x[i]!;
    let yv = y[i]!;
    // Lines break at NaN; ±Infinity cannot be drawn, and a log axis has no place for y ≤ 0.
    if (!Number.isFinite(yv) || (log && yv <= 0)) yv = Number.NaN;
    if (!Number.isFinite(xv)) continue;
    // `normalized: true` promises unique, ascending x: nudge a repeated x (a bucket's min and max
    // at one step) by a hair so both extremes are kept.
    const xs = xv <= lastX ? lastX + Math.max(1e-9, Math.abs(lastX) * 1e-12) : xv;
    out[k++] = { x: xs, y: yv };
    lastX = xs;
  }
  out.length = k;
  return out;
}

export class ChartView {
  readonly canvas: HTMLCanvasElement;
  private readonly _chart: Chart<'line', Point[]>;
  private readonly _overlay: HTMLElement;
  private _lines: readonly ChartLine[] = [];
  private _bands: readonly ChartBand[] = [];
  private _roles: Role[] = [];
  private _options: ChartViewOptions;
  private _theme: ChartTheme;
  private _highlight: string | undefined;
  private _drawn = false;
  private _dragStart: number | undefined;
  private _updateQueued = false;

  constructor(container: HTMLElement, options: ChartViewOptions) {
    this._options = options;
    this._theme = readChartTheme();
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this._overlay = document.createElement('div');
    this._overlay.className = 'zoom-selection';
    this._overlay.hidden = true;
    container.append(this.canvas, this._overlay);
    this._chart = new Chart<'line', Point[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: this.chartOptions(),
    });
    setTooltipFilter(this._chart, (index) => this.tooltipDataset(index));
    this.installZoom();
  }

  private chartOptions(): NonNullable<ConstructorParameters<typeof Chart<'line', Point[]>>[1]['options']> {
    const t = this._theme;
    const o = this._options;
    return {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: false,
      events: ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'],
      interaction: { mode: 'nearestPerLine', intersect: false },
      elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderJoinStyle: 'round' } },
      layout: { padding: { top: 4, right: 8 } },
      font: { family: t.font, size: 11 },
      color: t.muted,
      scales: {
        x: {
          type: 'linear',
          afterDataLimits: (scale) => {
            const ticks = (scale.options as unknown as { ticks: { stepSize?: number } }).ticks;
            ticks.stepSize = this._options.xTime ? niceTimeStep(scale.max - scale.min, Math.max(2, Math.floor(scale.width / 110))) : undefined;
          },
          grid: { color: t.grid, drawTicks: false },
          border: { display: false },
          ticks: {
            color: t.muted,
            maxRotation: 0,
            autoSkipPadding: 16,
            padding: 4,
            // A zoomed range starts and ends anywhere: no tick labels at its raw bounds.
            includeBounds: false,
            font: { family: t.font, size: 10 },
            callback: (v) => o.xFormat(Number(v)),
          },
        },
        y: {
          type: o.logScale ? 'logarithmic' : 'linear',
          grid: { color: t.grid, drawTicks: false },
          border: { display: false },
          ticks: {
            color: t.muted,
            padding: 6,
            maxTicksLimit: 6,
            font: { family: t.font, size: 10 },
            callback: (v) => (o.yFormat ?? formatTick)(Number(v)),
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          enabled: true,
          backgroundColor: t.tooltipBackground,
          titleColor: t.tooltipForeground,
          bodyColor: t.tooltipForeground,
          borderColor: t.tooltipBorder,
          borderWidth: 1,
          cornerRadius: 3,
          padding: 8,
          boxPadding: 4,
          usePointStyle: false,
          titleFont: { family: t.font, size: 11, weight: 'bold' },
          bodyFont: { family: t.font, size: 11 },
          itemSort: o.sortTooltip ? (a, b) => (b.parsed.y ?? 0) - (a.parsed.y ?? 0) : undefined,
          callbacks: {
            title: (items) => (items[0] ? o.tooltipTitle(items[0].parsed.x ?? 0) : ''),
            label: (item) => this.tooltipLabel(item),
            labelColor: (item) => {
              const color = this._roles[item.datasetIndex]?.line?.color ?? '#888';
              return { borderColor: color, backgroundColor: color, borderWidth: 0 };
            },
          },
        },
        filler: { propagate: false },
      },
      onHover: (_e: ChartEvent, elements) => {
        if (!o.onHoverLine) return;
        const first = elements[0];
        o.onHoverLine(first ? this._roles[first.datasetIndex]?.line?.id : undefined);
      },
    };
  }

  /** Whether a dataset takes part in the tooltip: not bands, not the raw line under a smoothed one. */
  tooltipDataset(index: number): boolean {
    const role = this._roles[index];
    return role !== undefined && (role.kind === 'line' || role.kind === 'smoothed');
  }

  private tooltipLabel(item: TooltipItem<'line'>): string {
    const role = this._roles[item.datasetIndex];
    const fmt = this._options.valueFormat ?? formatExact;
    const label = role?.line?.label ?? '';
    const y = item.parsed.y ?? Number.NaN;
    if (role?.kind === 'smoothed' && role.line) {
      const rawIndex = item.datasetIndex - 1;
      const raw = this._chart.data.datasets[rawIndex]?.data[item.dataIndex]?.y;
      return `${label}: ${fmt(y)}${raw !== undefined ? ` (raw ${fmt(raw)})` : ''}`;
    }
    return `${label}: ${fmt(y)}`;
  }

  private installZoom(): void {
    const canvas = this.canvas;
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      const area = this._chart.chartArea;
      if (e.offsetX < area.left || e.offsetX > area.right) return;
      this._dragStart = e.offsetX;
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this._dragStart === undefined) return;
      const area = this._chart.chartArea;
      const x = Math.min(area.right, Math.max(area.left, e.offsetX));
      const left = Math.min(this._dragStart, x);
      const width = Math.abs(x - this._dragStart);
      Object.assign(this._overlay.style, { left: `${left}px`, width: `${width}px`, top: `${area.top}px`, height: `${area.bottom - area.top}px` });
      this._overlay.hidden = width < 3;
    });
    const finish = (e: PointerEvent): void => {
      if (this._dragStart === undefined) return;
      const area = this._chart.chartArea;
      const x = Math.min(area.right, Math.max(area.left, e.offsetX));
      const start = this._dragStart;
      this._dragStart = undefined;
      this._overlay.hidden = true;
      if (Math.abs(x - start) < 5) return;
      const scale = this._chart.scales.x!;
      const a = scale.getValueForPixel(Math.min(start, x));
      const b = scale.getValueForPixel(Math.max(start, x));
      if (a !== undefined && b !== undefined && b > a) this._options.onZoom(a, b);
    };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', () => {
      this._dragStart = undefined;
      this._overlay.hidden = true;
    });
    canvas.addEventListener('dblclick', () => this._options.onResetZoom());
  }

  setOptions(options: Partial<ChartViewOptions>): void {
    const before = this._options;
    this._options = { ...before, ...options };
    if (options.logScale !== undefined && options.logScale !== before.logScale) {
      this._chart.options.scales!.y!.type = this._options.logScale ? 'logarithmic' : 'linear';
    }
    this.rebuild();
  }

  /** Re-reads the theme's colours. */
  applyTheme(): void {
    this._theme = readChartTheme();
    const range = { min: this._chart.options.scales?.x?.min, max: this._chart.options.scales?.x?.max };
    this._chart.options = this.chartOptions();
    this.setXRange(range.min as number | undefined, range.max as number | undefined, false);
    this.rebuild();
  }

  setData(lines: readonly ChartLine[], bands: readonly ChartBand[] = []): void {
    this._lines = lines;
    this._bands = bands;
    this.rebuild();
  }

  /** Shows only [min, max] of x (zoom), or everything. */
  setXRange(min: number | undefined, max: number | undefined, update = true): void {
    const x = this._chart.options.scales!.x!;
    x.min = min;
    x.max = max;
    if (update) this.scheduleUpdate();
  }

  get isZoomed(): boolean {
    return this._chart.options.scales?.x?.min !== undefined;
  }

  highlight(id: string | undefined): void {
    if (this._highlight === id) return;
    this._highlight = id;
    this.rebuild();
  }

  private rebuild(): void {
    const o = this._options;
    const log = o.logScale;
    const datasets: ChartDataset<'line', Point[]>[] = [];
    const roles: Role[] = [];
    const dim = (id: string): boolean => this._highlight !== undefined && this._highlight !== id;
    for (const band of this._bands) {
      const faded = dim(band.id) ? 0.05 : 0.22;
      datasets.push({ data: toPoints(band.x, band.lower, log), borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'transparent', order: 3 });
      roles.push({ kind: 'band' });
      datasets.push({
        data: toPoints(band.x, band.upper, log),
        borderWidth: 0,
        pointRadius: 0,
        fill: '-1',
        backgroundColor: withAlpha(band.color, faded),
        borderColor: 'transparent',
        order: 3,
      });
      roles.push({ kind: 'band' });
    }
    const smoothing = o.smoothing;
    for (const line of this._lines) {
      const width = line.width ?? 1.5;
      const faded = dim(line.id);
      const color = faded ? withAlpha(line.color, 0.2) : line.color;
      if (smoothing > 0 && line.smooth !== false) {
        datasets.push({
          data: toPoints(line.x, line.y, log),
          borderColor: withAlpha(line.color, faded ? 0.08 : 0.25),
          borderWidth: 1,
          pointRadius: 0,
          order: 2,
        });
        roles.push({ kind: 'raw', line });
        datasets.push({ data: toPoints(line.x, ema(line.y, smoothing), log), borderColor: color, borderWidth: width, pointRadius: 0, order: faded ? 1 : 0 });
        roles.push({ kind: 'smoothed', line });
      } else {
        datasets.push({ data: toPoints(line.x, line.y, log), borderColor: color, borderWidth: width, pointRadius: 0, order: faded ? 1 : 0 });
        roles.push({ kind: 'line', line });
      }
    }
    // A single point would draw nothing as a line: show it as a dot.
    for (const ds of datasets) {
      if (ds.data.length === 1) {
        ds.pointRadius = 2.5;
        ds.pointBackgroundColor = ds.borderColor as string;
      }
    }
    this._roles = roles;
    this._chart.data.datasets = datasets;
    this.scheduleUpdate();
  }

  private scheduleUpdate(): void {
    if (this._updateQueued) return;
    this._updateQueued = true;
    requestAnimationFrame(() => {
      this._updateQueued = false;
      if (!this._chart.canvas) return;
      this._chart.update('none');
      if (!this._drawn && this._lines.some((l) => l.x.length > 0)) {
        this._drawn = true;
        this.canvas.dataset.drawn = 'true';
        this._options.onDrawn?.(this);
      }
    });
  }

  destroy(): void {
    this._chart.destroy();
    this.canvas.remove();
    this._overlay.remove();
  }
}
