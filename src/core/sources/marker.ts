// `source.json`: the file in a Runlog run folder that says the run lives somewhere else.
// `mode: 'in-place'`: the run is read straight from the source's folders (the index keeps the
// reader's cursor); the folder holds only this file and the run's `edits.jsonl`.
// `mode: 'copy'` (or no mode: written before in-place reading existed): `runlog import` copied
// the run's records into the folder, and the cursor here says how far.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../format/records';
import type { SourceRunRef } from './types';

export const SOURCE_MARKER = 'source.json';

export interface SourceMarker {
  readonly source: string;
  readonly sourceId: string;
  readonly dirs: readonly string[];
  readonly mode?: 'in-place' | 'copy';
  /** Copies: the reader's cursor (in-place runs keep theirs in the index, with the rows it covers). */
  readonly cursor?: Json;
  /** Copies: notes already written to the run as alerts. */
  readonly notes?: readonly string[];
  /** Copies: the newest record time read so far. */
  readonly lastTs?: number;
}

export type MarkerRead = { readonly marker: SourceMarker } | { readonly problem: string } | undefined;

/** The marker in run folder `dir`: undefined when it has none, a problem when it cannot be read. */
export function readMarker(dir: string): MarkerRead {
  const path = join(dir, SOURCE_MARKER);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `${path} cannot be read (${(error as Error).message})` };
  }
  try {
    const m = JSON.parse(text) as Partial<SourceMarker>;
    if (typeof m.source !== 'string' || typeof m.sourceId !== 'string' || !Array.isArray(m.dirs) || !m.dirs.every((d) => typeof d === 'string')) {
      return { problem: `${path} is not a source marker (it needs source, sourceId and dirs)` };
    }
    return { marker: m as SourceMarker };
  } catch (error) {
    return { problem: `${path} is damaged (${(error as Error).message})` };
  }
}

/** Writes the marker under a temporary name renamed into place: a reader never sees half of it. */
export function writeMarker(dir: string, marker: SourceMarker): void {
  const path = join(dir, SOURCE_MARKER);
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(marker, null, 1));
  renameSync(`${path}.${process.pid}.tmp`, path);
}

export function isInPlace(marker: SourceMarker): boolean {
  return marker.mode === 'in-place';
}

/** The run a marker names, as its source reads it. */
export function markerRef(marker: SourceMarker, project: string, id: string): SourceRunRef & { readonly project: string } {
  return { source: marker.source, sourceId: marker.sourceId, id, project, dirs: marker.dirs };
}
