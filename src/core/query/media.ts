// Reading a run's media records from the index (written by ingest's RunSession.applyMedia).

import type { Statement } from 'better-sqlite3';
import type { MediaItem, MediaKeyInfo, MediaQuery } from '../model';
import type { Db } from '../index/schema';

interface MediaRow {
  key: string;
  step: number;
  idx: number;
  kind: string;
  path: string;
  size: number;
  sha256: string;
  ts: number;
  fields: string;
}

export class MediaQueries {
  private readonly keys: Statement;
  private readonly all: Statement;
  private readonly byKey: Statement;
  private readonly byKeyStep: Statement;

  constructor(db: Db) {
    const cols = 'key, step, idx, kind, path, size, sha256, ts, fields';
    this.keys = db.prepare('SELECT key, min(kind) AS kind, count(*) AS count, min(step) AS firstStep, max(step) AS lastStep FROM media WHERE run = ? GROUP BY key ORDER BY key');
    this.all = db.prepare(`SELECT ${cols} FROM media WHERE run = ? ORDER BY key, step, idx`);
    this.byKey = db.prepare(`SELECT ${cols} FROM media WHERE run = ? AND key = ? ORDER BY step, idx`);
    this.byKeyStep = db.prepare(`SELECT ${cols} FROM media WHERE run = ? AND key = ? AND step = ? ORDER BY idx`);
  }

  listKeys(rid: number): MediaKeyInfo[] {
    return this.keys.all(rid) as MediaKeyInfo[];
  }

  list(rid: number, query: MediaQuery = {}): MediaItem[] {
    const rows = (query.key === undefined ? this.all.all(rid)
      : query.step === undefined ? this.byKey.all(rid, query.key)
      : this.byKeyStep.all(rid, query.key, query.step)) as MediaRow[];
    const out: MediaItem[] = [];
    for (const r of rows) {
      if (query.kind !== undefined && r.kind !== query.kind) continue;
      if (query.step !== undefined && r.step !== query.step) continue;
      out.push({ key: r.key, step: r.step, index: r.idx, kind: r.kind, path: r.path, size: r.size, sha256: r.sha256, ts: r.ts, fields: parseFields(r.fields) });
    }
    return out;
  }
}

function parseFields(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
