// What the Media tab's first frame needs, fetched while the tab is still hidden: the index the
// host posts once the run page's first chart is drawn is held here, the images the first frame
// shows are loaded into the page's image cache (the tiles' <img> elements of the same URLs then
// load from memory), and each table's first page is asked for. The tab renders from these when
// it is first shown.
import type { MediaItemView, TableRowsMessage } from '../../common/mediaProtocol';
import { compareNatural } from '../shared/sections';
import type { TableRequest } from './tableCard';

/** Images and tables of the first frame loaded ahead; more cards than this are rarely in view. */
const IMAGES = 8;
const TABLES = 4;

function pageKey(r: TableRequest): string {
  return JSON.stringify([r.run, r.key, r.step, r.index, r.offset, r.count]);
}

/** Per media key of `kind`, in the cards' order: the items at its latest step. */
function latestByKey(items: readonly MediaItemView[], kind: string): MediaItemView[][] {
  const byKey = new Map<string, MediaItemView[]>();
  for (const item of items) {
    if (item.kind !== kind) continue;
    const at = byKey.get(item.key);
    if (!at || item.step > at[0]!.step) byKey.set(item.key, [item]);
    else if (item.step === at[0]!.step) at.push(item);
  }
  return [...byKey.keys()].sort(compareNatural).map((k) => byKey.get(k)!);
}

export class MediaPrefetch {
  private _items: readonly MediaItemView[] | undefined;
  private _images: HTMLImageElement[] = [];
  private readonly _pages = new Map<string, Promise<TableRowsMessage>>();

  /** `pageRows`: a table card's first request (its page size), as the card will make it. */
  constructor(
    private readonly _ask: (request: TableRequest) => Promise<TableRowsMessage>,
    private readonly _pageRows: number,
  ) {}

  /** The held index, until the tab is shown. */
  get items(): readonly MediaItemView[] | undefined {
    return this._items;
  }

  /** Holds `items` for the tab's first show and starts loading what its first frame shows. */
  hold(items: readonly MediaItemView[]): void {
    this._items = items;
    const srcs = latestByKey(items, 'image').flat().map((i) => i.src).filter((src) => src !== '').slice(0, IMAGES);
    for (const src of srcs) {
      if (this._images.some((img) => img.src === src)) continue;
      const img = new Image();
      img.decoding = 'async';
      img.src = src;
      this._images.push(img);
    }
    for (const [item] of latestByKey(items, 'table').slice(0, TABLES)) {
      const request: TableRequest = { run: item!.run, key: item!.key, step: item!.step, index: item!.index, offset: 0, count: this._pageRows, sort: null, filter: '' };
      if (!this._pages.has(pageKey(request))) this._pages.set(pageKey(request), this._ask(request));
    }
  }

  /** The first page asked for ahead, once, when `request` is that request. */
  take(request: TableRequest): Promise<TableRowsMessage> | undefined {
    if (request.offset !== 0 || request.sort !== null || request.filter !== '') return undefined;
    const key = pageKey(request);
    const page = this._pages.get(key);
    this._pages.delete(key);
    return page;
  }

  clear(): void {
    this._items = undefined;
    this._images = [];
    this._pages.clear();
  }
}
