// Where each metric of a run is logged from (format 1.2's `callsite` records, written by ingest's
// RunSession): the file and line of the `log()` call that first logged it.

import type { Statement } from 'better-sqlite3';
import { runKey, type FileCallsite, type MetricCallsite } from '../model';
import type { Db } from '../index/schema';
import { START_SQL } from './filterSql';

export class CallsiteQueries {
  private readonly all: Statement;
  private readonly inFile: Statement;

  constructor(db: Db) {
    this.all = db.prepare('SELECT key, file, line FROM callsites WHERE run = ? ORDER BY file, line, key');
    this.inFile = db.prepare(`SELECT r.project, r.id, r.state, c.key, c.line FROM callsites c JOIN runs r ON r.rid = c.run
      WHERE c.file = ? ORDER BY ${START_SQL} DESC, r.id, c.line, c.key LIMIT ?`);
  }

  list(rid: number): MetricCallsite[] {
    return this.all.all(rid) as MetricCallsite[];
  }

  /** The metrics logged from `file`, newest run first. */
  inFileOf(file: string, limit: number): FileCallsite[] {
    const rows = this.inFile.all(file, limit) as { project: string; id: string; state: string; key: string; line: number }[];
    return rows.map((r) => ({ run: runKey(r.project, r.id), running: r.state === 'running', key: r.key, line: r.line }));
  }
}
