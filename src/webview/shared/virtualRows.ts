// A list that renders only the rows in view, for 100k-line logs and thousand-run tables. Rows
// have one fixed height. Browsers cap an element's height (~33M px in Chromium), so past
// MAX_HEIGHT the scrollbar maps proportionally onto the rows.

const MAX_HEIGHT = 8_000_000;
const OVERSCAN = 8;

export interface VirtualRowsOptions {
  /** The scrolling element. */
  readonly scroller: HTMLElement;
  /** The element rows are placed in (inside the scroller, `position: relative`). */
  readonly body: HTMLElement;
  readonly rowHeight: number;
  /** Pixels of the scroller above `body` (a sticky header). */
  readonly offsetTop?: number;
  readonly createRow: () => HTMLElement;
  readonly renderRow: (row: HTMLElement, index: number) => void;
}

export class VirtualRows {
  private _count = 0;
  private readonly _pool: HTMLElement[] = [];
  private readonly _onScroll = (): void => this.render();
  private readonly _resize: ResizeObserver;
  private _first = 0;
  private _last = -1;

  constructor(private readonly _o: VirtualRowsOptions) {
    _o.scroller.addEventListener('scroll', this._onScroll, { passive: true });
    this._resize = new ResizeObserver(() => this.render());
    this._resize.observe(_o.scroller);
  }

  get count(): number {
    return this._count;
  }

  /** Index range currently rendered [first, last]. */
  get visibleRange(): { first: number; last: number } {
    return { first: this._first, last: this._last };
  }

  setCount(count: number): void {
    this._count = count;
    this._o.body.style.height = `${Math.min(count * this._o.rowHeight, MAX_HEIGHT)}px`;
    this.render();
  }

  private get _ratio(): number {
    const full = this._count * this._o.rowHeight;
    if (full <= MAX_HEIGHT) return 1;
    const view = this._o.scroller.clientHeight;
    return (full - view) / Math.max(1, MAX_HEIGHT - view);
  }

  /** Scrolls so that row `index` is in view (centred when `center`). */
  scrollToIndex(index: number, center = false): void {
    const h = this._o.rowHeight;
    const view = this._o.scroller.clientHeight - (this._o.offsetTop ?? 0);
    const virtualTop = this.virtualScrollTop();
    const rowTop = index * h;
    let target: number;
    if (center) target = rowTop - view / 2 + h / 2;
    else if (rowTop < virtualTop) target = rowTop;
    else if (rowTop + h > virtualTop + view) target = rowTop + h - view;
    else return;
    this._o.scroller.scrollTop = Math.max(0, target / this._ratio);
    this.render();
  }

  scrollToEnd(): void {
    this._o.scroller.scrollTop = this._o.scroller.scrollHeight;
    this.render();
  }

  /** True when the view shows the last row. */
  isAtEnd(slack = 4): boolean {
    const s = this._o.scroller;
    return s.scrollTop + s.clientHeight >= s.scrollHeight - slack;
  }

  private virtualScrollTop(): number {
    return this._o.scroller.scrollTop * this._ratio;
  }

  /** Re-renders the rows in view (their data changed). */
  render(): void {
    const { rowHeight: h, scroller, body } = this._o;
    const offset = this._o.offsetTop ?? 0;
    const view = Math.max(0, scroller.clientHeight - offset);
    const ratio = this._ratio;
    const scrollTop = scroller.scrollTop;
    const virtualTop = Math.max(0, scrollTop * ratio);
    const first = Math.max(0, Math.floor(virtualTop / h) - OVERSCAN);
    const last = Math.min(this._count - 1, Math.ceil((virtualTop + view) / h) + OVERSCAN);
    const needed = Math.max(0, last - first + 1);
    while (this._pool.length < needed) {
      const row = this._o.createRow();
      // Positioned by CSS (`position: absolute; left: 0`); only height and offset are set here.
      row.style.height = `${h}px`;
      this._pool.push(row);
      body.append(row);
    }
    for (let i = 0; i < this._pool.length; i++) {
      const row = this._pool[i]!;
      if (i >= needed) {
        row.hidden = true;
        continue;
      }
      const index = first + i;
      row.hidden = false;
      // In proportional mode rows sit relative to the real scroll position.
      const top = ratio === 1 ? index * h : scrollTop + (index * h - virtualTop);
      row.style.transform = `translateY(${top}px)`;
      row.dataset.index = String(index);
      this._o.renderRow(row, index);
    }
    this._first = first;
    this._last = last;
  }

  dispose(): void {
    this._o.scroller.removeEventListener('scroll', this._onScroll);
    this._resize.disconnect();
  }
}
