// The filter language compiled to SQL over the index (`WHERE` on the `runs` row `r`), with the
// same meaning as the predicates of filter.ts: each term's value is read by SQL and compared by
// the same JavaScript (registered as SQL functions), so a filter selects the same runs either way.
// Terms whose value SQL does not hold (duration, runtime: they depend on the clock) stay
// predicates over the runs the SQL part selected.

import type { Db } from '../index/schema';
import { decodeValue, toMetricValue } from '../index/values';
import type { MetricValue, RunInfo } from '../model';
import { compileTerm, parseFilter, valueField, valueTest, type CompareOp, type FilterTerm } from './filter';

export interface CompiledFilter {
  /** SQL over the `runs` row aliased `r`; `1` for an empty filter. */
  readonly where: string;
  readonly params: unknown[];
  /** Terms SQL cannot decide, checked on each selected run; undefined when none. */
  readonly residual: ((run: RunInfo) => boolean) | undefined;
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

/** Fields whose value is derived from the clock: decided in JavaScript. */
const CLOCK_FIELDS = new Set(['duration', 'runtime']);

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
export function compileFilterSql(text: string | undefined): CompiledFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const residual: ((run: RunInfo) => boolean)[] = [];
  for (const term of parseFilter(text ?? '')) {
    if (term.kind === 'field' && CLOCK_FIELDS.has(term.field)) {
      residual.push(compileTerm(term));
      continue;
    }
    compileTerm(term); // the same checks and messages as the predicates
    const [sql, ...values] = termSql(term);
    clauses.push(`(${sql})`);
    params.push(...values);
  }
  return {
    where: clauses.length === 0 ? '1' : clauses.join(' AND '),
    params,
    residual: residual.length === 0 ? undefined : (run) => residual.every((p) => p(run)),
  };
}

const TAG_EXISTS = 'EXISTS (SELECT 1 FROM tags t WHERE t.run = r.rid AND';

function termSql(term: FilterTerm): [string, ...unknown[]] {
  if (term.kind === 'word') {
    const needle = term.text.toLowerCase();
    return [`runlog_icontains(r.name, ?) OR instr(r.id, ?) > 0 OR runlog_icontains(r.notes, ?) OR ${TAG_EXISTS} runlog_icontains(t.tag, ?))`, needle, needle, needle, needle];
  }
  const { field, op, value } = term;
  const lower = value.toLowerCase();
  // compileTerm() has checked the term (a known state, a key after `config.`, ...).
  if (field === 'state' && (op === ':' || op === '=' || op === '!=')) {
    return [op === '!=' ? 'r.state != ?' : 'r.state = ?', lower];
  }
  if (field === 'tag' || field === 'tags') {
    if (op === ':' || op === '=') return [`${TAG_EXISTS} runlog_lower(t.tag) = ?)`, lower];
    if (op === '!=') return [`NOT ${TAG_EXISTS} runlog_lower(t.tag) = ?)`, lower];
    return [`${TAG_EXISTS} runlog_icontains(t.tag, ?))`, lower];
  }
  if (field === 'id' && op === ':') return ['substr(r.id, 1, ?) = ?', lower.length, lower];
  const column = COLUMNS[field];
  if (column) {
    if (op === ':') return [`runlog_lower(coalesce(${column}, '')) = ?`, lower];
    if (op === '~') return [`runlog_icontains(coalesce(${column}, ''), ?)`, lower];
    return [`runlog_cmp(${column}, ?, ?)`, op, value];
  }
  const numberColumn = NUMBER_COLUMNS[field];
  if (numberColumn) return [`runlog_cmp(${numberColumn}, ?, ?)`, op === ':' ? '=' : op, value];

  const { source, key } = valueField(field);
  // As lookup(): the key as written, then with `.` read as the `/` of nested keys; in the
  // summary, an explicit value before the metric's last one.
  const keys = [key, key.replaceAll('.', '/')].filter((k, i, all) => all.indexOf(k) === i);
  const reads: string[] = [];
  const keyParams: unknown[] = [];
  for (const k of keys) {
    if (source === 'config') {
      reads.push('(SELECT value FROM config WHERE run = r.rid AND key = ?)');
      keyParams.push(k);
    } else {
      reads.push('(SELECT value FROM summary WHERE run = r.rid AND key = ?)', '(SELECT last FROM metric_keys WHERE run = r.rid AND key = ?)');
      keyParams.push(k, k);
    }
  }
  const read = reads.length === 1 ? reads[0]! : `coalesce(${reads.join(', ')})`;
  if (op === '~') return [`runlog_has_json(${read}, ?)`, ...keyParams, lower];
  return [`runlog_cmp_json(${read}, ?, ?)`, ...keyParams, op === ':' ? '=' : op, value];
}
