// The one message protocol between the run page webview and the extension host.
// Imported by both sides; the host validates everything that arrives from the webview.
import type { HistorySeries, RunDetail } from '../core/model';

export interface ReadyMessage {
  readonly type: 'ready';
}

export type RunPageToHost = ReadyMessage;

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly run: RunDetail;
  readonly series: readonly HistorySeries[];
}

export interface RunDeletedMessage {
  readonly type: 'runDeleted';
  readonly key: string;
}

export type HostToRunPage = SnapshotMessage | RunDeletedMessage;

/** Narrows an untrusted value from the webview to a known message, or undefined. */
export function parseRunPageMessage(value: unknown): RunPageToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  switch (type) {
    case 'ready':
      return { type: 'ready' };
    default:
      return undefined;
  }
}
