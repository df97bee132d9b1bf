// The run filter language of the explorer, the compare page and the CLI.
//
//   state:running tag:x tag:"two words" group:g job:train sweep:<id> name~haze name:exact id:abc
//   config.lr>0.01 loss<0.3 (summary.loss) summary.acc>=0.9 duration>60 haze (bare word)
//
// Terms are separated by spaces and all must hold. Comparisons are `> >= < <= = !=`: numbers
// compare numerically, anything else as text. A bare word matches the name, ID, tags or notes.

import { RUN_STATES, type MetricValue, type RunInfo, type RunState } from '../model';

export class FilterSyntaxError extends Error {
  constructor(
    readonly term: string,
    /** 0-based index of the term in the filter text. */
    readonly position: number,
    readonly reason: string,
  ) {
    super(`Filter term ${JSON.stringify(term)} at position ${position + 1}: ${reason}`);
    this.name = 'FilterSyntaxError';
  }
}

export type FilterOp = ':' | '~' | '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterTerm =
  | { readonly kind: 'word'; readonly text: string; readonly raw: string; readonly position: number }
  | { readonly kind: 'field'; readonly field: string; readonly op: FilterOp; readonly value: string; readonly raw: string; readonly position: number };

const OPS: readonly FilterOp[] = ['>=', '<=', '!=', '=', '<', '>', ':', '~'];
const OP_START = new Set([':', '~', '<', '>', '=', '!']);

export function parseFilter(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  let i = 0;
  const n = text.length;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

  const termEnd = (from: number): number => {
    let j = from;
    while (j < n && !isSpace(text[j])) j++;
    return j;
  };

  const readQuoted = (start: number, termStart: number): { value: string; end: number } => {
    let j = start + 1;
    let value = '';
    while (j < n && text[j] !== '"') {
      if (text[j] === '\\' && j + 1 < n) j++;
      value += text[j];
      j++;
    }
    if (j >= n) throw new FilterSyntaxError(text.slice(termStart, n), termStart, 'the quote is never closed');
    return { value, end: j + 1 };
  };

  while (i < n) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const start = i;
    if (text[i] === '"') {
      const { value, end } = readQuoted(i, start);
      if (end < n && !isSpace(text[end])) throw new FilterSyntaxError(text.slice(start, termEnd(end)), start, 'expected a space after the closing quote');
      terms.push({ kind: 'word', text: value, raw: text.slice(start, end), position: start });
      i = end;
      continue;
    }
    let j = i;
    while (j < n && !isSpace(text[j]) && !OP_START.has(text[j]!) && text[j] !== '"') j++;
    const field = text.slice(i, j);
    if (j >= n || isSpace(text[j])) {
      terms.push({ kind: 'word', text: field, raw: field, position: start });
      i = j;
      continue;
    }
    if (text[j] === '"') throw new FilterSyntaxError(text.slice(start, termEnd(j)), start, 'a quote may only open a value or a whole word');
    const op = OPS.find((o) => text.startsWith(o, j));
    if (op === undefined) throw new FilterSyntaxError(text.slice(start, termEnd(j)), start, `"${text[j]}" is not an operator (use : ~ = != < <= > >=)`);
    if (field === '') throw new FilterSyntaxError(text.slice(start, termEnd(j)), start, `nothing before "${op}": write a field, e.g. tag${op === '~' ? '~' : ':'}value`);
    let k = j + op.length;
    let value: string;
    if (text[k] === '"') {
      const quoted = readQuoted(k, start);
      value = quoted.value;
      k = quoted.end;
      if (k < n && !isSpace(text[k])) throw new FilterSyntaxError(text.slice(start, termEnd(k)), start, 'expected a space after the closing quote');
    } else {
      const end = termEnd(k);
      value = text.slice(k, end);
      if (value.includes('"')) throw new FilterSyntaxError(text.slice(start, end), start, 'a quote may only open a value');
      k = end;
    }
    const raw = text.slice(start, k);
    if (value === '' && text[j + op.length] !== '"') throw new FilterSyntaxError(raw, start, `no value after "${op}"`);
    terms.push({ kind: 'field', field, op, value, raw, position: start });
    i = k;
  }
  return terms;
}

type Predicate = (run: RunInfo) => boolean;

const STRING_FIELDS: Record<string, (run: RunInfo) => string | null> = {
  state: (r) => r.state,
  name: (r) => r.name,
  id: (r) => r.id,
  group: (r) => r.group,
  job: (r) => r.jobType,
  sweep: (r) => r.sweepId,
  project: (r) => r.project,
  host: (r) => r.host,
  notes: (r) => r.notes,
};

const NUMBER_FIELDS: Record<string, (run: RunInfo) => number | null> = {
  duration: (r) => r.durationSec,
  runtime: (r) => r.runtimeSec,
  step: (r) => r.lastStep,
  start: (r) => r.startTime,
  exit: (r) => r.exitCode,
};

/** Compiles a filter to a predicate; an empty filter matches every run. */
export function compileFilter(text: string | undefined): Predicate {
  const terms = parseFilter(text ?? '');
  const predicates = terms.map(compileTerm);
  return (run) => predicates.every((p) => p(run));
}

export function compileTerm(term: FilterTerm): Predicate {
  if (term.kind === 'word') {
    const needle = term.text.toLowerCase();
    return (r) =>
      r.name.toLowerCase().includes(needle) ||
      r.id.includes(needle) ||
      r.notes.toLowerCase().includes(needle) ||
      r.tags.some((t) => t.toLowerCase().includes(needle));
  }
  const { field, op, value } = term;
  const fail = (reason: string) => new FilterSyntaxError(term.raw, term.position, reason);
  const lower = value.toLowerCase();

  if (field === 'state' && (op === ':' || op === '=' || op === '!=')) {
    if (!(RUN_STATES as readonly string[]).includes(lower)) throw fail(`unknown state "${value}" (states: ${RUN_STATES.join(', ')})`);
    const state = lower as RunState;
    return op === '!=' ? (r) => r.state !== state : (r) => r.state === state;
  }
  if (field === 'tag' || field === 'tags') {
    if (op === ':' || op === '=') return (r) => r.tags.some((t) => t.toLowerCase() === lower);
    if (op === '!=') return (r) => !r.tags.some((t) => t.toLowerCase() === lower);
    if (op === '~') return (r) => r.tags.some((t) => t.toLowerCase().includes(lower));
    throw fail(`"${field}" takes : = != or ~, not ${op}`);
  }
  if (field === 'id' && op === ':') return (r) => r.id.startsWith(lower);

  const stringField = STRING_FIELDS[field];
  if (stringField) {
    if (op === ':') return (r) => (stringField(r) ?? '').toLowerCase() === lower;
    if (op === '~') return (r) => (stringField(r) ?? '').toLowerCase().includes(lower);
    return comparison(op, value, (r) => stringField(r));
  }
  const numberField = NUMBER_FIELDS[field];
  if (numberField) {
    if (op === '~') throw fail(`"${field}" is a number: compare it with = != < <= > >=`);
    if (!isNumberText(value)) throw fail(`"${field}" is a number, "${value}" is not`);
    return comparison(op === ':' ? '=' : op, value, numberField);
  }

  const { source, key } = valueField(field);
  if (key === '') throw fail(`no key after "${source}."`);
  const get = (r: RunInfo): MetricValue | undefined => lookup(source === 'config' ? r.config : r.summary, key);
  if (op === '~') return (r) => {
    const v = get(r);
    return v !== undefined && v !== null && String(v).toLowerCase().includes(lower);
  };
  return comparison(op === ':' ? '=' : op, value, get);
}

/** Where a field that names no run column is read: `config.lr` in the config, `summary.acc` or a bare `acc` in the summary. */
export function valueField(field: string): { readonly source: 'config' | 'summary'; readonly key: string } {
  if (field.startsWith('config.')) return { source: 'config', key: field.slice('config.'.length) };
  if (field.startsWith('summary.')) return { source: 'summary', key: field.slice('summary.'.length) };
  return { source: 'summary', key: field };
}

/** Looks a key up as written, then with `.` read as the `/` of nested keys. */
export function lookup(record: Readonly<Record<string, MetricValue>>, key: string): MetricValue | undefined {
  if (Object.hasOwn(record, key)) return record[key];
  const slashed = key.replaceAll('.', '/');
  return Object.hasOwn(record, slashed) ? record[slashed] : undefined;
}

export function isNumberText(text: string): boolean {
  return text.trim() !== '' && !Number.isNaN(Number(text));
}

export type CompareOp = Exclude<FilterOp, ':' | '~'>;

function comparison(op: CompareOp, text: string, get: (r: RunInfo) => MetricValue | undefined): Predicate {
  const test = valueTest(op, text);
  return (r) => test(get(r));
}

/**
 * How a value compares with the text of a term: numbers numerically, anything else as
 * lowercased text; a missing value or NaN never matches. Shared by the predicates and the SQL.
 */
export function valueTest(op: CompareOp, text: string): (v: MetricValue | undefined) => boolean {
  const numeric = isNumberText(text) ? Number(text) : undefined;
  const lowerText = text.toLowerCase();
  return (v) => {
    if (v === undefined || v === null) return false;
    let order: number;
    if (numeric !== undefined && typeof v === 'number') {
      if (Number.isNaN(v)) return false;
      order = v < numeric ? -1 : v > numeric ? 1 : 0;
    } else if (numeric !== undefined && typeof v === 'boolean') {
      const n = v ? 1 : 0;
      order = n < numeric ? -1 : n > numeric ? 1 : 0;
    } else {
      const s = String(v).toLowerCase();
      order = s < lowerText ? -1 : s > lowerText ? 1 : 0;
    }
    switch (op) {
      case '=':
        return order === 0;
      case '!=':
        return order !== 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
    }
  };
}
