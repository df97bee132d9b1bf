// The collapsible sections of a chart grid (run page Charts and System tabs, compare page charts):
// a toggle naming the section and its chart count, above a grid of chart cards.
import { el, icon } from './dom';

export interface ChartSection {
  readonly element: HTMLElement;
  /** Where the section's chart cards go. */
  readonly grid: HTMLElement;
}

/** A section `name` of `count` charts; `onToggle` hears each collapse or expand. */
export function chartSection(name: string, count: number, collapsed: boolean, onToggle?: (collapsed: boolean) => void): ChartSection {
  const grid = el('div', 'chart-grid');
  const toggle = el(
    'button',
    { className: 'section-toggle', attrs: { type: 'button', 'aria-expanded': String(!collapsed) } },
    icon(collapsed ? 'chevronRight' : 'chevronDown'),
    el('span', { className: 'section-name', text: name }),
    el('span', { className: 'count', text: String(count) }),
  );
  grid.hidden = collapsed;
  toggle.addEventListener('click', () => {
    const nowCollapsed = !grid.hidden;
    grid.hidden = nowCollapsed;
    toggle.setAttribute('aria-expanded', String(!nowCollapsed));
    toggle.firstChild?.replaceWith(icon(nowCollapsed ? 'chevronRight' : 'chevronDown'));
    onToggle?.(nowCollapsed);
  });
  return { element: el('section', { className: 'chart-section', attrs: { 'data-section': name } }, toggle, grid), grid };
}

/** Hides each section of `container` whose chart cards are all hidden (by the metric search). */
export function hideEmptySections(container: HTMLElement): void {
  for (const section of container.querySelectorAll<HTMLElement>('.chart-section')) {
    section.hidden = ![...section.querySelectorAll<HTMLElement>('.chart-card')].some((c) => !c.hidden);
  }
}
