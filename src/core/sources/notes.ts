// Notes about a source's files (a header-only file, a cut-off tail, corrupt chunks) reach the run
// as WARN alerts, each once, dated by the run's newest record so a note never makes a dead run
// look alive. Shared by `runlog import` (copies) and the in-place ingest (src/core/ingest/sourceRuns).

import type { SourceBatch } from './types';

export interface NotesState {
  /** Notes already written to the run. */
  readonly seen: readonly string[];
  /** The newest record time read so far (0: none). */
  readonly lastTs: number;
}

/** Appends an alert for each note not seen before to `batch.events`; returns the state to keep. */
export function addNoteAlerts(label: string, batch: SourceBatch, notes: readonly string[], before: NotesState | undefined, now: number): NotesState {
  const seen = new Set(before?.seen ?? []);
  let lastTs = before?.lastTs ?? 0;
  for (const list of [batch.events, batch.output, batch.system]) for (const r of list) if (r.ts > lastTs) lastTs = r.ts;
  for (const text of notes) {
    if (seen.has(text)) continue;
    seen.add(text);
    batch.events.push({ type: 'alert', ts: lastTs || now, title: `Read from ${label}`, text, level: 'WARN' });
  }
  return { seen: [...seen], lastTs };
}
