// The index's SQLite schema. Versioned with `PRAGMA user_version`; a database of a version this
// code does not know is rebuilt from the run directories (they are the source of truth).

import Database from 'better-sqlite3';
import { fillDurations } from './duration';

export type Db = Database.Database;

interface Migration {
  readonly version: number;
  readonly sql: string;
  /** Fills what the SQL added from the rows already there, in the same transaction. */
  readonly fill?: (db: Db) => void;
}

const MIGRATIONS: readonly Migration[] = [
  {
    // Version 2 added runs.sweep; version 3 runs.pid_start, heartbeat_sec and heard_at (liveness,
    // src/core/ingest/state.ts); version 4 the media table (format 1.1's media records). An older
    // index is not migrated but rebuilt from the run folders, so runs written before the upgrade
    // get their sweep id, process start time and media records too.
    version: 4,
    sql: `
      CREATE TABLE projects (name TEXT PRIMARY KEY) WITHOUT ROWID;

      CREATE TABLE media (
        mid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        ts REAL NOT NULL,
        fields TEXT NOT NULL,
        UNIQUE (run, key, step, idx)
      );

      CREATE TABLE runs (
        rid INTEGER PRIMARY KEY,
        project TEXT NOT NULL,
        id TEXT NOT NULL,
        dir TEXT NOT NULL,
        name TEXT NOT NULL,
        name_ts REAL NOT NULL DEFAULT -1,
        notes TEXT NOT NULL DEFAULT '',
        notes_ts REAL NOT NULL DEFAULT -1,
        tags TEXT NOT NULL DEFAULT '[]',
        tags_ts REAL NOT NULL DEFAULT -1,
        entity TEXT,
        run_group TEXT,
        job_type TEXT,
        sweep TEXT,
        state TEXT NOT NULL DEFAULT 'running',
        start_time REAL,
        end_time REAL,
        last_seen REAL,
        last_step INTEGER,
        exit_code INTEGER,
        pid INTEGER,
        host TEXT,
        pid_start REAL,
        heartbeat_sec REAL,
        heard_at REAL,
        program TEXT,
        command TEXT,
        cwd TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        fork_of TEXT,
        segments TEXT NOT NULL DEFAULT '[]',
        config_tree TEXT NOT NULL DEFAULT '{}',
        last_init_ts REAL,
        exit_ts REAL,
        exit_state TEXT,
        edit_state TEXT,
        edit_state_ts REAL,
        edit_code INTEGER,
        output_lines INTEGER NOT NULL DEFAULT 0,
        output_open INTEGER NOT NULL DEFAULT 0,
        output_stream TEXT,
        system_samples INTEGER NOT NULL DEFAULT 0,
        UNIQUE (project, id)
      );

      CREATE TABLE config (run INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (run, key)) WITHOUT ROWID;

      CREATE TABLE metric_keys (
        kid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        key TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        first_step INTEGER,
        last_step INTEGER,
        min REAL,
        max REAL,
        last TEXT,
        UNIQUE (run, key)
      );

      -- value: NaN is stored as NULL (SQLite has no NaN), +-Infinity as themselves.
      CREATE TABLE history (
        run INTEGER NOT NULL,
        key INTEGER NOT NULL,
        step INTEGER NOT NULL,
        value REAL,
        ts REAL NOT NULL,
        PRIMARY KEY (run, key, step)
      ) WITHOUT ROWID;

      -- Per-block extremes of each metric, maintained at ingest, so a downsampled chart of a
      -- million points reads thousands of rows. block = step / level.
      CREATE TABLE history_lod (
        key INTEGER NOT NULL,
        level INTEGER NOT NULL,
        block INTEGER NOT NULL,
        count INTEGER NOT NULL,
        min_step INTEGER, min_value REAL, min_ts REAL,
        max_step INTEGER, max_value REAL, max_ts REAL,
        PRIMARY KEY (key, level, block)
      ) WITHOUT ROWID;

      CREATE TABLE summary (run INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (run, key)) WITHOUT ROWID;
      CREATE TABLE tags (run INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (run, tag)) WITHOUT ROWID;
      CREATE INDEX tags_by_tag ON tags (tag);

      CREATE TABLE system_keys (skid INTEGER PRIMARY KEY, run INTEGER NOT NULL, key TEXT NOT NULL, UNIQUE (run, key));
      CREATE TABLE system (
        run INTEGER NOT NULL,
        key INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        ts REAL NOT NULL,
        value REAL,
        PRIMARY KEY (run, key, idx)
      ) WITHOUT ROWID;

      CREATE TABLE output (
        run INTEGER NOT NULL,
        line INTEGER NOT NULL,
        ts REAL NOT NULL,
        stream TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (run, line)
      ) WITHOUT ROWID;

      CREATE TABLE files (run INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL, PRIMARY KEY (run, path)) WITHOUT ROWID;

      CREATE TABLE artifacts (
        aid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        direction TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        version TEXT NOT NULL,
        digest TEXT NOT NULL,
        size INTEGER NOT NULL,
        path TEXT NOT NULL,
        ts REAL NOT NULL
      );
      CREATE INDEX artifacts_by_run ON artifacts (run);

      CREATE TABLE alerts (alid INTEGER PRIMARY KEY, run INTEGER NOT NULL, ts REAL NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, level TEXT NOT NULL);
      CREATE INDEX alerts_by_run ON alerts (run);

      -- How far each file of each run has been read. Committed with the data it covers.
      CREATE TABLE ingest_files (
        run INTEGER NOT NULL,
        file TEXT NOT NULL,
        offset INTEGER NOT NULL DEFAULT 0,
        line INTEGER NOT NULL DEFAULT 0,
        size INTEGER NOT NULL DEFAULT 0,
        mtime REAL NOT NULL DEFAULT 0,
        ino INTEGER NOT NULL DEFAULT 0,
        refused TEXT,
        PRIMARY KEY (run, file)
      ) WITHOUT ROWID;

      CREATE TABLE ingest_problems (
        run INTEGER NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (run, file, line, kind)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    sql: `
      -- What each ingest pass or edit changed, so every process with the index open (another
      -- window, a lingering extension host, the CLI) hears of changes another one ingested.
      -- Trimmed to the newest rows; sqlite_sequence keeps seq growing across a rebuild.
      CREATE TABLE change_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        writer TEXT NOT NULL,
        changes TEXT NOT NULL
      );
      -- The explorer's order (newest first) as the queries write it, so a page reads a page.
      CREATE INDEX runs_by_project_start ON runs (project, coalesce(start_time, last_seen, 0), id);
      CREATE INDEX runs_by_start ON runs (coalesce(start_time, last_seen, 0), id);
      CREATE INDEX runs_by_state ON runs (state);
    `,
  },
  {
    version: 6,
    sql: `
      -- define_metric records (README.md, On-disk format): one row per metric name or glob, the
      -- record's fields as JSON. Runs indexed before this version wrote no such records.
      CREATE TABLE metric_defs (run INTEGER NOT NULL, name TEXT NOT NULL, def TEXT NOT NULL, PRIMARY KEY (run, name)) WITHOUT ROWID;
    `,
  },
  {
    // Version 7: where each metric is logged
    // from (format 1.2's callsite records), for the editor's lenses and diagnostics at that line.
    version: 7,
    sql: `
      CREATE TABLE callsites (
        run INTEGER NOT NULL,
        key TEXT NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        PRIMARY KEY (run, key)
      ) WITHOUT ROWID;
      CREATE INDEX callsites_by_file ON callsites (file);
    `,
  },
  {
    // Version 8: runs read in place from another tool's files (src/core/sources, e.g. W&B's
    // offline folders): which folders, and where the reader stopped — committed with the rows
    // it covers, as ingest_files is for JSONL files. Nothing of such a run is copied to the store.
    version: 8,
    sql: `
      CREATE TABLE sources (
        run INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        dirs TEXT NOT NULL,
        cursor TEXT NOT NULL,
        sig TEXT NOT NULL,
        checked REAL NOT NULL,
        notes TEXT NOT NULL DEFAULT '[]',
        last_ts REAL NOT NULL DEFAULT 0
      );
    `,
  },
  {
    // Version 9: what filters read, indexed (index/runValues.ts), so a filter and its count are
    // SQL over index seeks (a run's value by its primary key) at 100,000 runs. An index of an
    // earlier version keeps its rows: its runs' values are filled a slice at a time after the
    // open (index_state says how far).
    version: 9,
    sql: `
      CREATE TABLE run_values (
        run INTEGER NOT NULL,
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        kind INTEGER NOT NULL,
        num REAL,
        text TEXT,
        PRIMARY KEY (run, source, key)
      ) WITHOUT ROWID;
      -- A filtered count reads run ids from here, not the wide runs rows.
      CREATE INDEX runs_by_project_state ON runs (project, state);
      CREATE TABLE index_state (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
      INSERT INTO index_state (key, value) SELECT 'values_filled_to', 0 WHERE EXISTS (SELECT 1 FROM runs);
    `,
  },
  {
    // Version 10: a run's duration in two columns (index/duration.ts), so `duration>60` and the
    // sort by duration are SQL: the closed segments' total seconds, and the start of the segment
    // counted up to now (NULL when none). An index of an earlier version keeps its rows: the
    // columns are filled from each run's segments in the migration (JavaScript, the same code
    // as ingest, so the sums are the same to the last bit).
    version: 10,
    sql: `
      ALTER TABLE runs ADD COLUMN closed_sec REAL NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN open_start REAL;
    `,
    fill: fillDurations,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Tables holding per-run rows (column `run`), for deleting a run. */
export const RUN_TABLES = ['config', 'metric_keys', 'history', 'summary', 'tags', 'system_keys', 'system', 'output', 'files', 'artifacts', 'alerts', 'ingest_files', 'ingest_problems', 'media', 'metric_defs', 'callsites', 'sources', 'run_values'] as const;

/** True when `error` says the index file is damaged or not ours (rebuild), not merely busy or unreachable. */
export function isUnusableIndexError(error: unknown): boolean {
  if (error instanceof SchemaVersionError || error instanceof ForeignIndexError) return true;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /quick_check|malformed|not a database/i.test(message) || (code === 'SQLITE_ERROR' && /already exists|no such (table|column)/i.test(message));
}

/** The index holds SQL objects Runlog never creates (triggers, views): it was not written by Runlog. */
export class ForeignIndexError extends Error {
  constructor(readonly objects: string) {
    super(`the index holds SQL that Runlog did not create (${objects.slice(0, 200)})`);
  }
}

export class SchemaVersionError extends Error {
  constructor(readonly found: number) {
    super(`index schema version ${found} is not one this Runlog knows (latest ${SCHEMA_VERSION})`);
  }
}

/**
 * Opens (creating when missing) the index at `path` and brings its schema up to date.
 * Throws when the file is not a usable SQLite database or its version is unknown; the caller
 * rebuilds the index then. `check: false` leaves out quick_check (it reads every page: the
 * editor runs it in a worker instead, index/quickCheck.ts).
 */
export function openIndex(path: string, options: { readonly readonly?: boolean; readonly check?: boolean } = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout: 5000 });
  try {
    db.pragma('busy_timeout = 5000');
    if (options.check ?? true) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    }
    // The index may come from someone else (a cloned repo's .runlog/): SQL stored in it must not
    // run on our reads and writes. Runlog creates no triggers or views, so one means a foreign index.
    db.pragma('trusted_schema = OFF');
    const foreign = db.prepare("SELECT group_concat(type || ' ' || name, ', ') FROM sqlite_master WHERE type IN ('trigger', 'view')").pluck().get();
    if (typeof foreign === 'string' && foreign !== '') throw new ForeignIndexError(foreign);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION || (version > 0 && !MIGRATIONS.some((m) => m.version === version))) throw new SchemaVersionError(version);
    if (version < SCHEMA_VERSION) {
      if (options.readonly) throw new SchemaVersionError(version);
      migrate(db, version);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db, from: number): void {
  db.transaction(() => {
    // Read again under the write lock: another process may have just created the schema.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current !== from && current !== 0 && !MIGRATIONS.some((m) => m.version === current)) throw new SchemaVersionError(current);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      migration.fill?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
