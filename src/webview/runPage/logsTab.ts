// The Logs tab: the run's output, virtualized (only the lines in view are in the DOM and only
// blocks of lines near the view are fetched), ANSI colours rendered, stderr marked, search
// with a match count, follow-tail while the run is live.
import { parseAnsi, xtermColor, type AnsiSegment } from '../../common/ansi';
import type { LogMatchesMessage } from '../../common/runPageProtocol';
import type { OutputLine } from '../../core/model';
import { button, debounce, el, icon } from '../shared/dom';
import { formatTime, plural } from '../shared/format';
import { VirtualRows } from '../shared/virtualRows';
import type { RunPageContext } from './context';
import type { RunTab } from './tabs';

const BLOCK = 500;
const MAX_BLOCKS = 400;
export const LOG_ROW_HEIGHT = 18;

export class LogsTab implements RunTab {
  readonly element = el('div', { className: 'tab-panel logs-tab', attrs: { role: 'tabpanel', id: 'panel-logs', 'aria-labelledby': 'tab-logs' } });
  private readonly _scroller = el('div', { className: 'log-scroller', attrs: { tabindex: '0', role: 'log', 'aria-label': 'Run output' } });
  private readonly _body = el('div', 'log-body');
  private readonly _rows: VirtualRows;
  private readonly _blocks = new Map<number, readonly OutputLine[]>();
  private readonly _pending = new Set<number>();
  private readonly _search = el('input', { className: 'filter-input', attrs: { type: 'search', placeholder: 'Search output', 'aria-label': 'Search output' } });
  private readonly _matchCount = el('span', { className: 'match-count', attrs: { 'aria-live': 'polite' } });
  private readonly _follow = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Follow output' } });
  private readonly _lineCount = el('span', 'toolbar-status');
  private readonly _empty = el('div', 'empty-state log-empty', el('h2', { text: 'No output yet' }), el('p', { text: 'What the script prints to stdout and stderr appears here.' }));
  private _total = 0;
  private _query = '';
  private _matches: readonly number[] = [];
  private _matchSet = new Set<number>();
  private _current = -1;
  private _limited = false;
  private _requestId = 0;
  private _programmaticScroll = false;
  private _built = false;
  private _lastSearchAt = 0;

  constructor(private readonly _ctx: RunPageContext) {
    this._rows = new VirtualRows({
      scroller: this._scroller,
      body: this._body,
      rowHeight: LOG_ROW_HEIGHT,
      createRow: () => el('div', 'log-row', el('span', 'ln'), el('span', 'lt')),
      renderRow: (row, index) => this.renderRow(row, index),
    });
    this._scroller.append(this._body);
    this._search.addEventListener('input', debounce(() => this.startSearch(), 250));
    this._search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (this._search.value !== this._query) this.startSearch();
        else this.step(e.shiftKey ? -1 : 1);
      }
    });
    this._follow.checked = _ctx.state.followLogs;
    this._follow.addEventListener('change', () => {
      this._ctx.update({ followLogs: this._follow.checked });
      if (this._follow.checked) this.scrollToEnd();
    });
    this._scroller.addEventListener('scroll', () => {
      if (this._programmaticScroll) {
        this._programmaticScroll = false;
        return;
      }
      const atEnd = this._rows.isAtEnd();
      if (this._follow.checked !== atEnd && this._ctx.hasRun && this._ctx.run.state === 'running') {
        this._follow.checked = atEnd;
        this._ctx.update({ followLogs: atEnd });
      }
    });
    const toolbar = el(
      'div',
      'toolbar',
      el('label', 'search-box', icon('search'), this._search),
      this._matchCount,
      button({ icon: 'up', title: 'Previous match (Shift+Enter)', onClick: () => this.step(-1) }),
      button({ icon: 'down', title: 'Next match (Enter)', onClick: () => this.step(1) }),
      el('label', 'control checkbox', this._follow, el('span', { text: 'Follow' })),
      this._lineCount,
      el('span', 'spacer'),
      button({ icon: 'open', label: 'Open in Editor', onClick: () => this._ctx.post({ type: 'logAction', action: 'openInEditor' }) }),
      button({ icon: 'save', label: 'Save As…', onClick: () => this._ctx.post({ type: 'logAction', action: 'saveAs' }) }),
    );
    this.element.append(toolbar, this._scroller, this._empty);
  }

  show(): void {
    if (!this._built) {
      this._built = true;
      this._total = this._ctx.run.outputLines;
      this._lineCount.textContent = plural(this._total, 'line');
      this._empty.hidden = this._total > 0;
      this._scroller.hidden = this._total === 0;
      this._rows.setCount(this._total);
      if (this._ctx.state.followLogs && this._ctx.run.state === 'running') this.scrollToEnd();
    }
    this._rows.render();
  }

  update(): void {
    this.setTotal(this._ctx.run.outputLines);
  }

  reset(): void {
    this._blocks.clear();
    this._pending.clear();
    this._total = 0;
    this._built = false;
  }

  setTotal(total: number): void {
    if (total === this._total && this._built) return;
    const grew = total > this._total;
    // The last block was partial: fetch it again with the new lines.
    if (grew) {
      const lastBlock = Math.floor(Math.max(0, this._total - 1) / BLOCK);
      const cached = this._blocks.get(lastBlock);
      if (cached && cached.length < BLOCK) this._blocks.delete(lastBlock);
    }
    if (total < this._total) {
      this._blocks.clear();
    }
    this._total = total;
    this._lineCount.textContent = plural(total, 'line');
    this._empty.hidden = total > 0;
    this._scroller.hidden = total === 0;
    if (!this._built) return;
    this._rows.setCount(total);
    if (grew && this._follow.checked) this.scrollToEnd();
    if (grew && this._query && Date.now() - this._lastSearchAt > 1000) this.startSearch(true);
  }

  private scrollToEnd(): void {
    this._programmaticScroll = true;
    this._rows.scrollToEnd();
  }

  private line(index: number): OutputLine | undefined {
    const block = Math.floor(index / BLOCK);
    const lines = this._blocks.get(block);
    if (lines) return lines[index - block * BLOCK];
    if (!this._pending.has(block)) {
      this._pending.add(block);
      this._ctx.post({ type: 'requestLines', from: block * BLOCK, count: BLOCK });
    }
    return undefined;
  }

  onLines(from: number, lines: readonly OutputLine[]): void {
    const block = Math.floor(from / BLOCK);
    this._pending.delete(block);
    this._blocks.set(block, lines);
    if (this._blocks.size > MAX_BLOCKS) {
      const { first, last } = this._rows.visibleRange;
      for (const b of this._blocks.keys()) {
        if (this._blocks.size <= MAX_BLOCKS) break;
        if (b < Math.floor(first / BLOCK) || b > Math.floor(last / BLOCK)) this._blocks.delete(b);
      }
    }
    this._rows.render();
  }

  private renderRow(row: HTMLElement, index: number): void {
    const ln = row.firstChild as HTMLElement;
    const lt = row.lastChild as HTMLElement;
    ln.textContent = String(index + 1);
    const line = this.line(index);
    row.classList.toggle('match', this._matchSet.has(index));
    row.classList.toggle('current-match', this._matches[this._current] === index);
    if (!line) {
      row.classList.remove('stderr');
      row.classList.add('pending');
      lt.textContent = '';
      return;
    }
    row.classList.remove('pending');
    row.classList.toggle('stderr', line.stream === 'stderr');
    row.title = `${line.stream} · ${formatTime(line.ts)}`;
    lt.replaceChildren(...renderSegments(parseAnsi(line.text), this._matchSet.has(index) ? this._query : ''));
  }

  private startSearch(keepPosition = false): void {
    const query = this._search.value;
    this._query = query;
    this._lastSearchAt = Date.now();
    if (!query.trim()) {
      this._matches = [];
      this._matchSet = new Set();
      this._current = -1;
      this._matchCount.textContent = '';
      this._rows.render();
      return;
    }
    this._requestId++;
    this._ctx.post({ type: 'searchLogs', requestId: this._requestId, query });
    if (!keepPosition) this._current = -1;
  }

  onMatches(message: LogMatchesMessage): void {
    if (message.requestId !== this._requestId) return;
    const previous = this._matches[this._current];
    this._matches = message.lines;
    this._matchSet = new Set(message.lines);
    this._limited = message.limited;
    if (previous !== undefined && this._matchSet.has(previous)) {
      this._current = this._matches.indexOf(previous);
    } else if (this._matches.length > 0) {
      const top = this._rows.visibleRange.first;
      const next = this._matches.findIndex((l) => l >= top);
      this._current = next >= 0 ? next : 0;
      this.reveal();
    } else {
      this._current = -1;
    }
    this.updateMatchCount();
    this._rows.render();
  }

  private updateMatchCount(): void {
    const n = this._matches.length;
    if (!this._query.trim()) this._matchCount.textContent = '';
    else if (n === 0) this._matchCount.textContent = 'No matches';
    else this._matchCount.textContent = `${this._current + 1} of ${n.toLocaleString('en')}${this._limited ? '+' : ''} matches`;
  }

  private step(delta: number): void {
    const n = this._matches.length;
    if (n === 0) return;
    this._current = (this._current + delta + n) % n;
    this.updateMatchCount();
    this.reveal();
  }

  private reveal(): void {
    const line = this._matches[this._current];
    if (line === undefined) return;
    if (this._follow.checked) {
      this._follow.checked = false;
      this._ctx.update({ followLogs: false });
    }
    this._programmaticScroll = true;
    this._rows.scrollToIndex(line, true);
    this._rows.render();
  }
}

function ansiClass(prefix: 'fg' | 'bg', color: AnsiSegment['style']['fg']): string | undefined {
  return color?.kind === 'palette' && color.index < 16 ? `ansi-${prefix}-${color.index}` : undefined;
}

function ansiColor(color: AnsiSegment['style']['fg']): string | undefined {
  if (!color) return undefined;
  if (color.kind === 'rgb') return `rgb(${color.r}, ${color.g}, ${color.b})`;
  if (color.index < 16) return undefined;
  const { r, g, b } = xtermColor(color.index);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Styled spans for a line; occurrences of `query` (case-insensitive) wrapped in <mark>. */
export function renderSegments(segments: readonly AnsiSegment[], query: string): Node[] {
  const nodes: Node[] = [];
  const q = query.toLowerCase();
  for (const seg of segments) {
    const s = seg.style;
    const plain = !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse && !s.strike;
    const parts = q ? splitMatches(seg.text, q) : [{ text: seg.text, match: false }];
    for (const part of parts) {
      if (plain && !part.match) {
        nodes.push(document.createTextNode(part.text));
        continue;
      }
      const span = document.createElement(part.match ? 'mark' : 'span');
      span.textContent = part.text;
      const classes = [
        ansiClass(s.inverse ? 'bg' : 'fg', s.fg),
        ansiClass(s.inverse ? 'fg' : 'bg', s.bg),
        s.bold ? 'ansi-bold' : undefined,
        s.dim ? 'ansi-dim' : undefined,
        s.italic ? 'ansi-italic' : undefined,
        s.underline ? 'ansi-underline' : undefined,
        s.strike ? 'ansi-strike' : undefined,
      ].filter((c): c is string => c !== undefined);
      if (classes.length > 0) span.className = classes.join(' ');
      // Colours beyond the 16 themed ones go through CSSOM, which the CSP allows.
      const fg = ansiColor(s.inverse ? s.bg : s.fg);
      const bg = ansiColor(s.inverse ? s.fg : s.bg);
      if (fg) span.style.color = fg;
      if (bg) span.style.backgroundColor = bg;
      nodes.push(span);
    }
  }
  return nodes;
}

function splitMatches(text: string, lowerQuery: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  let i = 0;
  while (i < text.length) {
    const at = lower.indexOf(lowerQuery, i);
    if (at < 0) break;
    if (at > i) out.push({ text: text.slice(i, at), match: false });
    out.push({ text: text.slice(at, at + lowerQuery.length), match: true });
    i = at + lowerQuery.length;
  }
  if (i < text.length) out.push({ text: text.slice(i), match: false });
  return out;
}
