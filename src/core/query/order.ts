// A table's order in SQL: each sort column read as one SQL value per run, in the order
// `(value IS NULL), value, start DESC, id` (missing values last either way; ties newest first,
// then by ID), with keyset bounds, so that a page sorted by any column reads only that page and
// a run that starts or goes while the user scrolls is neither lost nor listed twice.
// Values compare as SQLite compares them: numbers before text, text by its UTF-8 bytes
// (`compareCursors` is the same order in JavaScript). Text columns are compared lowercased.
// Config, summary and tag values are those the filter reads (`run_values`, index/runValues.ts).

import { SOURCE } from '../index/runValues';
import { DURATION_SQL } from '../index/duration';
import { START_SQL } from './filterSql';
import type { PageCursor } from '../model';

/** The compare table's columns that order in SQL. */
export const ORDER_COLUMNS = ['start', 'name', 'state', 'duration', 'tags', 'group'] as const;

export function isOrderColumn(column: string): boolean {
  return (ORDER_COLUMNS as readonly string[]).includes(column) || /^(config|summary)\..+$/.test(column);
}

/** The column's value of the run row `r`, with its parameters (`now`: the store's clock, s). */
export function orderValueSql(column: string, now: number): [string, ...unknown[]] {
  switch (column) {
    case 'start':
      return [START_SQL];
    case 'duration':
      return [DURATION_SQL, now];
    case 'name':
      return ['runlog_lower(r.name)'];
    case 'state':
      return ['r.state'];
    case 'group':
      return ["runlog_lower(nullif(r.run_group, ''))"];
    case 'tags':
      return ["runlog_lower(nullif(r.tags, '[]'))"];
  }
  const m = /^(config|summary)\.(.+)$/.exec(column);
  if (!m) throw new Error(`"${column}" is not a column runs can be sorted by`);
  // kind 1: a number (or boolean as 0/1); 0: text (lowercased) or null; 2: NaN, which sorts as missing.
  return [
    '(SELECT CASE v.kind WHEN 1 THEN v.num WHEN 0 THEN v.text END FROM run_values v WHERE v.run = r.rid AND v.source = ? AND v.key = ?)',
    m[1] === 'config' ? SOURCE.config : SOURCE.summary,
    m[2],
  ];
}

/** `ORDER BY` over the columns `sort_value`, `sort_start` and `id` of a row. */
export function orderBySql(descending: boolean): string {
  return `(sort_value IS NULL), sort_value ${descending ? 'DESC' : 'ASC'}, sort_start DESC, id ASC`;
}

/** The rows after `c` in the order (`sort_value`, `sort_start`, `id` as in orderBySql). */
export function afterSql(c: PageCursor, descending: boolean): [string, ...unknown[]] {
  const tie = '(sort_start < ? OR (sort_start = ? AND id > ?))';
  if (c.value === null) return [`(sort_value IS NULL AND ${tie})`, c.startTime, c.startTime, c.id];
  return [`(sort_value IS NULL OR sort_value ${descending ? '<' : '>'} ? OR (sort_value = ? AND ${tie}))`, c.value, c.value, c.startTime, c.startTime, c.id];
}

/** The rows up to and including `c` (none of the terms is NULL, so NOT is exact). */
export function untilSql(c: PageCursor, descending: boolean): [string, ...unknown[]] {
  const [sql, ...params] = afterSql(c, descending);
  return [`NOT ${sql}`, ...params];
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Negative when `a` comes first in the order, as SQLite orders it. */
export function compareCursors(a: PageCursor, b: PageCursor, descending: boolean): number {
  if (a.value === null || b.value === null) {
    if (a.value !== b.value) return a.value === null ? 1 : -1;
  } else {
    const c = compareValues(a.value, b.value);
    if (c !== 0) return descending ? -c : c;
  }
  if (a.startTime !== b.startTime) return a.startTime > b.startTime ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
