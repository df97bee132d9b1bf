// Prepared statements of the ingest, made once per connection and reused for every slice.

import type { Statement } from 'better-sqlite3';
import { RUN_TABLES, type Db } from '../index/schema';
import { RUN_COLUMNS, type RunRow } from '../index/rows';
import { durationParts } from '../index/duration';
import { HistoryStatements } from '../history/HistoryWriter';

export class IngestStatements {
  readonly selectRun: Statement;
  readonly selectRunId: Statement;
  readonly insertRun: Statement;
  /** Writes a whole runs row, with the duration columns derived from it (index/duration.ts). */
  readonly updateRun: { run(row: RunRow): void };
  readonly deleteRun: Statement;
  readonly selectPos: Statement;
  readonly upsertPos: Statement;
  readonly insertProblem: Statement;
  readonly countProblems: Statement;
  readonly hasProblem: Statement;
  readonly deleteTorn: Statement;
  readonly deleteConfig: Statement;
  readonly insertConfig: Statement;
  readonly upsertSummary: Statement;
  readonly upsertMetricDef: Statement;
  readonly deleteTags: Statement;
  readonly insertTag: Statement;
  readonly upsertFile: Statement;
  readonly insertArtifact: Statement;
  readonly insertAlert: Statement;
  readonly upsertMedia: Statement;
  readonly deleteMediaAfter: Statement;
  readonly upsertCallsite: Statement;
  readonly selectSystemKeys: Statement;
  readonly insertSystemKey: Statement;
  readonly upsertSystem: Statement;
  readonly upsertOutput: Statement;
  readonly appendOutput: Statement;
  readonly deleteFromRunTables: readonly Statement[];
  readonly history: HistoryStatements;

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.history = new HistoryStatements(db);
    this.selectRun = p('SELECT * FROM runs WHERE rid = ?');
    this.selectRunId = p('SELECT rid FROM runs WHERE project = ? AND id = ?').pluck();
    this.insertRun = p('INSERT INTO runs (project, id, dir, name) VALUES (?, ?, ?, ?)');
    const assignments = RUN_COLUMNS.filter((c) => c !== 'rid').map((c) => `${c} = @${c}`).join(', ');
    const updateRun = p(`UPDATE runs SET ${assignments}, closed_sec = @closed_sec, open_start = @open_start WHERE rid = @rid`);
    this.updateRun = { run: (row) => void updateRun.run({ ...row, ...durationParts(row) }) };
    this.deleteRun = p('DELETE FROM runs WHERE rid = ?');
    this.selectPos = p('SELECT * FROM ingest_files WHERE run = ? AND file = ?');
    this.upsertPos = p(`INSERT INTO ingest_files (run, file, offset, line, size, mtime, ino, refused) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run, file) DO UPDATE SET offset = excluded.offset, line = excluded.line, size = excluded.size,
      mtime = excluded.mtime, ino = excluded.ino, refused = excluded.refused`);
    this.insertProblem = p('INSERT OR IGNORE INTO ingest_problems (run, file, line, kind, message) VALUES (?, ?, ?, ?, ?)');
    this.countProblems = p('SELECT count(*) FROM ingest_problems WHERE run = ? AND file = ?').pluck();
    this.hasProblem = p('SELECT count(*) FROM ingest_problems WHERE run = ? AND file = ? AND line = ? AND kind = ?').pluck();
    this.deleteTorn = p("DELETE FROM ingest_problems WHERE run = ? AND file = ? AND kind = 'torn' AND line <= ?");
    this.deleteConfig = p('DELETE FROM config WHERE run = ?');
    this.insertConfig = p('INSERT OR REPLACE INTO config (run, key, value) VALUES (?, ?, ?)');
    this.upsertSummary = p('INSERT OR REPLACE INTO summary (run, key, value) VALUES (?, ?, ?)');
    this.upsertMetricDef = p('INSERT OR REPLACE INTO metric_defs (run, name, def) VALUES (?, ?, ?)');
    this.deleteTags = p('DELETE FROM tags WHERE run = ?');
    this.insertTag = p('INSERT OR IGNORE INTO tags (run, tag) VALUES (?, ?)');
    this.upsertFile = p('INSERT OR REPLACE INTO files (run, path, size, mtime) VALUES (?, ?, ?, ?)');
    this.insertArtifact = p('INSERT INTO artifacts (run, direction, name, type, version, digest, size, path, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertAlert = p('INSERT INTO alerts (run, ts, title, text, level) VALUES (?, ?, ?, ?, ?)');
    this.upsertMedia = p('INSERT OR REPLACE INTO media (run, key, step, idx, kind, path, size, sha256, ts, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteMediaAfter = p('DELETE FROM media WHERE run = ? AND step > ?');
    this.upsertCallsite = p('INSERT OR REPLACE INTO callsites (run, key, file, line) VALUES (?, ?, ?, ?)');
    this.selectSystemKeys = p('SELECT skid, key FROM system_keys WHERE run = ?');
    this.insertSystemKey = p('INSERT INTO system_keys (run, key) VALUES (?, ?)');
    this.upsertSystem = p('INSERT OR REPLACE INTO system (run, key, idx, ts, value) VALUES (?, ?, ?, ?, ?)');
    this.upsertOutput = p('INSERT OR REPLACE INTO output (run, line, ts, stream, text) VALUES (?, ?, ?, ?, ?)');
    this.appendOutput = p('UPDATE output SET text = text || ? WHERE run = ? AND line = ?');
    this.deleteFromRunTables = RUN_TABLES.map((table) => p(`DELETE FROM ${table} WHERE run = ?`));
  }
}
