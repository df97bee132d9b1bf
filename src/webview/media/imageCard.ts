// One image key: a step slider (the latest step until the user picks one), the images logged at
// that step (several per step, or one per run on the compare page), captions as text, click to
// enlarge. A missing file says so in place of the image.
import type { MediaItemView } from '../../common/mediaProtocol';
import { el } from '../shared/dom';
import { markOnce } from '../shared/marks';
import { hasOverlays, overlaidImage, OverlayToggles } from './imageOverlays';

export function openLightbox(src: string, caption: string | undefined, title: string, overlays?: { item: MediaItemView; toggles: OverlayToggles }): void {
  const close = (): void => {
    overlay.remove();
    document.removeEventListener('keydown', onKey);
    shown?.dispose();
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') close();
  };
  const img = el('img', { className: 'lightbox-image', attrs: { src, alt: caption ?? title } });
  const shown = overlays ? overlaidImage(overlays.item, img, overlays.toggles, () => undefined) : undefined;
  shown?.element.classList.add('lightbox-frame');
  const overlay = el(
    'div',
    { className: 'lightbox', attrs: { role: 'dialog', 'aria-label': title, tabindex: '-1' } },
    el('div', { className: 'lightbox-title', text: title }),
    shown?.element ?? img,
    caption !== undefined ? el('div', { className: 'lightbox-caption', text: caption }) : null,
  );
  overlay.addEventListener('click', close);
  document.addEventListener('keydown', onKey);
  document.body.append(overlay);
  overlay.focus();
}

/** One image (with its boxes and masks when `toggles` is given); `dispose` drops its listeners. */
export function imageTile(item: MediaItemView, label: string | undefined, toggles?: OverlayToggles): HTMLElement & { dispose?: () => void } {
  const title = `${item.key} · step ${item.step}${label ? ` · ${label}` : ''}`;
  const figure = el('figure', { className: 'media-image', attrs: { 'data-key': item.key, 'data-step': String(item.step) } });
  if (label !== undefined) figure.append(el('div', { className: 'media-run-label', text: label }));
  if (item.src) {
    const img = el('img', { attrs: { src: item.src, alt: item.caption ?? title, loading: 'lazy', decoding: 'async' } });
    if (item.width && item.height) {
      img.width = item.width;
      img.height = item.height;
    }
    img.addEventListener('error', () => img.replaceWith(el('div', { className: 'media-missing', text: `file missing: ${item.path}` })));
    // Loaded while the tab is hidden (prefetched), the mark waits for the tab's first frame (MediaView.show).
    img.addEventListener('load', () => figure.checkVisibility() && markOnce('firstImage'), { once: true });
    const overlays = toggles && hasOverlays(item) ? { item, toggles } : undefined;
    img.addEventListener('click', () => openLightbox(item.src, item.caption, title, overlays));
    if (overlays) {
      const shown = overlaidImage(item, img, overlays.toggles, (text) => figure.append(el('div', { className: 'media-missing', text })));
      figure.append(shown.element);
      (figure as HTMLElement & { dispose?: () => void }).dispose = shown.dispose;
    } else {
      figure.append(img);
    }
  } else {
    figure.append(el('div', { className: 'media-missing', text: item.problem ?? `no file for ${item.kind}` }));
  }
  if (item.caption !== undefined) figure.append(el('figcaption', { text: item.caption }));
  return figure;
}

/** Distinct steps in ascending order. */
export function stepsOf(items: readonly MediaItemView[]): number[] {
  return [...new Set(items.map((i) => i.step))].sort((a, b) => a - b);
}

export class StepSlider {
  readonly element: HTMLElement;
  private readonly _input = el('input', { className: 'step-slider', attrs: { type: 'range', min: '0', max: '0', step: '1' } });
  private readonly _label = el('span', 'step-label');
  private _steps: number[] = [];
  /** The step the user picked; undefined follows the latest. */
  private _picked: number | undefined;

  constructor(name: string, private readonly _onChange: () => void) {
    this._input.setAttribute('aria-label', `Step of ${name}`);
    this._input.addEventListener('input', () => {
      const i = Number(this._input.value);
      this._picked = i >= this._steps.length - 1 ? undefined : this._steps[i];
      this.renderLabel();
      this._onChange();
    });
    this.element = el('div', 'step-control', this._input, this._label);
  }

  setSteps(steps: number[]): void {
    this._steps = steps;
    this._input.max = String(Math.max(0, steps.length - 1));
    this._input.disabled = steps.length < 2;
    const i = this._picked === undefined ? steps.length - 1 : Math.max(0, steps.findIndex((s) => s >= this._picked!));
    this._input.value = String(i);
    this.renderLabel();
  }

  get step(): number | undefined {
    return this._steps[Number(this._input.value)];
  }

  private renderLabel(): void {
    const s = this.step;
    this._label.textContent = s === undefined ? '' : `step ${s.toLocaleString('en')}${this._picked === undefined && this._steps.length > 1 ? ' (latest)' : ''}`;
  }
}

export class ImageCard {
  readonly element: HTMLElement;
  private readonly _grid = el('div', 'media-image-grid');
  private readonly _slider: StepSlider;
  private readonly _toggles = new OverlayToggles();
  private _items: readonly MediaItemView[] = [];
  private _shown = '';
  private _tiles: (HTMLElement & { dispose?: () => void })[] = [];

  constructor(readonly key: string, private readonly _compare: boolean) {
    this._slider = new StepSlider(key, () => this.render());
    this._toggles.legend.hidden = true;
    this.element = el('section', { className: 'media-card image-card', attrs: { 'data-key': key } }, el('h3', { className: 'media-card-title', text: key, title: key }), this._slider.element, this._grid, this._toggles.legend);
  }

  setItems(items: readonly MediaItemView[]): void {
    this._items = items;
    this._slider.setSteps(stepsOf(items));
    this.render();
  }

  private render(): void {
    const step = this._slider.step;
    const at = this._items.filter((i) => i.step === step);
    const id = at.map((i) => `${i.run}:${i.index}:${i.path}`).join('|');
    if (id === this._shown) return;
    this._shown = id;
    for (const t of this._tiles) t.dispose?.();
    this._toggles.resetLayers();
    this._tiles = at.map((i) => imageTile(i, this._compare ? i.runName : at.length > 1 ? `#${i.index}` : undefined, this._toggles));
    this._toggles.renderLegend();
    this._grid.replaceChildren(...this._tiles);
  }
}
