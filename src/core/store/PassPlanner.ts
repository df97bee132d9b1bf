// Decides what an ingest pass reads: the folders fs events named, or, on a poll tick, the live
// runs, the next slice of the indexed runs in turn and, now and then, every run folder listing
// (for the events that were missed). Only `sync()` and the open read the whole store.

import { runKey } from '../model';
import type { Db } from '../index/schema';
import { addChangedPath, emptyTargets, runLocation, type IngestTargets } from '../ingest/scan';
import type { StoreIngestor } from '../ingest/StoreIngestor';
import type { SyncScope } from './StoreWatcher';

/** Indexed runs the poll timer checks for new bytes on each tick, in turn (events name the rest). */
export const ROLLING_RUNS_PER_TICK = 500;
/** How often the poll timer lists every project's run folders (new and vanished runs no event named). */
export const LISTING_EVERY_S = 60;

export class PassPlanner {
  /** When every run folder was last listed (s, the store's clock). */
  private listedAt = 0;

  constructor(
    private readonly dir: string,
    private readonly now: () => number,
  ) {}

  /** A whole-store pass just listed everything. */
  listedAll(): void {
    this.listedAt = this.now();
  }

  /** An open that lists the run folders and reads the live runs (not every run's files). */
  openTargets(db: Db): IngestTargets {
    const targets = emptyTargets();
    this.addLive(targets, db);
    this.addListing(targets, db);
    return targets;
  }

  /** The targets of a pass for `scope` (never `all`: that is the whole-store pass). */
  targets(scope: Exclude<SyncScope, { kind: 'all' }>, db: Db, ingestor: StoreIngestor): IngestTargets {
    const targets = emptyTargets();
    if (scope.kind === 'paths') {
      for (const path of scope.paths) addChangedPath(targets, this.dir, path);
      return targets;
    }
    this.addLive(targets, db);
    for (const [key, location] of ingestor.rollingSlice(ROLLING_RUNS_PER_TICK)) targets.runs.set(key, location);
    if (Math.abs(this.now() - this.listedAt) >= LISTING_EVERY_S) this.addListing(targets, db);
    return targets;
  }

  private addLive(targets: IngestTargets, db: Db): void {
    for (const r of db.prepare("SELECT project, id FROM runs WHERE state = 'running'").all() as { project: string; id: string }[]) {
      targets.runs.set(runKey(r.project, r.id), runLocation(this.dir, r.project, r.id));
    }
  }

  private addListing(targets: IngestTargets, db: Db): void {
    this.listedAt = this.now();
    targets.listProjects = true;
    for (const name of db.prepare('SELECT name FROM projects').pluck().all() as string[]) targets.projects.add(name);
  }
}
