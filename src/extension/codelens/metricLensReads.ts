// What the metric lenses of a file read from the store (the run shown, its metrics, each key's
// trend), kept per file until the store changes: VS Code asks for a document's lenses again on
// edits, scrolls and every other file's refresh, and an unchanged store need not be read again.
// Pure: no vscode import.

import { realpathSync } from 'node:fs';
import { sparkline } from '../../common/sparkline';
import { isRunDataChange, type MetricKeyInfo, type RunDetail, type RunlogStore, type StoreChange } from '../../core/model';
import { metricsOfFile, type FileMetrics } from './metricLines';

/** Points read per metric for its trend (min/max buckets of the whole run). */
const TREND_BUCKETS = 16;

export type LensStore = Pick<RunlogStore, 'callsitesInFile' | 'getRun' | 'getHistory'>;

/** The newest run that logged from a file, and what its lenses show of it. */
export interface FileLensData {
  /** The run's keys by `log(` line (metricLines.ts). */
  readonly shown: FileMetrics;
  readonly run: RunDetail;
  readonly metrics: ReadonlyMap<string, MetricKeyInfo>;
  /** The key's trend sparkline ('' for a key whose last value is not a number); read once. */
  trend(key: string): string;
}

export class MetricLensReads {
  /** By file path; null: no run logged from the file. Emptied by every change that can alter a lens. */
  private readonly files = new Map<string, FileLensData | null>();

  constructor(private readonly store: () => LensStore | undefined) {}

  /** What the file's lenses show, read from the store only when it changed since the last read. */
  read(file: string): FileLensData | undefined {
    const store = this.store();
    if (!store) return undefined;
    let data = this.files.get(file);
    if (data === undefined) {
      data = readFile(store, file) ?? null;
      this.files.set(file, data);
    }
    return data ?? undefined;
  }

  storeChanged(changes: readonly StoreChange[]): void {
    if (changes.some(isRunDataChange)) this.files.clear();
  }

  /** Another store was opened (or none is). */
  clear(): void {
    this.files.clear();
  }
}

function readFile(store: LensStore, file: string): FileLensData | undefined {
  let callsites = store.callsitesInFile(file);
  if (callsites.length === 0) {
    try {
      const real = realpathSync(file);
      if (real !== file) callsites = store.callsitesInFile(real);
    } catch {
      // An unsaved or deleted file: its path is all there is.
    }
  }
  const shown = metricsOfFile(callsites);
  if (!shown) return undefined;
  const run = store.getRun(shown.run);
  if (!run) return undefined;
  const metrics = new Map(run.metrics.map((m) => [m.key, m]));
  const trends = new Map<string, string>();
  const trend = (key: string): string => {
    let t = trends.get(key);
    if (t === undefined) {
      t = typeof metrics.get(key)?.last === 'number' ? sparkline(store.getHistory(run.key, key, { buckets: TREND_BUCKETS }).values) : '';
      trends.set(key, t);
    }
    return t;
  };
  return { shown, run, metrics, trend };
}
