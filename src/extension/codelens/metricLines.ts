// Which metrics to show above which `log()` line of a file: the newest run (a live one first)
// that logged from the file, its keys grouped by line. Pure: no vscode import.

import type { FileCallsite, RunKey } from '../../core/model';

export interface LineMetrics {
  /** 0-based line of the document. */
  readonly line: number;
  readonly keys: readonly string[];
}

export interface FileMetrics {
  readonly run: RunKey;
  readonly lines: readonly LineMetrics[];
}

/** The run to show and its keys by line; `callsites` come newest run first (Store.callsitesInFile). */
export function metricsOfFile(callsites: readonly FileCallsite[]): FileMetrics | undefined {
  const run = (callsites.find((c) => c.running) ?? callsites[0])?.run;
  if (run === undefined) return undefined;
  const byLine = new Map<number, string[]>();
  for (const c of callsites) {
    if (c.run !== run) continue;
    const keys = byLine.get(c.line - 1) ?? [];
    keys.push(c.key);
    byLine.set(c.line - 1, keys);
  }
  const lines = [...byLine].sort((a, b) => a[0] - b[0]).map(([line, keys]) => ({ line, keys: keys.sort(compareKeys) }));
  return { run, lines };
}

/** `loss` before `val/loss`: top-level keys first, then by name. */
function compareKeys(a: string, b: string): number {
  const da = a.split('/').length;
  const db = b.split('/').length;
  return da !== db ? da - db : a < b ? -1 : a > b ? 1 : 0;
}

/** True when `text` (a document line) still holds a `log(` call: the line moved otherwise. */
export function isLogLine(text: string): boolean {
  const hash = text.indexOf('#');
  return /\blog\s*\(/.test(hash >= 0 ? text.slice(0, hash) : text);
}
