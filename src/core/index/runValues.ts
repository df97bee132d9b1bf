// What the filter language reads of a run, as indexed rows of `run_values` (schema 9): its
// config (`c`, flattened keys), its summary (`s`: the explicit value, else the metric's last) and
// its tags (`t`, lowercased). Each value is stored as the filter compares it (query/filter.ts
// valueTest): `kind` 1 with `num` for a number or boolean (0/1), 2 for NaN, 0 for the rest; `text`
// is String(value) lowercased (NULL for null). A run's rows are rewritten from its config,
// summary, metric and tag rows after each slice that changed them (one owner: refreshRunValues).
// An index migrated to schema 9 fills them for its older runs a slice at a time
// (fillValuesSlice); until it is done, filters read the old tables (query/filterSql.ts).

import type { Statement } from 'better-sqlite3';
import type { MetricValue } from '../model';
import type { Db } from './schema';
import { decodeValue, toMetricValue } from './values';

export const SOURCE = { config: 'c', summary: 's', tag: 't' } as const;

/** The index_state key saying up to which run id the values are filled (absent: all of them). */
const FILLED_TO = 'values_filled_to';

interface Statements {
  readonly del: Statement;
  readonly insert: Statement;
  readonly config: Statement;
  readonly summary: Statement;
  readonly lasts: Statement;
  readonly tags: Statement;
}

const statements = new WeakMap<Db, Statements>();

function prepared(db: Db): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      del: db.prepare('DELETE FROM run_values WHERE run = ?'),
      insert: db.prepare('INSERT OR REPLACE INTO run_values (run, source, key, kind, num, text) VALUES (?, ?, ?, ?, ?, ?)'),
      config: db.prepare('SELECT key, value FROM config WHERE run = ?'),
      summary: db.prepare('SELECT key, value FROM summary WHERE run = ?'),
      lasts: db.prepare('SELECT key, last AS value FROM metric_keys WHERE run = ?'),
      tags: db.prepare('SELECT tag FROM tags WHERE run = ?').pluck(),
    };
    statements.set(db, s);
  }
  return s;
}

/** A value as the filter compares it. */
export function valueColumns(value: MetricValue): { kind: 0 | 1 | 2; num: number | null; text: string | null } {
  if (value === null) return { kind: 0, num: null, text: null };
  const text = String(value).toLowerCase();
  if (typeof value === 'boolean') return { kind: 1, num: value ? 1 : 0, text };
  if (typeof value === 'number') return Number.isNaN(value) ? { kind: 2, num: null, text } : { kind: 1, num: value, text };
  return { kind: 0, num: null, text };
}

/** Rewrites a run's rows of `run_values` from its config, summary, metric and tag rows. */
export function refreshRunValues(db: Db, rid: number): void {
  const s = prepared(db);
  s.del.run(rid);
  const put = (source: string, key: string, encoded: string | null) => {
    const { kind, num, text } = valueColumns(toMetricValue(decodeValue(encoded)));
    s.insert.run(rid, source, key, kind, num, text);
  };
  for (const r of s.config.all(rid) as { key: string; value: string | null }[]) put(SOURCE.config, r.key, r.value);
  // The summary as the model reads it: the metric's last value, then the explicit one over it.
  for (const r of s.lasts.all(rid) as { key: string; value: string | null }[]) put(SOURCE.summary, r.key, r.value);
  for (const r of s.summary.all(rid) as { key: string; value: string | null }[]) put(SOURCE.summary, r.key, r.value);
  for (const tag of s.tags.all(rid) as string[]) {
    const lower = tag.toLowerCase();
    s.insert.run(rid, SOURCE.tag, lower, 0, null, lower);
  }
}

/** True while runs indexed before schema 9 have no `run_values` rows yet. */
export function valuesPending(db: Db): boolean {
  return db.prepare('SELECT 1 FROM index_state WHERE key = ?').pluck().get(FILLED_TO) !== undefined;
}

/**
 * Fills the values of the next runs of an index migrated to schema 9, for up to `budgetMs`, in
 * one transaction; returns true once every run has them (nothing left to fill).
 */
export function fillValuesSlice(db: Db, budgetMs: number): boolean {
  return db.transaction(() => {
    const from = db.prepare('SELECT value FROM index_state WHERE key = ?').pluck().get(FILLED_TO) as number | undefined;
    if (from === undefined) return true;
    const next = db.prepare('SELECT rid FROM runs WHERE rid > ? ORDER BY rid LIMIT 25').pluck();
    const t0 = performance.now();
    let at = from;
    for (;;) {
      const rids = next.all(at) as number[];
      if (rids.length === 0) {
        db.prepare('DELETE FROM index_state WHERE key = ?').run(FILLED_TO);
        return true;
      }
      for (const rid of rids) refreshRunValues(db, rid);
      at = rids[rids.length - 1]!;
      if (performance.now() - t0 >= budgetMs) break;
    }
    db.prepare('UPDATE index_state SET value = ? WHERE key = ?').run(at, FILLED_TO);
    return false;
  }).immediate();
}
