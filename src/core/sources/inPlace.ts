// A source's runs shown in a store in place: each run found under the roots gets a Runlog folder
// that holds only `source.json` (mode `in-place`, marker.ts) and, once someone edits it, its
// `edits.jsonl`; the index reads the run from the source's own files (ingest/sourceRuns.ts).
// A run the live mirror of earlier versions copied into the store (a marker with no mode) is
// converted: its copied records and files go, its edits stay, and it is read again in place.

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runKey, type RunKey } from '../model';
import { readMarker, writeMarker, type SourceMarker } from './marker';
import type { RunSource, SourceRunRef } from './types';

/** What the copy kept in a run's folder: removed when the run is converted to in place (edits.jsonl stays). */
const COPIED = ['events.jsonl', 'output.jsonl', 'system.jsonl', 'files', 'media'];

export interface LinkResult {
  /** Runs new to the store, converted, or whose source files changed since the last call: read them now. */
  readonly changed: RunKey[];
  /** Runs converted from a copy made by an earlier version. */
  readonly converted: RunKey[];
  readonly skipped: { readonly path: string; readonly reason: string }[];
}

export class InPlaceRuns {
  /** Each run's source signature when last handed out as changed. */
  private readonly seen = new Map<RunKey, string>();

  constructor(
    private readonly source: RunSource,
    readonly storeDir: string,
  ) {}

  /** Finds the runs under `roots` and makes sure each has its in-place folder in the store. */
  link(roots: readonly string[]): LinkResult {
    const { runs, skipped } = this.source.discover(roots);
    const result: LinkResult = { changed: [], converted: [], skipped: [...skipped] };
    for (const ref of runs) {
      const project = (ref as { project?: string }).project ?? this.source.name;
      const key = runKey(project, ref.id);
      const dir = join(this.storeDir, 'projects', project, 'runs', ref.id);
      const where = ref.dirs[0] ?? ref.id;
      const read = readMarker(dir);
      if (read && 'problem' in read) {
        result.skipped.push({ path: where, reason: read.problem });
        continue;
      }
      const marker = read?.marker;
      const wanted: SourceMarker = { source: this.source.name, sourceId: ref.sourceId, dirs: ref.dirs, mode: 'in-place' };
      if (marker === undefined) {
        if (existsSync(dir)) {
          result.skipped.push({ path: where, reason: `a Runlog run ${key} already exists` });
          continue;
        }
        mkdirSync(dir, { recursive: true });
        writeMarker(dir, wanted);
      } else if (marker.source !== this.source.name || marker.sourceId !== ref.sourceId) {
        result.skipped.push({ path: where, reason: `${key} holds another run (${marker.source} ${marker.sourceId})` });
        continue;
      } else if (marker.mode === 'copy') {
        continue; // a copy `runlog import` made on purpose: it grows when imported again
      } else if (marker.mode === undefined) {
        // The marker first: from then on the index reads the run in place and ignores the copy.
        writeMarker(dir, wanted);
        removeCopy(dir);
        result.converted.push(key);
      } else {
        if (JSON.stringify(marker.dirs) !== JSON.stringify(ref.dirs)) writeMarker(dir, wanted); // a resumed run's new folder
        if (existsSync(join(dir, 'events.jsonl'))) removeCopy(dir); // a conversion that was cut off
      }
      const sig = this.signature(ref);
      if (this.seen.get(key) === sig) continue;
      this.seen.set(key, sig);
      result.changed.push(key);
    }
    return result;
  }

  private signature(ref: SourceRunRef): string {
    return `${ref.dirs.join('|')}#${this.source.signature(ref)}`;
  }
}

function removeCopy(dir: string): void {
  for (const name of COPIED) rmSync(join(dir, name), { recursive: true, force: true });
}
