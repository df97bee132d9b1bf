// Boxes and masks over an image (W&B's `boxes=`/`masks=`), with a legend that shows or hides
// each class of each box set or mask. One OverlayToggles per image card, so a hidden class stays
// hidden while the step slider moves. Masks are PNGs of class ids, coloured here on a canvas
// (the webview's resource server allows reading their pixels); captions go in as text.
import type { BoxLayer, MaskLayerView, MediaItemView, OverlayBox, OverlayClass } from '../../common/mediaProtocol';
import { el } from '../shared/dom';

// Distinct, saturated colours for classes (class id modulo the list), readable on both themes
// as box outlines and at half opacity as mask fills.
const CLASS_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3', '#808000', '#ffd8b1', '#000075', '#a9a9a9', '#ffe119'] as const;
const MASK_ALPHA = 115;

export function classColor(id: number): string {
  return CLASS_COLORS[id % CLASS_COLORS.length]!;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

type LayerKind = 'boxes' | 'mask';
const toggleKey = (kind: LayerKind, layer: string, id: number): string => `${kind}\u0000${layer}\u0000${id}`;

/** Which classes are hidden, and the classes seen so far per layer (for the legend). */
export class OverlayToggles {
  readonly legend = el('div', { className: 'overlay-legend', attrs: { role: 'group', 'aria-label': 'Boxes and masks' } });
  private readonly _hidden = new Set<string>();
  private readonly _classes = new Map<string, { kind: LayerKind; layer: string; classes: Map<number, string> }>();
  private readonly _listeners = new Set<() => void>();

  isHidden(kind: LayerKind, layer: string, id: number): boolean {
    return this._hidden.has(toggleKey(kind, layer, id));
  }

  onChange(listener: () => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** Forgets the layers seen; the images shown next report theirs again (hidden classes stay hidden). */
  resetLayers(): void {
    this._classes.clear();
  }

  /** Adds classes to the legend (rebuilt only when something new appears). */
  addClasses(kind: LayerKind, layer: string, classes: readonly OverlayClass[]): void {
    const id = `${kind}\u0000${layer}`;
    let entry = this._classes.get(id);
    if (!entry) this._classes.set(id, (entry = { kind, layer, classes: new Map() }));
    let changed = false;
    for (const c of classes) {
      if (entry.classes.get(c.id) === c.name) continue;
      if (entry.classes.has(c.id) && c.name.startsWith('class_')) continue;
      entry.classes.set(c.id, c.name);
      changed = true;
    }
    if (changed || !this.legend.querySelector(`[data-layer-id="${CSS.escape(id)}"]`)) this.renderLegend();
  }

  renderLegend(): void {
    const rows = [...this._classes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, { kind, layer, classes }]) => {
      const row = el('div', { className: 'overlay-layer', attrs: { 'data-layer-id': id, 'data-kind': kind, 'data-layer': layer } }, el('span', { className: 'overlay-layer-name', text: `${kind === 'mask' ? 'mask' : 'boxes'} ${layer}` }));
      for (const [classId, name] of [...classes.entries()].sort((a, b) => a[0] - b[0])) {
        const box = el('input', { attrs: { type: 'checkbox', 'data-class': String(classId) } });
        box.checked = !this.isHidden(kind, layer, classId);
        box.addEventListener('change', () => {
          const k = toggleKey(kind, layer, classId);
          if (box.checked) this._hidden.delete(k);
          else this._hidden.add(k);
          for (const l of this._listeners) l();
        });
        const swatch = el('span', 'overlay-swatch');
        swatch.style.background = classColor(classId);
        row.append(el('label', { className: 'overlay-class', title: `${name} (class ${classId})` }, box, swatch, el('span', { text: name })));
      }
      return row;
    });
    this.legend.replaceChildren(...rows);
    this.legend.hidden = rows.length === 0;
  }
}

export function hasOverlays(item: MediaItemView): boolean {
  return (item.boxes?.length ?? 0) > 0 || (item.masks?.length ?? 0) > 0;
}

function placeBox(node: HTMLElement, b: OverlayBox, w: number, h: number): void {
  const sx = b.pixel ? 100 / w : 100;
  const sy = b.pixel ? 100 / h : 100;
  node.style.left = `${b.minX * sx}%`;
  node.style.top = `${b.minY * sy}%`;
  node.style.width = `${(b.maxX - b.minX) * sx}%`;
  node.style.height = `${(b.maxY - b.minY) * sy}%`;
}

class BoxesOverlay {
  readonly element = el('div', 'overlay-boxes');
  private readonly _nodes: { layer: string; box: OverlayBox; node: HTMLElement }[] = [];

  constructor(layers: readonly BoxLayer[], private readonly _toggles: OverlayToggles) {
    for (const layer of layers) {
      for (const box of layer.boxes) {
        const name = layer.classes.find((c) => c.id === box.classId)?.name ?? `class_${box.classId}`;
        const label = box.caption ?? name;
        const scores = box.scores ? Object.entries(box.scores).map(([k, v]) => `${k} ${v.toLocaleString('en', { maximumFractionDigits: 4 })}`).join(', ') : '';
        const node = el('div', { className: 'overlay-box', title: `${layer.name}: ${name}${scores ? ` · ${scores}` : ''}`, attrs: { 'data-layer': layer.name, 'data-class': String(box.classId) } }, el('span', { className: 'overlay-box-label', text: label }));
        node.style.borderColor = classColor(box.classId);
        (node.firstChild as HTMLElement).style.background = classColor(box.classId);
        this._nodes.push({ layer: layer.name, box, node });
        this.element.append(node);
      }
    }
  }

  /** Positions the boxes once the image's pixel size is known. */
  place(width: number, height: number): void {
    for (const { box, node } of this._nodes) placeBox(node, box, width, height);
  }

  apply(): void {
    for (const { layer, box, node } of this._nodes) node.hidden = this._toggles.isHidden('boxes', layer, box.classId);
  }
}

class MaskOverlay {
  readonly element = el('canvas', 'overlay-mask');
  private _ids: Uint8Array | undefined;
  private _size: [number, number] = [0, 0];

  constructor(private readonly _layer: MaskLayerView, private readonly _toggles: OverlayToggles, onProblem: (text: string) => void) {
    this.element.dataset.layer = _layer.name;
    const img = new Image();
    img.crossOrigin = 'anonymous';
    img.addEventListener('load', () => {
      try {
        this.decode(img);
      } catch {
        onProblem(`mask ${JSON.stringify(_layer.name)} could not be read`);
      }
    }, { once: true });
    img.addEventListener('error', () => onProblem(`mask ${JSON.stringify(_layer.name)}: file missing`), { once: true });
    img.src = _layer.src;
  }

  private decode(img: HTMLImageElement): void {
    const [w, h] = (this._size = [img.naturalWidth, img.naturalHeight]);
    const scratch = el('canvas');
    scratch.width = w;
    scratch.height = h;
    const ctx = scratch.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const ids = new Uint8Array(w * h);
    const seen = new Set<number>();
    for (let i = 0; i < ids.length; i++) {
      ids[i] = rgba[i * 4]!;
      seen.add(ids[i]!);
    }
    this._ids = ids;
    const named = new Map(this._layer.classes.map((c) => [c.id, c.name]));
    this._toggles.addClasses('mask', this._layer.name, [...seen].sort((a, b) => a - b).map((id) => ({ id, name: named.get(id) ?? `class_${id}` })));
    this.element.width = w;
    this.element.height = h;
    this.element.dataset.classes = [...seen].sort((a, b) => a - b).join(',');
    this.apply();
  }

  apply(): void {
    const ids = this._ids;
    if (!ids) return;
    const [w, h] = this._size;
    const ctx = this.element.getContext('2d')!;
    const out = ctx.createImageData(w, h);
    const colors = new Map<number, [number, number, number, number]>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let c = colors.get(id);
      if (!c) colors.set(id, (c = this._toggles.isHidden('mask', this._layer.name, id) ? [0, 0, 0, 0] : [...rgb(classColor(id)), MASK_ALPHA]));
      out.data.set(c, i * 4);
    }
    ctx.putImageData(out, 0, 0);
  }
}

/**
 * The image with its boxes and masks in one frame sized to the image's aspect ratio, so the
 * overlays (positioned in percent) stay on the pixels they name at any size.
 */
export function overlaidImage(item: MediaItemView, img: HTMLImageElement, toggles: OverlayToggles, onProblem: (text: string) => void): { element: HTMLElement; dispose: () => void } {
  const frame = el('div', 'media-frame', img);
  const setRatio = (w: number, h: number): void => frame.style.setProperty('--ar', String(w / h));
  const masks = (item.masks ?? []).filter((m) => {
    if (m.src) return true;
    onProblem(m.problem ?? `mask ${JSON.stringify(m.name)} has no file`);
    return false;
  }).map((m) => new MaskOverlay(m, toggles, onProblem));
  frame.append(...masks.map((m) => m.element));
  for (const m of item.masks ?? []) toggles.addClasses('mask', m.name, m.classes);
  for (const layer of item.boxes ?? []) if (layer.skipped > 0) onProblem(`boxes ${JSON.stringify(layer.name)}: ${layer.skipped} malformed box${layer.skipped === 1 ? '' : 'es'} left out`);
  const boxes = item.boxes?.length ? new BoxesOverlay(item.boxes, toggles) : undefined;
  for (const layer of item.boxes ?? []) toggles.addClasses('boxes', layer.name, layer.classes);
  if (boxes) frame.append(boxes.element);
  const size = (w: number, h: number): void => {
    setRatio(w, h);
    boxes?.place(w, h);
  };
  if (item.width && item.height) size(item.width, item.height);
  img.addEventListener('load', () => size(img.naturalWidth, img.naturalHeight), { once: true });
  const apply = (): void => {
    boxes?.apply();
    for (const m of masks) m.apply();
  };
  apply();
  return { element: frame, dispose: toggles.onChange(apply) };
}
