// DOM helpers. Text only ever goes in through textContent or attributes: never innerHTML, and
// with bidirectional controls shown as visible marks (common/displayText).

import { revealBidi } from '../../common/displayText';

type Child = Node | string | null | undefined | false;

export interface ElProps {
  readonly className?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElProps | string = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const p: ElProps = typeof props === 'string' ? { className: props } : props;
  if (p.className) node.className = p.className;
  if (p.text !== undefined) node.textContent = revealBidi(p.text);
  if (p.title !== undefined) node.title = revealBidi(p.title);
  if (p.attrs) for (const [k, v] of Object.entries(p.attrs)) node.setAttribute(k, v);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

// 16×16 outline icons drawn with the text colour.
const ICONS = {
  copy: ['M5 5h8v9H5z', 'M3 11V2h8'],
  edit: ['M3 13l1-3 7-7 2 2-7 7-3 1z', 'M10 4l2 2'],
  close: ['M4 4l8 8', 'M12 4l-8 8'],
  plus: ['M8 3v10', 'M3 8h10'],
  search: ['M7 3a4 4 0 1 1 0 8a4 4 0 1 1 0-8z', 'M10 10l3.5 3.5'],
  open: ['M9 3h4v4', 'M13 3L7 9', 'M11 9v4H3V5h4'],
  save: ['M8 2v8', 'M5 7l3 3 3-3', 'M3 12v2h10v-2'],
  folder: ['M2 4h4l1.5 1.5H14v7H2z'],
  up: ['M4 10l4-4 4 4'],
  down: ['M4 6l4 4 4-4'],
  chevronRight: ['M6 4l4 4-4 4'],
  chevronDown: ['M4 6l4 4 4-4'],
  reset: ['M3 8a5 5 0 1 0 1.5-3.5', 'M3 3v2.5h2.5'],
  columns: ['M2 3h12v10H2z', 'M6 3v10', 'M10 3v10'],
  trash: ['M3 4h10', 'M6 4V2.5h4V4', 'M4.5 4l.7 9.5h5.6l.7-9.5'],
  tag: ['M2 2h5.5l6.5 6.5-5.5 5.5L2 7.5z', 'M5 5h.01'],
  check: ['M3 8.5l3 3 7-7'],
} as const;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export interface ButtonOptions {
  readonly label?: string;
  readonly icon?: IconName;
  /** Tooltip and accessible name (required for icon-only buttons). */
  readonly title?: string;
  readonly className?: string;
  readonly onClick: (event: MouseEvent) => void;
}

export function button(options: ButtonOptions): HTMLButtonElement {
  const b = el('button', { className: options.className ?? (options.label ? 'btn' : 'icon-btn'), attrs: { type: 'button' } });
  if (options.icon) b.append(icon(options.icon));
  if (options.label) b.append(el('span', { text: options.label }));
  if (options.title) {
    b.title = options.title;
    if (!options.label) b.setAttribute('aria-label', options.title);
  }
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    options.onClick(e);
  });
  return b;
}

/** Runs `fn` once per animation frame however often it is asked for. */
export function frameScheduler(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

/** Calls `fn` after `ms` of quiet. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
