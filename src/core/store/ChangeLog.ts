// The index's change log: every process that ingests or edits appends what changed; every
// process with the index open reads what the others appended. Ingest positions live in the
// index, so the process that reads new bytes first is the only one to see them as new: without
// the log, another window would show a run only once it ingested something of it itself.

import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { parseJson, stringifyJson } from '../format/json';
import type { Db } from '../index/schema';
import type { StoreChange } from '../model';

/** Rows kept; a reader further behind than this hears "rebuilt" and reloads everything. */
const KEEP = 20_000;

export class ChangeLog {
  /** This connection's name in the log, so it skips its own rows. */
  readonly writer = randomUUID();
  private seen: number;
  /** Changes not yet in the log (the write failed, e.g. the index was busy): tried again. */
  private unwritten: StoreChange[] = [];
  private readonly append: Statement | undefined;
  private readonly trim: Statement | undefined;
  private readonly after: Statement;
  private readonly oldest: Statement;

  constructor(
    private readonly db: Db,
    writable: boolean,
  ) {
    this.append = writable ? db.prepare('INSERT INTO change_log (writer, changes) VALUES (?, ?)') : undefined;
    this.trim = writable ? db.prepare('DELETE FROM change_log WHERE seq <= ?') : undefined;
    this.after = db.prepare('SELECT seq, writer, changes FROM change_log WHERE seq > ? ORDER BY seq');
    this.oldest = db.prepare('SELECT min(seq) FROM change_log').pluck();
    this.seen = this.head();
  }

  /** The newest sequence number in the log (0 when empty). */
  private head(): number {
    return (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").pluck().get() as number | undefined) ?? 0;
  }

  /** Appends this process's changes. Never throws: a failed write is retried with the next. */
  write(changes: readonly StoreChange[]): void {
    if (!this.append || changes.length === 0) return;
    this.unwritten.push(...changes);
    try {
      const seq = Number(this.append.run(this.writer, stringifyJson(this.unwritten)).lastInsertRowid);
      this.unwritten = [];
      if (seq % 1000 === 0) this.trim!.run(seq - KEEP);
    } catch {
      // Busy past the timeout or read-only for a moment: the next write carries these too.
      if (this.unwritten.length > 10_000) this.unwritten = [{ kind: 'rebuilt', reason: 'many changes' }];
    }
  }

  /** What other processes logged since the last call. */
  read(): StoreChange[] {
    const rows = this.after.all(this.seen) as { seq: number; writer: string; changes: string }[];
    const out: StoreChange[] = [];
    if (rows.length === 0) return out;
    const oldest = this.oldest.get() as number | null;
    if (oldest !== null && this.seen > 0 && oldest > this.seen + 1) {
      // Rows this reader never saw were trimmed: say so, so views reload.
      out.push({ kind: 'rebuilt', reason: 'the store changed more than this window could follow' }, { kind: 'projects' });
    }
    for (const row of rows) {
      this.seen = row.seq;
      if (row.writer === this.writer) continue;
      try {
        out.push(...(parseJson(row.changes) as StoreChange[]));
      } catch {
        out.push({ kind: 'projects' });
      }
    }
    return out;
  }
}
