// The filter language compiled to SQL over the index (`WHERE` on the `runs` row `r`), with the
// same meaning as the predicates of filter.ts. Config, summary and tag terms read `run_values`
// (index/runValues.ts), where each value is stored as valueTest() compares it, so they are plain
// SQL over indexes; the run's own fields are compared by the same JavaScript as the predicates
// (registered as SQL functions); `duration` reads the two columns the index keeps of it
// (index/duration.ts). Every term is SQL today; a term that cannot be would be left to a predicate
// over the runs the SQL part selected, and `notSql` would say so. Text ordering (< > on text
// values) is SQLite's, by UTF-8 bytes: the same as JavaScript's except between characters past
// U+FFFF and U+E000–U+FFFF.
// While an index migrated from before schema 9 fills its values (`values: false`), config and
// summary terms read the old tables through the same JavaScript comparison instead.

import type { Db } from '../index/schema';
import { decodeValue, toMetricValue } from '../index/values';
import type { MetricValue, RunInfo } from '../model';
import { SOURCE } from '../index/runValues';
import { DURATION_SQL } from '../index/duration';
import { compileTerm, isNumberText, parseFilter, valueField, valueTest, type CompareOp, type FilterOp, type FilterTerm } from './filter';

export interface CompiledFilter {
  /** SQL over the `runs` row aliased `r`; `1` for an empty filter. */
  readonly where: string;
  readonly params: unknown[];
  /** Terms SQL cannot decide, checked on each selected run; undefined when none. */
  readonly residual: ((run: RunInfo) => boolean) | undefined;
  /** Why each such term is not SQL, naming it (the explorer shows it: such a filter reads every run it selects). */
  readonly notSql: readonly string[];
}

export interface FilterSqlOptions {
  /** The store's clock (s): `runtime` of a running run counts up to it. */
  readonly now: number;
  /** Config, summary and tags read from `run_values` (false while a migrated index fills it). */
  readonly values: boolean;
}

/** `startTime` of a run as the model derives it. */
export const START_SQL = 'coalesce(r.start_time, r.last_seen, 0)';

const COLUMNS: Record<string, string> = {
  name: 'r.name',
  id: 'r.id',
  group: 'r.run_group',
  job: 'r.job_type',
  sweep: 'r.sweep',
  project: 'r.project',
  host: 'r.host',
  notes: 'r.notes',
};

const NUMBER_COLUMNS: Record<string, string> = {
  step: 'r.last_step',
  start: START_SQL,
  exit: 'r.exit_code',
};

/** `runtimeSec` as the model derives it (readModel.ts), with the clock as a parameter. */
const RUNTIME_SQL = `max(0, (CASE WHEN r.state = 'running' THEN ? ELSE coalesce(r.end_time, r.last_seen, ${START_SQL}) END) - ${START_SQL})`;

/** Why a field is decided in JavaScript, not SQL (none today: `duration` was, until schema 10). */
const NOT_SQL: Record<string, string> = {};

/** Registers the SQL functions the compiled filters call (once per connection). */
export function registerFilterFunctions(db: Db): void {
  const tests = new Map<string, (v: MetricValue | undefined) => boolean>();
  const test = (op: unknown, text: unknown) => {
    const k = `${String(op)}\u0000${String(text)}`;
    let t = tests.get(k);
    if (!t) {
      if (tests.size > 1000) tests.clear();
      tests.set(k, (t = valueTest(op as CompareOp, String(text))));
    }
    return t;
  };
  const fromJson = (v: unknown): MetricValue | undefined => (v === null || v === undefined ? undefined : toMetricValue(decodeValue(String(v))));
  const fromSql = (v: unknown): MetricValue | undefined => (v === null || v === undefined ? undefined : typeof v === 'bigint' ? Number(v) : (v as MetricValue));
  db.function('runlog_lower', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : null));
  db.function('runlog_cmp', { deterministic: true }, (v: unknown, op: unknown, text: unknown) => (test(op, text)(fromSql(v)) ? 1 : 0));
  db.function('runlog_cmp_json', { deterministic: true }, (v: unknown, op: unknown, text: unknown) => (test(op, text)(fromJson(v)) ? 1 : 0));
  db.function('runlog_has_json', { deterministic: true }, (v: unknown, needle: unknown) => {
    const value = fromJson(v);
    return value !== undefined && value !== null && String(value).toLowerCase().includes(String(needle)) ? 1 : 0;
  });
}

/** Compiles `text`; throws FilterSyntaxError naming the term that cannot be read. */
export function compileFilterSql(text: string | undefined, options: FilterSqlOptions): CompiledFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const residual: ((run: RunInfo) => boolean)[] = [];
  const notSql: string[] = [];
  const terms = parseFilter(text ?? '');
  // Tags and values first: SQLite tests the terms in this order, and these are index seeks.
  const rank = (t: FilterTerm) => (t.kind === 'field' && (t.field === 'tag' || t.field === 'tags' || !(t.field in COLUMNS || t.field in NUMBER_COLUMNS || t.field === 'state' || t.field === 'id' || t.field in NOT_SQL || t.field === 'runtime' || t.field === 'duration')) ? 0 : 1);
  for (const term of [...terms].sort((a, b) => rank(a) - rank(b))) {
    const predicate = compileTerm(term); // the same checks and messages as the predicates
    if (term.kind === 'field' && term.field in NOT_SQL) {
      residual.push(predicate);
      notSql.push(`${term.raw}: ${NOT_SQL[term.field]}`);
      continue;
    }
    const [sql, ...values] = termSql(term, options);
    clauses.push(`(${sql})`);
    params.push(...values);
  }
  return {
    where: clauses.length === 0 ? '1' : clauses.join(' AND '),
    params,
    residual: residual.length === 0 ? undefined : (run) => residual.every((p) => p(run)),
    notSql,
  };
}

const TAG_EXISTS = 'EXISTS (SELECT 1 FROM tags t WHERE t.run = r.rid AND';

function termSql(term: FilterTerm, options: FilterSqlOptions): [string, ...unknown[]] {
  if (term.kind === 'word') {
    const needle = term.text.toLowerCase();
    return [`runlog_icontains(r.name, ?) OR instr(r.id, ?) > 0 OR runlog_icontains(r.notes, ?) OR ${tagSql(options, 'contains')}`, needle, needle, needle, needle];
  }
  const { field, op, value } = term;
  const lower = value.toLowerCase();
  // compileTerm() has checked the term (a known state, a key after `config.`, ...).
  if (field === 'state' && (op === ':' || op === '=' || op === '!=')) {
    return [op === '!=' ? 'r.state != ?' : 'r.state = ?', lower];
  }
  if (field === 'tag' || field === 'tags') {
    if (op === ':' || op === '=') return [tagSql(options, 'equals'), lower];
    if (op === '!=') return [`NOT ${tagSql(options, 'equals')}`, lower];
    return [tagSql(options, 'contains'), lower];
  }
  if (field === 'id' && op === ':') return ['substr(r.id, 1, ?) = ?', lower.length, lower];
  const column = COLUMNS[field];
  if (column) {
    if (op === ':') return [`runlog_lower(coalesce(${column}, '')) = ?`, lower];
    if (op === '~') return [`runlog_icontains(coalesce(${column}, ''), ?)`, lower];
    return [`runlog_cmp(${column}, ?, ?)`, op, value];
  }
  // A number (compileTerm() checked the text) never NULL nor NaN: SQL's comparison is valueTest()'s.
  if (field === 'duration') return [`${DURATION_SQL} ${op === ':' ? '=' : op} ?`, options.now, Number(value)];
  if (field === 'runtime') return [`runlog_cmp(${RUNTIME_SQL}, ?, ?)`, options.now, op === ':' ? '=' : op, value];
  const numberColumn = NUMBER_COLUMNS[field];
  if (numberColumn) return [`runlog_cmp(${numberColumn}, ?, ?)`, op === ':' ? '=' : op, value];

  const { source, key } = valueField(field);
  // As lookup(): the key as written, then with `.` read as the `/` of nested keys.
  const keys = [key, key.replaceAll('.', '/')].filter((k, i, all) => all.indexOf(k) === i);
  const compare = op === ':' ? '=' : op;
  if (!options.values) return legacyValueSql(source, keys, op, value, lower);
  const code = source === 'config' ? SOURCE.config : SOURCE.summary;
  let test: [string, ...unknown[]];
  if (op === '~') test = ['instr(v.text, ?) > 0', lower];
  else if (isNumberText(value)) test = [`((v.kind = 1 AND v.num ${compare} ?) OR (v.kind = 0 AND v.text ${compare} ?))`, Number(value), lower];
  else test = [`v.text ${compare} ?`, lower];
  const has = (k: string, withTest: boolean): [string, ...unknown[]] =>
    withTest ? [`EXISTS (SELECT 1 FROM run_values v WHERE v.run = r.rid AND v.source = ? AND v.key = ? AND ${test[0]})`, code, k, ...test.slice(1)] : ['EXISTS (SELECT 1 FROM run_values v WHERE v.run = r.rid AND v.source = ? AND v.key = ?)', code, k];
  const [first, second] = keys;
  if (second === undefined) return has(first!, true);
  const [a, ...pa] = has(first!, true);
  const [b, ...pb] = has(first!, false);
  const [c, ...pc] = has(second, true);
  return [`${a} OR (NOT ${b} AND ${c})`, ...pa, ...pb, ...pc];
}

function tagSql(options: FilterSqlOptions, how: 'equals' | 'contains'): string {
  if (!options.values) return how === 'equals' ? `${TAG_EXISTS} runlog_lower(t.tag) = ?)` : `${TAG_EXISTS} runlog_icontains(t.tag, ?))`;
  const test = how === 'equals' ? 'v.key = ?' : 'instr(v.key, ?) > 0';
  return `EXISTS (SELECT 1 FROM run_values v WHERE v.run = r.rid AND v.source = '${SOURCE.tag}' AND ${test})`;
}

/** Config and summary terms over the tables before schema 9 (while a migrated index fills `run_values`). */
function legacyValueSql(source: 'config' | 'summary', keys: string[], op: FilterOp, value: string, lower: string): [string, ...unknown[]] {
  const reads: string[] = [];
  const keyParams: unknown[] = [];
  for (const k of keys) {
    if (source === 'config') {
      reads.push('(SELECT value FROM config WHERE run = r.rid AND key = ?)');
      keyParams.push(k);
    } else {
      // An explicit value before the metric's last one.
      reads.push('(SELECT value FROM summary WHERE run = r.rid AND key = ?)', '(SELECT last FROM metric_keys WHERE run = r.rid AND key = ?)');
      keyParams.push(k, k);
    }
  }
  const read = reads.length === 1 ? reads[0]! : `coalesce(${reads.join(', ')})`;
  if (op === '~') return [`runlog_has_json(${read}, ?)`, ...keyParams, lower];
  return [`runlog_cmp_json(${read}, ?, ?)`, ...keyParams, op === ':' ? '=' : op, value];
}
