// A histogram key over steps, drawn like TensorBoard's offset view: one ridge per step, the
// oldest at the back (top), the newest in front; the ridge under the pointer is named with its step.
import type { MediaItemView } from '../../common/mediaProtocol';
import { el } from '../shared/dom';
import { formatTick } from '../shared/format';
import { readChartTheme } from '../shared/theme';

const MAX_RIDGES = 60;
const HEIGHT = 220;

export class HistogramCard {
  readonly element: HTMLElement;
  private readonly _canvas = el('canvas', { className: 'histogram-canvas', attrs: { role: 'img' } });
  private readonly _hover = el('div', 'histogram-hover');
  private _ridges: MediaItemView[] = [];
  private _hovered = -1;
  private readonly _resize = new ResizeObserver(() => this.draw());

  constructor(readonly key: string, label?: string) {
    this._canvas.setAttribute('aria-label', `Histogram of ${key} over steps`);
    this.element = el(
      'section',
      { className: 'media-card histogram-card', attrs: { 'data-key': key } },
      el('h3', { className: 'media-card-title', text: label ? `${key} · ${label}` : key, title: key }),
      el('div', 'histogram-frame', this._canvas, this._hover),
    );
    this._canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this._canvas.addEventListener('mouseleave', () => {
      this._hovered = -1;
      this._hover.textContent = '';
      this.draw();
    });
    this._resize.observe(this._canvas);
  }

  setItems(items: readonly MediaItemView[]): void {
    const valid = items.filter((i) => i.bins && i.counts && i.bins.length === i.counts.length + 1).sort((a, b) => a.step - b.step);
    // Evenly thinned to MAX_RIDGES, always keeping the latest.
    const stride = Math.max(1, Math.ceil(valid.length / MAX_RIDGES));
    this._ridges = valid.filter((_, i) => (valid.length - 1 - i) % stride === 0);
    this.draw();
  }

  applyTheme(): void {
    this.draw();
  }

  private geometry(): { lo: number; hi: number; peak: number; w: number; h: number; top: number; band: number } {
    let lo = Infinity;
    let hi = -Infinity;
    let peak = 0;
    for (const r of this._ridges) {
      lo = Math.min(lo, r.bins![0]!);
      hi = Math.max(hi, r.bins![r.bins!.length - 1]!);
      for (const c of r.counts!) peak = Math.max(peak, c);
    }
    const w = this._canvas.clientWidth;
    const h = HEIGHT;
    const top = 10;
    const n = this._ridges.length;
    const band = n > 1 ? (h - top - 60) / (n - 1) : 0;
    return { lo, hi: hi > lo ? hi : lo + 1, peak: peak || 1, w, h, top, band };
  }

  private draw(): void {
    const canvas = this._canvas;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    if (width === 0) return;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    canvas.style.height = `${HEIGHT}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const theme = readChartTheme();
    if (this._ridges.length === 0) return;
    const g = this.geometry();
    const left = 8;
    const right = width - 60;
    const x = (v: number): number => left + ((v - g.lo) / (g.hi - g.lo)) * (right - left);
    const ridgeHeight = 50;
    this._ridges.forEach((r, i) => {
      const base = g.top + 50 + i * g.band;
      const bins = r.bins!;
      const counts = r.counts!;
      ctx.beginPath();
      ctx.moveTo(x(bins[0]!), base);
      counts.forEach((c, j) => {
        const mid = (bins[j]! + bins[j + 1]!) / 2;
        ctx.lineTo(x(mid), base - (c / g.peak) * ridgeHeight);
      });
      ctx.lineTo(x(bins[bins.length - 1]!), base);
      ctx.closePath();
      const t = this._ridges.length > 1 ? i / (this._ridges.length - 1) : 1;
      const hovered = i === this._hovered;
      ctx.fillStyle = hovered ? theme.selection : `hsla(${28 - t * 10}, 85%, ${62 - t * 20}%, ${0.25 + 0.5 * t})`;
      ctx.strokeStyle = hovered ? theme.foreground : `hsla(${28 - t * 10}, 90%, ${45 - t * 10}%, 0.9)`;
      ctx.lineWidth = hovered ? 1.5 : 1;
      ctx.fill();
      ctx.stroke();
      if (i === 0 || i === this._ridges.length - 1 || hovered) {
        ctx.fillStyle = theme.muted;
        ctx.font = `11px ${theme.font}`;
        ctx.fillText(`step ${r.step}`, right + 6, base);
      }
    });
    ctx.fillStyle = theme.muted;
    ctx.font = `11px ${theme.font}`;
    ctx.fillText(formatTick(g.lo), left, HEIGHT - 4);
    const hiText = formatTick(g.hi);
    ctx.fillText(hiText, right - ctx.measureText(hiText).width, HEIGHT - 4);
  }

  private onHover(e: MouseEvent): void {
    if (this._ridges.length === 0) return;
    const g = this.geometry();
    const rect = this._canvas.getBoundingClientRect();
    const y = e.clientY - rect.top;
    const i = g.band > 0 ? Math.round((y - (g.top + 50)) / g.band) : 0;
    const clamped = Math.min(this._ridges.length - 1, Math.max(0, i));
    if (clamped === this._hovered) return;
    this._hovered = clamped;
    const r = this._ridges[clamped]!;
    const total = r.counts!.reduce((a, b) => a + b, 0);
    this._hover.textContent = `step ${r.step.toLocaleString('en')} · ${total.toLocaleString('en')} values · ${formatTick(r.bins![0]!)} … ${formatTick(r.bins![r.bins!.length - 1]!)}`;
    this.draw();
  }
}
