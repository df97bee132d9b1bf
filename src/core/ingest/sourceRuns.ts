// Runs that live somewhere else (src/core/sources, e.g. W&B's offline folders), read in place:
// the run's Runlog folder holds only `source.json` (which source, which folders) and its
// `edits.jsonl`. Each ingest reads what the source's files gained since the cursor kept in the
// index and applies it through the same RunSession as Runlog's own files; the rows and the new
// cursor commit in one transaction, as a JSONL slice commits with its byte offset.

import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../index/schema';
import { blankRunRow, type RunRow } from '../index/rows';
import { runKey } from '../model';
import { isInPlace, markerRef, readMarker, SOURCE_MARKER, type SourceMarker } from '../sources/marker';
import { addNoteAlerts } from '../sources/notes';
import { sourceNamed } from '../sources/registry';
import { mergeChanges, type ChangeCollector } from './changes';
import { applyEntry } from './entries';
import { RunVanished } from './failures';
import { RunSession } from './RunSession';
import type { RunLocation } from './scan';
import type { Environment } from './state';
import type { IngestStatements } from './statements';

/** A source run whose files did not change is still read this often: its notes depend on whether it looks alive. */
export const SOURCE_RECHECK_S = 15;

interface SourceRow {
  readonly run: number;
  readonly source: string;
  readonly dirs: string;
  readonly cursor: string;
  readonly sig: string;
  readonly checked: number;
  readonly notes: string;
  readonly last_ts: number;
}

export class SourceRuns {
  private readonly select;
  private readonly upsert;
  /** Markers read, by run folder, with the marker file's size/time/inode they were read at. */
  private readonly markers = new Map<string, { sig: string; marker: SourceMarker | undefined }>();

  constructor(
    private readonly db: Db,
    private readonly st: IngestStatements,
    private readonly env: Environment,
    private readonly clearRunRows: (rid: number) => void,
  ) {
    this.select = db.prepare('SELECT * FROM sources WHERE run = ?');
    this.upsert = db.prepare('INSERT OR REPLACE INTO sources (run, source, dirs, cursor, sig, checked, notes, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** The in-place marker of run folder `dir`, or undefined (a Runlog run, or a copy). Read again only when the file changes. */
  marker(dir: string): SourceMarker | undefined {
    let sig: string;
    try {
      const st = lstatSync(join(dir, SOURCE_MARKER));
      if (!st.isFile()) throw new Error('not a file');
      sig = `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      this.markers.delete(dir);
      return undefined;
    }
    const cached = this.markers.get(dir);
    if (cached?.sig === sig) return cached.marker;
    const read = readMarker(dir);
    const marker = read && 'marker' in read && isInPlace(read.marker) ? read.marker : undefined;
    this.markers.set(dir, { sig, marker });
    return marker;
  }

  /** Reads what the run's source files gained; `beforeCommit` runs inside the transaction. */
  ingest(rid: number, location: RunLocation, marker: SourceMarker, changes: ChangeCollector, beforeCommit?: () => void): void {
    const source = sourceNamed(marker.source);
    const ref = markerRef(marker, location.project, location.id);
    const dirs = JSON.stringify(ref.dirs);
    const now = this.env.now();
    const sig = source ? source.signature(ref) : `unknown source ${marker.source}`;
    // Most passes find nothing new: say so without the write lock.
    const seen = this.select.get(rid) as SourceRow | undefined;
    if (seen && seen.sig === sig && seen.dirs === dirs && seen.source === marker.source && Math.abs(now - seen.checked) < SOURCE_RECHECK_S) return;
    const sliceChanges = this.db.transaction(() => {
      let row = this.st.selectRun.get(rid) as RunRow | undefined;
      if (!row) throw new RunVanished();
      let kept = this.select.get(rid) as SourceRow | undefined;
      if (kept && kept.source !== marker.source) kept = undefined;
      if (!kept) {
        // First read in place (or the run was indexed from copied files before): start over.
        this.clearRunRows(rid);
        row = blankRunRow(rid, location.project, location.id, location.dir);
      }
      const session = new RunSession(this.st, row);
      if (!source) {
        session.problem({ file: SOURCE_MARKER, line: 0, kind: 'invalid', message: `${SOURCE_MARKER}: this Runlog has no reader for source ${JSON.stringify(marker.source)}; the run's data is not shown. Update Runlog to read it.` });
        session.finish(this.env);
        this.upsert.run(rid, marker.source, dirs, 'null', sig, now, '[]', 0);
        beforeCommit?.();
        return session.changes;
      }
      const reader = source.open(ref, kept ? JSON.parse(kept.cursor) : undefined);
      const batch = reader.read(now);
      const notes = addNoteAlerts(source.label, batch, [...reader.notes(now), ...batch.problems], kept && { seen: JSON.parse(kept.notes) as string[], lastTs: kept.last_ts }, now);
      const label = `${source.label} records`;
      batch.events.forEach((record, i) => applyEntry(session, 'events', label, i + 1, record));
      batch.output.forEach((record, i) => applyEntry(session, 'output', label, i + 1, record));
      batch.system.forEach((record, i) => applyEntry(session, 'system', label, i + 1, record));
      // No record yet, but the source's files are being written: the run is starting, not dead.
      if (session.row.last_seen === null && session.row.heard_at === null && reader.state(now).state === 'running') session.row.heard_at = now;
      session.finish(this.env);
      this.upsert.run(rid, source.name, dirs, JSON.stringify(reader.cursor()), sig, now, JSON.stringify(notes.seen), notes.lastTs);
      beforeCommit?.();
      return session.changes;
    }).immediate();
    mergeChanges(changes, runKey(location.project, location.id), sliceChanges);
  }

  /** The source and folders of an in-place run, from the index. */
  static folders(db: Db, rid: number): { source: string; dirs: string[] } | undefined {
    const row = db.prepare('SELECT source, dirs FROM sources WHERE run = ?').get(rid) as { source: string; dirs: string } | undefined;
    return row && { source: row.source, dirs: JSON.parse(row.dirs) as string[] };
  }
}
