// Prepared statements of the ingest, made once per connection and reused for every slice.

import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/schema';
import { RUN_COLUMNS } from '../store/rows';

export const HISTORY_BATCH = 64;

export class IngestStatements {
  readonly selectRun: Statement;
  readonly selectRunId: Statement;
  readonly insertRun: Statement;
  readonly updateRun: Statement;
  readonly deleteRun: Statement;
  readonly selectPos: Statement;
  readonly upsertPos: Statement;
  readonly insertProblem: Statement;
  readonly countProblems: Statement;
  readonly hasProblem: Statement;
  readonly deleteTorn: Statement;
  readonly selectKeys: Statement;
  readonly insertKey: Statement;
  readonly updateKey: Statement;
  readonly deleteKey: Statement;
  readonly upsertHistory: Statement;
  /** HISTORY_BATCH rows per call: one call per row costs more than SQLite's work for it. */
  readonly upsertHistoryBatch: Statement;
  readonly deleteHistoryAfter: Statement;
  readonly scanHistory: Statement;
  readonly aggregateKey: Statement;
  readonly lastValue: Statement;
  readonly selectLod: Statement;
  readonly upsertLod: Statement;
  readonly deleteLodRange: Statement;
  readonly deleteLodKey: Statement;
  readonly deleteConfig: Statement;
  readonly insertConfig: Statement;
  readonly upsertSummary: Statement;
  readonly deleteTags: Statement;
  readonly insertTag: Statement;
  readonly upsertFile: Statement;
  readonly insertArtifact: Statement;
  readonly insertAlert: Statement;
  readonly upsertMedia: Statement;
  readonly deleteMediaAfter: Statement;
  readonly selectSystemKeys: Statement;
  readonly insertSystemKey: Statement;
  readonly upsertSystem: Statement;
  readonly upsertOutput: Statement;
  readonly appendOutput: Statement;
  readonly deleteRunLod: Statement;
  readonly deleteFromRunTables: readonly Statement[];

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.selectRun = p('SELECT * FROM runs WHERE rid = ?');
    this.selectRunId = p('SELECT rid FROM runs WHERE project = ? AND id = ?').pluck();
    this.insertRun = p('INSERT INTO runs (project, id, dir, name) VALUES (?, ?, ?, ?)');
    const assignments = RUN_COLUMNS.filter((c) => c !== 'rid').map((c) => `${c} = @${c}`).join(', ');
    this.updateRun = p(`UPDATE runs SET ${assignments} WHERE rid = @rid`);
    this.deleteRun = p('DELETE FROM runs WHERE rid = ?');
    this.selectPos = p('SELECT * FROM ingest_files WHERE run = ? AND file = ?');
    this.upsertPos = p(`INSERT INTO ingest_files (run, file, offset, line, size, mtime, ino, refused) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run, file) DO UPDATE SET offset = excluded.offset, line = excluded.line, size = excluded.size,
      mtime = excluded.mtime, ino = excluded.ino, refused = excluded.refused`);
    this.insertProblem = p('INSERT OR IGNORE INTO ingest_problems (run, file, line, kind, message) VALUES (?, ?, ?, ?, ?)');
    this.countProblems = p('SELECT count(*) FROM ingest_problems WHERE run = ? AND file = ?').pluck();
    this.hasProblem = p('SELECT count(*) FROM ingest_problems WHERE run = ? AND file = ? AND line = ? AND kind = ?').pluck();
    this.deleteTorn = p("DELETE FROM ingest_problems WHERE run = ? AND file = ? AND kind = 'torn' AND line <= ?");
    this.selectKeys = p('SELECT * FROM metric_keys WHERE run = ?');
    this.insertKey = p('INSERT INTO metric_keys (run, key) VALUES (?, ?)');
    this.updateKey = p('UPDATE metric_keys SET count = ?, first_step = ?, last_step = ?, min = ?, max = ?, last = ? WHERE kid = ?');
    this.deleteKey = p('DELETE FROM metric_keys WHERE kid = ?');
    this.upsertHistory = p(`INSERT INTO history (run, key, step, value, ts) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run, key, step) DO UPDATE SET value = excluded.value, ts = excluded.ts`);
    this.upsertHistoryBatch = p(`INSERT INTO history (run, key, step, value, ts) VALUES ${Array.from({ length: HISTORY_BATCH }, () => '(?, ?, ?, ?, ?)').join(', ')}
      ON CONFLICT (run, key, step) DO UPDATE SET value = excluded.value, ts = excluded.ts`);
    this.deleteHistoryAfter = p('DELETE FROM history WHERE run = ? AND key = ? AND step > ?');
    this.scanHistory = p('SELECT step, value, ts FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step').raw();
    this.aggregateKey = p('SELECT count(*) AS count, min(step) AS first, max(step) AS last, min(value) AS min, max(value) AS max FROM history WHERE run = ? AND key = ?');
    this.lastValue = p('SELECT value FROM history WHERE run = ? AND key = ? ORDER BY step DESC LIMIT 1').pluck();
    this.selectLod = p('SELECT count, min_step, min_value, min_ts, max_step, max_value, max_ts FROM history_lod WHERE key = ? AND level = ? AND block = ?').raw();
    this.upsertLod = p('INSERT OR REPLACE INTO history_lod VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteLodRange = p('DELETE FROM history_lod WHERE key = ? AND level = ? AND block BETWEEN ? AND ?');
    this.deleteLodKey = p('DELETE FROM history_lod WHERE key = ?');
    this.deleteRunLod = p('DELETE FROM history_lod WHERE key IN (SELECT kid FROM metric_keys WHERE run = ?)');
    this.deleteConfig = p('DELETE FROM config WHERE run = ?');
    this.insertConfig = p('INSERT OR REPLACE INTO config (run, key, value) VALUES (?, ?, ?)');
    this.upsertSummary = p('INSERT OR REPLACE INTO summary (run, key, value) VALUES (?, ?, ?)');
    this.deleteTags = p('DELETE FROM tags WHERE run = ?');
    this.insertTag = p('INSERT OR IGNORE INTO tags (run, tag) VALUES (?, ?)');
    this.upsertFile = p('INSERT OR REPLACE INTO files (run, path, size, mtime) VALUES (?, ?, ?, ?)');
    this.insertArtifact = p('INSERT INTO artifacts (run, direction, name, type, version, digest, size, path, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertAlert = p('INSERT INTO alerts (run, ts, title, text, level) VALUES (?, ?, ?, ?, ?)');
    this.upsertMedia = p('INSERT OR REPLACE INTO media (run, key, step, idx, kind, path, size, sha256, ts, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteMediaAfter = p('DELETE FROM media WHERE run = ? AND step > ?');
    this.selectSystemKeys = p('SELECT skid, key FROM system_keys WHERE run = ?');
    this.insertSystemKey = p('INSERT INTO system_keys (run, key) VALUES (?, ?)');
    this.upsertSystem = p('INSERT OR REPLACE INTO system (run, key, idx, ts, value) VALUES (?, ?, ?, ?, ?)');
    this.upsertOutput = p('INSERT OR REPLACE INTO output (run, line, ts, stream, text) VALUES (?, ?, ?, ?, ?)');
    this.appendOutput = p('UPDATE output SET text = text || ? WHERE run = ? AND line = ?');
    this.deleteFromRunTables = [
      'config', 'history', 'summary', 'tags', 'system_keys', 'system', 'output', 'files', 'artifacts', 'alerts', 'ingest_files', 'ingest_problems', 'metric_keys', 'media',
    ].map((table) => p(`DELETE FROM ${table} WHERE run = ?`));
  }
}
