// The Columns popover of the compare page: every config and summary key of the rows held, a
// search box, a checkbox per column.
import { el } from '../shared/dom';
import type { RunRow } from '../../common/comparePageProtocol';
import { availableValueColumns } from './columns';

/** Fills `popover` with the column choices; `onChange` gets the new column list. */
export function renderColumnPicker(
  popover: HTMLElement,
  rows: Iterable<RunRow>,
  current: () => readonly string[],
  onChange: (columns: readonly string[]) => void,
): HTMLInputElement {
  const { config, summary } = availableValueColumns(rows);
  const search = el('input', { className: 'filter-input', attrs: { type: 'search', placeholder: 'Find a column', 'aria-label': 'Find a column' } });
  const list = el('div', 'picker-list');
  const render = (): void => {
    const f = search.value.trim().toLowerCase();
    const groups: [string, string[]][] = [
      ['Config', config.map((k) => `config.${k}`)],
      ['Summary', summary.map((k) => `summary.${k}`)],
    ];
    list.replaceChildren();
    for (const [label, ids] of groups) {
      const shown = ids.filter((id) => !f || id.toLowerCase().includes(f));
      if (shown.length === 0) continue;
      list.append(el('div', { className: 'picker-group', text: label }));
      for (const id of shown) {
        const box = el('input', { attrs: { type: 'checkbox' } });
        box.checked = current().includes(id);
        box.addEventListener('change', () => onChange(box.checked ? [...current(), id] : current().filter((c) => c !== id)));
        list.append(el('label', 'picker-item', box, el('span', { text: id.replace(/^(config|summary)\./, ''), title: id })));
      }
    }
    if (!list.firstChild) list.append(el('p', { className: 'empty', text: 'No column matches.' }));
  };
  search.addEventListener('input', render);
  render();
  popover.replaceChildren(search, list);
  return search;
}
