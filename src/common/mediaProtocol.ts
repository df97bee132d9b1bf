// Media messages shared by the run page and the compare page (both protocols include them).
// The host sends an index of a run's media (`mediaIndex`): when the page asks, or unasked once
// the run page's first chart is drawn (so the Media tab opens on it); table rows travel on request,
// a page at a time, sorted and filtered on the host, so a 100k-row table never crosses in one message.
import type { BoxLayer, OverlayClass } from '../core/media/overlays';
import { isBoundedString, isNonNegativeInt, isObject, type Obj } from './guards';

export type { BoxLayer, OverlayBox, OverlayClass } from '../core/media/overlays';

/** A segmentation mask over an image: a PNG of class ids, served like the image. */
export interface MaskLayerView {
  readonly name: string;
  readonly src: string;
  readonly problem?: string;
  readonly classes: readonly OverlayClass[];
}

export const MEDIA_LIMITS = {
  key: 65_536,
  rowsPerRequest: 2_000,
  filter: 1_000,
  runs: 100,
} as const;

/** Which columns a chart draws from its table (recorded by runlog.plot / wandb.plot). */
export interface ChartSpec {
  readonly type: string;
  readonly x?: string;
  readonly y?: string;
  readonly series?: string;
  readonly value?: string;
  readonly title?: string;
}

/** One media record as a page shows it. */
export interface MediaItemView {
  /** Run key (compare page: which run; run page: the run itself). */
  readonly run: string;
  readonly runName: string;
  readonly key: string;
  readonly step: number;
  readonly index: number;
  readonly kind: string;
  /** Relative to the run folder. */
  readonly path: string;
  /** A webview URI for images, audio and video inside the run folder; '' otherwise. */
  readonly src: string;
  /** Why there is no `src` (file missing, outside the run folder), for the page to say. */
  readonly problem?: string;
  readonly size: number;
  readonly caption?: string;
  readonly width?: number;
  readonly height?: number;
  readonly columns?: readonly string[];
  readonly rows?: number;
  readonly chart?: ChartSpec;
  readonly bins?: readonly number[];
  readonly counts?: readonly number[];
  /** Images: box sets and masks drawn over the image, each class shown or hidden by the page. */
  readonly boxes?: readonly BoxLayer[];
  readonly masks?: readonly MaskLayerView[];
}

export type MediaCell = number | string | boolean | null | { readonly image: string; readonly caption?: string; readonly problem?: string };

export interface TableSort {
  readonly column: number;
  readonly descending: boolean;
}

// ---- page → host ---------------------------------------------------------------------

/** The page shows media from now on; `have`: it holds the index the host last posted (prefetched), so only a newer one need come. */
export interface RequestMediaMessage {
  readonly type: 'requestMedia';
  readonly have?: boolean;
}

/** Rows [offset, offset+count) of a table (or a plot's table) after filter and sort. */
export interface RequestTableRowsMessage {
  readonly type: 'requestTableRows';
  readonly requestId: number;
  /** A run key, or `*` on the compare page: the shown runs' tables concatenated with a `run` column. */
  readonly run: string;
  readonly key: string;
  readonly step: number;
  readonly index: number;
  readonly offset: number;
  readonly count: number;
  readonly sort: TableSort | null;
  readonly filter: string;
}

export type MediaToHost = RequestMediaMessage | RequestTableRowsMessage;

// ---- host → page ---------------------------------------------------------------------

export interface MediaIndexMessage {
  readonly type: 'mediaIndex';
  readonly items: readonly MediaItemView[];
}

export interface TableRowsMessage {
  readonly type: 'tableRows';
  readonly requestId: number;
  readonly columns: readonly string[];
  /** Rows after the filter. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly (readonly MediaCell[])[];
  /** The table could not be read (file missing, not JSON, outside the run folder). */
  readonly error?: string;
}

export type MediaToPage = MediaIndexMessage | TableRowsMessage;

/** Narrows an untrusted value from a webview to a media message, or undefined. */
export function parseMediaMessage(value: unknown): MediaToHost | undefined {
  if (!isObject(value)) return undefined;
  const m: Obj = value;
  if (m.type === 'requestMedia') return { type: 'requestMedia', have: m.have === true };
  if (m.type !== 'requestTableRows') return undefined;
  const sort = m.sort === null ? null : isObject(m.sort) && isNonNegativeInt(m.sort.column, 100_000) && typeof m.sort.descending === 'boolean' ? { column: m.sort.column, descending: m.sort.descending } : undefined;
  if (
    !isNonNegativeInt(m.requestId, 2 ** 31) || !isBoundedString(m.run, 4_096) || !isBoundedString(m.key, MEDIA_LIMITS.key) ||
    !isNonNegativeInt(m.step) || !isNonNegativeInt(m.index, 1_000_000) || !isNonNegativeInt(m.offset) ||
    !isNonNegativeInt(m.count, MEDIA_LIMITS.rowsPerRequest) || sort === undefined || !isBoundedString(m.filter, MEDIA_LIMITS.filter)
  ) {
    return undefined;
  }
  return { type: 'requestTableRows', requestId: m.requestId, run: m.run, key: m.key, step: m.step, index: m.index, offset: m.offset, count: m.count, sort, filter: m.filter };
}
