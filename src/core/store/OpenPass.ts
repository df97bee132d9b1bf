// The editor's open of a store, off the event loop's critical path: the store answers from the
// index it already has (its rows are valid from the previous session) while this pass checks the
// index file in a worker, lists the run folders asynchronously, compares them with the index a
// chunk at a time, and reads the runs that need it (new, vanished, live) in slices: each slice is
// one transaction, bounded in time, followed by a yield. Closing the store stops it between two
// slices; every committed slice stays, and a run not reached keeps its previous rows (or is found
// by the next listing).

import { runKey, type RunKey } from '../model';
import type { Db } from '../index/schema';
import { quickCheckInWorker, type QuickCheck } from '../index/quickCheck';
import type { ChangeCollector } from '../ingest/changes';
import { addProject, dropProjectIfGone } from '../ingest/projects';
import { listProjectsAsync, listRunIdsAsync, runLocation, type RunLocation } from '../ingest/scan';

/** Where an open in the background is: checking the index, listing folders, reading runs (`done` of `total`). */
export interface OpenProgress {
  /** `values`: an index migrated from before schema 9 fills its filter values (index/runValues.ts). */
  readonly phase: 'listing' | 'reading' | 'values';
  readonly done: number;
  readonly total: number;
}

export interface OpenResult {
  /** Runs read of those the listing asked for. */
  readonly done: number;
  readonly total: number;
  /** The store was closed before the pass ended (every slice read until then is kept). */
  readonly cancelled: boolean;
}

export interface OpenHost {
  readonly dir: string;
  readonly indexPath: string;
  /** The store's connection now (a damaged index is replaced by a new one). */
  db(): Db;
  /** True once the store is closed: the pass stops at its next step. */
  cancelled(): boolean;
  /** quick_check found the index damaged: set it aside for an empty one; returns why (for the `rebuilt` change). */
  replaceIndex(problem: string): string;
  /** Fills the filter values of up to SLICE_BUDGET_MS of runs of a migrated index; true when none is left. */
  fillValues(budgetMs: number): boolean;
  /** Reads these runs in one transaction and emits what changed. */
  readSlice(runs: Map<RunKey, RunLocation>): void;
  /** Where changes outside a slice (project rows) are collected, and their emit. */
  readonly changes: ChangeCollector;
  emit(): void;
  progress(progress: OpenProgress): void;
  /** Hands over the worker's stop, so closing the store stops the check. */
  checking(stop: (() => void) | undefined): void;
}

/** The time one slice may hold the event loop; the slice size adapts to it. */
const SLICE_BUDGET_MS = 40;
const MAX_SLICE_RUNS = 500;
/** Index rows compared with the listing per step. */
const ID_CHUNK = 5000;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The open pass of an index that is there (`rebuildReason` undefined: it is checked and compared
 * with the folders) or was just created empty (every listed run is read, a slice at a time).
 */
export async function openInBackground(host: OpenHost, rebuildReason: string | undefined): Promise<{ result: OpenResult; rebuilt: string | undefined }> {
  let rebuilt = rebuildReason;
  const stopped = (done = 0, total = 0) => ({ result: { done, total, cancelled: true }, rebuilt });
  host.progress({ phase: 'listing', done: 0, total: 0 });
  const check = rebuilt === undefined ? quickCheckInWorker(host.indexPath) : undefined;
  host.checking(check?.stop);
  let verdict: QuickCheck | undefined;
  let onDisk: string[];
  try {
    [verdict, onDisk] = await Promise.all([check?.result, listProjectsAsync(host.dir)]);
  } finally {
    host.checking(undefined);
  }
  if (host.cancelled()) return stopped();
  if (verdict && !verdict.ok) rebuilt = host.replaceIndex(`the index could not be used (${verdict.message})`);

  // What to read: [project, id] of the runs new on disk, gone from disk, or live.
  const targets: [string, string][] = [];
  const stored = host.db().prepare('SELECT name FROM projects').pluck().all() as string[];
  const listed = new Set(onDisk);
  for (const project of stored) {
    if (listed.has(project) || !dropProjectIfGone(host.db(), host.dir, project, host.changes)) continue;
    for (const id of host.db().prepare('SELECT id FROM runs WHERE project = ?').pluck().all(project) as string[]) targets.push([project, id]);
  }
  for (const project of onDisk) {
    addProject(host.db(), project, host.changes);
    const names = await listRunIdsAsync(host.dir, project);
    if (host.cancelled()) return stopped();
    const ids = new Set<string>();
    for (let i = 0; i < names.length; i += ID_CHUNK) {
      for (const id of names.slice(i, i + ID_CHUNK)) ids.add(id);
      await tick();
      if (host.cancelled()) return stopped();
    }
    // The index's runs of this project, a chunk at a time (a project may hold 100,000).
    let after = '';
    for (;;) {
      const chunk = host.db().prepare('SELECT id FROM runs WHERE project = ? AND id > ? ORDER BY id LIMIT ?').pluck().all(project, after, ID_CHUNK) as string[];
      for (const id of chunk) if (!ids.delete(id)) targets.push([project, id]); // indexed, folder gone
      await tick();
      if (host.cancelled()) return stopped();
      if (chunk.length < ID_CHUNK) break;
      after = chunk[chunk.length - 1]!;
    }
    for (const id of ids) targets.push([project, id]); // on disk, not indexed
  }
  for (const r of host.db().prepare("SELECT project, id FROM runs WHERE state = 'running'").all() as { project: string; id: string }[]) targets.push([r.project, r.id]);
  host.emit();

  let done = 0;
  let size = 16;
  host.progress({ phase: 'reading', done, total: targets.length });
  while (done < targets.length) {
    await tick();
    if (host.cancelled()) return stopped(done, targets.length);
    const slice = targets.slice(done, done + size);
    const t0 = performance.now();
    host.readSlice(new Map(slice.map(([project, id]) => [runKey(project, id), runLocation(host.dir, project, id)])));
    const ms = performance.now() - t0;
    done += slice.length;
    size = Math.max(1, Math.min(MAX_SLICE_RUNS, Math.round(size * Math.min(2, SLICE_BUDGET_MS / Math.max(ms, 0.1)))));
    host.progress({ phase: 'reading', done, total: targets.length });
  }
  if (!host.fillValues(0)) {
    host.progress({ phase: 'values', done: 0, total: 0 });
    do {
      await tick();
      if (host.cancelled()) return stopped(done, targets.length);
    } while (!host.fillValues(SLICE_BUDGET_MS));
  }
  return { result: { done, total: targets.length, cancelled: false }, rebuilt };
}
