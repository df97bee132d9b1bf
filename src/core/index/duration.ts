// A run's duration (its segments added up, the open one up to now) as the index keeps it:
// `runs.closed_sec` (the segments that have an end, summed) and `runs.open_start` (the start of
// the one counted up to now; NULL when none), written with every runs row (ingest/statements.ts),
// so a duration filter or sort is SQL. It must equal RunInfo.durationSec (readModel.ts) to the last bit.

import type { RunRow, Segment } from './rows';
import type { Db } from './schema';

export interface DurationParts {
  readonly closed_sec: number;
  readonly open_start: number | null;
}

/** The parts of `row`'s duration, segment by segment as readModel's closedSegments() closes them. */
export function durationParts(row: Pick<RunRow, 'state' | 'end_time' | 'last_seen' | 'segments'>): DurationParts {
  const segments = JSON.parse(row.segments) as Segment[];
  const running = row.state === 'running';
  let closed = 0;
  let open: number | null = null;
  segments.forEach((seg, i) => {
    if (seg.end !== null) {
      closed += Math.max(0, seg.end - seg.start);
      return;
    }
    const last = i === segments.length - 1;
    // Still going, or ended with no time known: counted up to now, as closedSegments() does.
    const end = last ? (running ? null : (row.end_time ?? row.last_seen)) : (seg.seen ?? seg.start);
    if (end === null) open = seg.start;
    else closed += Math.max(0, Math.max(seg.start, end) - seg.start);
  });
  return { closed_sec: closed, open_start: open };
}

/**
 * The duration in SQL over the `runs` row `r`, the clock a parameter: the closed segments, then the
 * open one (always the last), added in the segments' order as readModel.ts adds them.
 */
export const DURATION_SQL = '(r.closed_sec + CASE WHEN r.open_start IS NULL THEN 0 ELSE max(0, ? - r.open_start) END)';

/** Fills both columns of every run from its segments (the migration to schema 10). */
export function fillDurations(db: Db): void {
  const rows = db.prepare('SELECT rid, state, end_time, last_seen, segments FROM runs').all() as Pick<RunRow, 'rid' | 'state' | 'end_time' | 'last_seen' | 'segments'>[];
  const update = db.prepare('UPDATE runs SET closed_sec = ?, open_start = ? WHERE rid = ?');
  for (const row of rows) {
    const parts = durationParts(row);
    update.run(parts.closed_sec, parts.open_start, row.rid);
  }
}
