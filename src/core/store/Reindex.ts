// Rebuilding the index from the run folders a slice at a time, for a store too big to rebuild in
// one synchronous call: each slice resets and re-reads a few hundred runs in one transaction, then
// yields, so the editor stays responsive, progress can be shown and the rebuild cancelled. The
// index stays whole throughout: a run not reached yet keeps its previous rows, so a cancelled
// rebuild loses nothing (the runs it reached are rebuilt, the others are as they were).

import type { IngestFailure, ReindexOptions, ReindexResult } from '../model';
import type { Db } from '../index/schema';
import { ChangeCollector } from '../ingest/changes';
import type { StoreIngestor } from '../ingest/StoreIngestor';

/** Runs reset and re-read per transaction (and between two yields). */
const SLICE_RUNS = 250;

export async function reindexInSlices(db: Db, ingestor: StoreIngestor, options: ReindexOptions): Promise<ReindexResult> {
  const scratch = new ChangeCollector();
  const runs = [...ingestor.discover().runs.values()];
  const failures: IngestFailure[] = [];
  let done = 0;
  options.onProgress?.(0, runs.length);
  while (done < runs.length) {
    if (options.cancelled?.()) return { done, total: runs.length, cancelled: true, failures };
    const slice = runs.slice(done, done + SLICE_RUNS);
    db.transaction(() => {
      for (const location of slice) {
        try {
          const rid = db.prepare('SELECT rid FROM runs WHERE project = ? AND id = ?').pluck().get(location.project, location.id) as number | undefined;
          if (rid !== undefined) ingestor.removeRun(rid);
          ingestor.ingestRun(location, scratch);
        } catch (error) {
          // This run's savepoint rolled back (its old rows stay); the slice goes on.
          failures.push({ run: `${location.project}/${location.id}`, file: location.dir, message: (error as Error).message });
        }
      }
    }).immediate();
    done += slice.length;
    options.onProgress?.(done, runs.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Runs whose folder is gone and projects that were removed: one ordinary pass (finds nothing new).
  failures.push(...ingestor.pass(scratch));
  return { done, total: runs.length, cancelled: false, failures };
}
