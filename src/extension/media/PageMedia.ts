// The media messages of a page (run or compare): the media index, posted once the page has asked
// for it (or ahead of that: prefetch) and again when the page's owner says it changed, and table
// pages on request.

import type * as vscode from 'vscode';
import type { RunlogStore } from '../../core/model';
import { assertNever } from '../../common/guards';
import type { MediaToHost, MediaToPage } from '../../common/mediaProtocol';
import { MediaFeed, type MediaRun } from './MediaFeed';

/** The runs a page shows now, with the open store; undefined when there is nothing to show. */
export type ShownMedia = () => { readonly store: RunlogStore; readonly runs: readonly MediaRun[] } | undefined;

export interface PageMediaOptions {
  /** Whether a table request may name `*` or a run not shown (the compare page); else it is dropped. */
  readonly anyRun: boolean;
}

export class PageMedia {
  private readonly _feed: MediaFeed;
  private _wanted = false;
  private _stale = false;
  /** An index was posted (and the page has not said it dropped it). */
  private _posted = false;

  constructor(
    webview: vscode.Webview,
    private readonly _shown: ShownMedia,
    private readonly _post: (message: MediaToPage) => void,
    private readonly _options: PageMediaOptions,
  ) {
    this._feed = new MediaFeed(webview);
  }

  /** The page asked for media: the index is pushed when it changes from then on. */
  get wanted(): boolean {
    return this._wanted;
  }

  /** The index changed since it was last posted (see markStale). */
  get stale(): boolean {
    return this._stale;
  }

  /** The shown runs' media changed; the owner posts the index when it flushes. */
  markStale(): void {
    this._stale = true;
  }

  async handle(message: MediaToHost): Promise<void> {
    switch (message.type) {
      case 'requestMedia':
        this._wanted = true;
        if (!message.have || !this._posted || this._stale) this.postIndex();
        return;
      case 'requestTableRows': {
        const shown = this._shown();
        if (!shown) return;
        if (!this._options.anyRun && !shown.runs.some((r) => r.key === message.run)) return;
        this._post(await this._feed.tableRows(shown.store, shown.runs, message));
        return;
      }
      default:
        assertNever(message);
    }
  }

  /** Posts the index before the page asks, once: the run page does after its first chart. */
  prefetch(): void {
    if (!this._wanted && !this._posted) this.postIndex();
  }

  postIndex(): void {
    this._posted = true;
    this._stale = false;
    const shown = this._shown();
    if (shown) this._post({ type: 'mediaIndex', items: this._feed.index(shown.store, shown.runs) });
  }
}
