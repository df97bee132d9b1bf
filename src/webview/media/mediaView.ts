// The Media section shared by the run page and the compare page: images per key (a grid across
// keys), plots, histograms over steps, tables, audio/video and HTML files. Built from the host's
// `mediaIndex`; a new index (the run logged more) updates the cards in place.
import type { MediaItemView, MediaToHost, TableRowsMessage } from '../../common/mediaProtocol';
import { el } from '../shared/dom';
import { formatBytes } from '../shared/format';
import { markOnce, marked } from '../shared/marks';
import { compareNatural } from '../shared/sections';
import { HistogramCard } from './histogramCard';
import { ImageCard } from './imageCard';
import { PlotCard } from './plotCard';
import { MediaPrefetch } from './prefetch';
import { TABLE_PAGE_ROWS, TableCard, type TableRequest } from './tableCard';

interface Section {
  readonly element: HTMLElement;
  readonly grid: HTMLElement;
}

type Card = ImageCard | HistogramCard | PlotCard | TableCard | FileListCard;

class FileListCard {
  readonly element: HTMLElement;
  private readonly _list = el('ul', 'media-file-list');

  constructor(readonly key: string) {
    this.element = el('section', { className: 'media-card file-card', attrs: { 'data-key': key } }, el('h3', { className: 'media-card-title', text: key, title: key }), this._list);
  }

  setItems(items: readonly MediaItemView[]): void {
    this._list.replaceChildren(
      ...[...items].sort((a, b) => b.step - a.step).slice(0, 50).map((i) => {
        const li = el('li', {}, el('span', { className: 'media-file-step', text: `step ${i.step}` }));
        if (i.kind === 'audio' && i.src) li.append(el('audio', { attrs: { controls: '', preload: 'none', src: i.src } }));
        else if (i.kind === 'video' && i.src) li.append(el('video', { attrs: { controls: '', preload: 'none', src: i.src } }));
        li.append(el('span', { className: 'media-file-path', text: `${i.path} (${formatBytes(i.size)})` }));
        if (i.problem) li.append(el('span', { className: 'media-missing', text: i.problem }));
        if (i.caption !== undefined) li.append(el('span', { className: 'cell-caption', text: i.caption }));
        return li;
      }),
    );
  }
}

const SECTIONS: readonly { readonly id: string; readonly title: string; readonly kinds: readonly string[] }[] = [
  { id: 'images', title: 'Images', kinds: ['image'] },
  { id: 'plots', title: 'Plots', kinds: ['plot'] },
  { id: 'histograms', title: 'Histograms', kinds: ['histogram'] },
  { id: 'tables', title: 'Tables', kinds: ['table'] },
  { id: 'files', title: 'Audio, video and HTML', kinds: ['audio', 'video', 'html'] },
];

export class MediaView {
  readonly element = el('div', 'media-view');
  private readonly _empty = el('div', { className: 'empty-state', text: 'No media logged yet. Log runlog.Image, Table, Histogram or a plot to see it here.' });
  private readonly _sections = new Map<string, Section>();
  private readonly _cards = new Map<string, Card>();
  private readonly _waiting = new Map<number, (reply: TableRowsMessage) => void>();
  private _nextId = 1;
  private _requested = false;
  private readonly _prefetch: MediaPrefetch;

  constructor(private readonly _post: (message: MediaToHost) => void, private readonly _compare = false) {
    this._prefetch = new MediaPrefetch(this.ask, TABLE_PAGE_ROWS);
    this.element.append(this._empty);
  }

  /** Shows the index posted ahead, if any, and asks the host for it once (the tab became visible); later indexes are pushed. */
  show(): void {
    if (this._requested) return;
    this._requested = true;
    const held = this._prefetch.items;
    if (held) this.setItems(held);
    this._post({ type: 'requestMedia', have: held !== undefined });
  }

  reset(): void {
    this._requested = false;
    this._prefetch.clear();
    this._cards.clear();
    this._sections.clear();
    this.element.replaceChildren(this._empty);
  }

  applyTheme(): void {
    for (const card of this._cards.values()) if (card instanceof HistogramCard || card instanceof PlotCard) card.applyTheme();
  }

  onTableRows(message: TableRowsMessage): void {
    markOnce('tablePage');
    const resolve = this._waiting.get(message.requestId);
    this._waiting.delete(message.requestId);
    resolve?.(message);
  }

  private request = (r: TableRequest): Promise<TableRowsMessage> => this._prefetch.take(r) ?? this.ask(r);

  private ask = (r: TableRequest): Promise<TableRowsMessage> => {
    const requestId = this._nextId++;
    return new Promise((resolve) => {
      this._waiting.set(requestId, resolve);
      this._post({ type: 'requestTableRows', requestId, ...r });
    });
  };

  setItems(items: readonly MediaItemView[]): void {
    markOnce('mediaIndex');
    // Posted ahead (the tab is not shown yet): held, and what the first frame shows is loaded.
    if (!this._requested) return this._prefetch.hold(items);
    this.render(items);
    this.markShown();
  }

  /** Marks the first frame that shows the view with an index (and an image already loaded while hidden). */
  private markShown(): void {
    if (marked('mediaShown')) return;
    requestAnimationFrame(() => {
      if (!this.element.checkVisibility()) return;
      markOnce('mediaShown');
      if ([...this.element.querySelectorAll('img')].some((img) => img.complete && img.naturalWidth > 0 && img.checkVisibility())) markOnce('firstImage');
    });
  }

  private render(items: readonly MediaItemView[]): void {
    this._empty.hidden = items.length > 0;
    const groups = new Map<string, MediaItemView[]>();
    for (const item of items) {
      // Histograms and plots are per run on the compare page; images and tables line runs up.
      const perRun = this._compare && (item.kind === 'histogram' || item.kind === 'plot');
      const id = `${item.kind}\0${item.key}${perRun ? `\0${item.run}` : ''}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = []));
      g.push(item);
    }
    for (const [id, card] of this._cards) {
      if (groups.has(id)) continue;
      card.element.remove();
      this._cards.delete(id);
    }
    for (const id of [...groups.keys()].sort(compareNatural)) {
      const group = groups.get(id)!;
      const first = group[0]!;
      let card = this._cards.get(id);
      if (!card) {
        card = this.createCard(first);
        this._cards.set(id, card);
        this.section(first.kind).grid.append(card.element);
      }
      void card.setItems(group);
    }
  }

  private createCard(item: MediaItemView): Card {
    const label = this._compare ? item.runName : undefined;
    switch (item.kind) {
      case 'image':
        return new ImageCard(item.key, this._compare);
      case 'histogram':
        return new HistogramCard(item.key, label);
      case 'plot':
        return new PlotCard(item.key, this.request, label);
      case 'table':
        return new TableCard(item.key, this.request, this._compare);
      default:
        return new FileListCard(item.key);
    }
  }

  private section(kind: string): Section {
    const def = SECTIONS.find((s) => s.kinds.includes(kind)) ?? SECTIONS[SECTIONS.length - 1]!;
    let s = this._sections.get(def.id);
    if (!s) {
      const grid = el('div', `media-grid media-grid-${def.id}`);
      s = { element: el('section', { className: `media-section media-section-${def.id}`, attrs: { 'data-section': def.id } }, el('h2', { className: 'media-section-title', text: def.title }), grid), grid };
      this._sections.set(def.id, s);
      // Sections keep SECTIONS' order whatever order they appear in.
      const order = SECTIONS.map((x) => x.id);
      const after = [...this._sections.entries()].filter(([id]) => order.indexOf(id) > order.indexOf(def.id)).map(([, v]) => v.element).find((e) => e.isConnected);
      if (after) this.element.insertBefore(s.element, after);
      else this.element.append(s.element);
    }
    return s;
  }
}
