// The records of format v1 (README.md (On-disk format)) as they appear on disk, and their shape checks.

import type { AlertLevel, RunMeta } from '../model';

export const FORMAT_MAJOR = 1;
/**
 * Minor 1 adds `media` records, minor 2 `callsite` records (README.md, On-disk format); readers
 * of an older minor ignore them.
 */
export const FORMAT_MINOR = 2;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface HeaderRecord {
  readonly type: 'header';
  readonly format: 'runlog';
  readonly version: number;
  readonly minor: number;
  readonly writer: string;
  readonly created: number;
}

export interface InitRecord {
  readonly type: 'init';
  readonly ts: number;
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly entity?: string | null;
  readonly group?: string | null;
  readonly job_type?: string | null;
  readonly notes?: string | null;
  readonly tags?: readonly string[] | null;
  readonly pid: number;
  /** Epoch seconds the process started, by the platform's own clock of it (format 1.x additive). */
  readonly pid_start?: number | null;
  /** Seconds between the SDK's heartbeats; null when it sends none (format 1.x additive). */
  readonly heartbeat_interval?: number | null;
  readonly host: string;
  readonly resumed: boolean;
  readonly fork_of?: { readonly run: string; readonly step: number } | null;
  /** Set when a sweep agent started the run. */
  readonly sweep?: { readonly id: string; readonly trial: number } | null;
  readonly meta: RunMeta;
}

/** Numbers, booleans and null are metrics; strings and other JSON values are kept as text. */
export type HistoryValue = number | boolean | null | string | readonly unknown[] | Record<string, unknown>;

export interface ConfigRecord { readonly type: 'config'; readonly ts: number; readonly data: Record<string, unknown> }
export interface HistoryRecord { readonly type: 'history'; readonly ts: number; readonly step: number; readonly data: Record<string, HistoryValue> }
export interface SummaryRecord { readonly type: 'summary'; readonly ts: number; readonly data: Record<string, unknown> }
export interface NotesRecord { readonly type: 'notes'; readonly ts: number; readonly text: string }
export interface TagsRecord { readonly type: 'tags'; readonly ts: number; readonly tags: readonly string[] }
export interface NameRecord { readonly type: 'name'; readonly ts: number; readonly name: string }
export interface FileRecord { readonly type: 'file'; readonly ts: number; readonly path: string; readonly size: number }
export interface ArtifactRecord {
  readonly type: 'artifact';
  readonly ts: number;
  readonly direction: 'input' | 'output';
  readonly name: string;
  readonly artifact_type: string;
  readonly version: string;
  readonly digest: string;
  readonly size: number;
  readonly path: string;
}
export interface AlertRecord { readonly type: 'alert'; readonly ts: number; readonly title: string; readonly text: string; readonly level: AlertLevel }
export interface HeartbeatRecord { readonly type: 'heartbeat'; readonly ts: number; readonly step?: number | null }
export interface RewindRecord { readonly type: 'rewind'; readonly ts: number; readonly step: number }
/** A media value logged at a step; its file (if any) was written before this record. */
export interface MediaRecord {
  readonly type: 'media';
  readonly ts: number;
  readonly key: string;
  readonly step: number;
  readonly kind: string;
  /** Relative to the run folder; absent for a histogram (its counts are inline). */
  readonly path?: string;
  readonly size?: number;
  readonly sha256?: string;
  readonly index?: number;
  readonly [field: string]: unknown;
}
/** `define_metric` (W&B): a metric's x axis, summary rule, goal and visibility; `name` may end in `*`. */
export interface MetricRecord {
  readonly type: 'metric';
  readonly ts: number;
  readonly name: string;
  readonly step_metric?: string | null;
  readonly step_sync?: boolean | null;
  readonly hidden?: boolean | null;
  readonly summary?: readonly MetricSummaryOp[] | null;
  readonly goal?: 'minimize' | 'maximize' | null;
}
export const METRIC_SUMMARY_OPS = ['min', 'max', 'mean', 'first', 'last', 'best', 'copy', 'none'] as const;
export type MetricSummaryOp = (typeof METRIC_SUMMARY_OPS)[number];
/** Where `keys` were first logged from: the file and 1-based line of the `log()` call (minor 2). */
export interface CallsiteRecord { readonly type: 'callsite'; readonly ts: number; readonly file: string; readonly line: number; readonly keys: readonly string[] }
export interface ExitRecord { readonly type: 'exit'; readonly ts: number; readonly code: number; readonly state: 'finished' | 'failed' | 'killed' }

export type EventRecord =
  | InitRecord | ConfigRecord | HistoryRecord | SummaryRecord | NotesRecord | TagsRecord | NameRecord
  | FileRecord | ArtifactRecord | AlertRecord | HeartbeatRecord | RewindRecord | ExitRecord | MediaRecord | MetricRecord | CallsiteRecord;

export interface StateEditRecord { readonly type: 'state'; readonly ts: number; readonly state: 'killed' | 'failed' | 'finished'; readonly code?: number | null }
/** Edits: from the editor, or from the SDK's `Api` (`run.update()`): `config` and `summary` merge like their events. */
export type EditRecord = NameRecord | NotesRecord | TagsRecord | StateEditRecord | ConfigRecord | SummaryRecord;

export interface OutputRecord { readonly ts: number; readonly stream: 'stdout' | 'stderr'; readonly text: string }
export interface SystemRecord { readonly ts: number; readonly data: Record<string, number | null> }

/** A check's verdict: the record, or what is wrong with it. */
export type Checked<T> = { readonly ok: true; readonly record: T } | { readonly ok: false; readonly error: string };

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isNum = (v: unknown): v is number => typeof v === 'number';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/** A relative path that cannot leave its folder: no root, no drive, no `..` segment. */
function isRelativeInside(path: string): boolean {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return false;
  return !path.split(/[\\/]/).some((part) => part === '..');
}

function fail<T>(error: string): Checked<T> {
  return { ok: false, error };
}

const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

function checkMedia(r: Obj): string | undefined {
  if (!isStr(r.key) || r.key === '') return '`key` must be a non-empty string';
  const at = `(key ${JSON.stringify(r.key)}, step ${JSON.stringify(r.step)})`;
  if (!isInt(r.step) || r.step < 0) return `\`step\` must be a non-negative integer ${at}`;
  if (!isStr(r.kind) || r.kind === '') return `\`kind\` must be a non-empty string ${at}`;
  if (r.path !== undefined) {
    if (!isStr(r.path) || r.path === '') return `\`path\` must be a non-empty string ${at}`;
    if (!isRelativeInside(r.path)) return `\`path\` ${JSON.stringify(r.path)} must stay inside the run folder (relative, no "..") ${at}`;
  } else if (r.kind !== 'histogram') {
    return `a "${r.kind}" needs a \`path\` ${at}`;
  }
  if (r.kind === 'histogram' && !(isNumArray(r.bins) && isNumArray(r.counts) && r.bins.length === r.counts.length + 1)) {
    return `a histogram needs numeric \`bins\` (edges) and \`counts\`, one more edge than counts ${at}`;
  }
  if (r.size !== undefined && !isNum(r.size)) return `\`size\` must be a number ${at}`;
  if (r.index !== undefined && !isInt(r.index)) return `\`index\` must be an integer ${at}`;
  return undefined;
}

/** Field checks per record type; each returns an error message or undefined. */
const EVENT_CHECKS: Record<EventRecord['type'], (r: Obj) => string | undefined> = {
  init: (r) =>
    !isStr(r.id) ? '`id` must be a string'
    : !optStr(r.name) ? '`name` must be a string'
    : !optStr(r.group) || !optStr(r.job_type) || !optStr(r.entity) || !optStr(r.notes) ? '`group`, `job_type`, `entity` and `notes` must be strings'
    : r.tags !== undefined && r.tags !== null && !isStrArray(r.tags) ? '`tags` must be a list of strings'
    : r.pid !== undefined && r.pid !== null && !isInt(r.pid) ? '`pid` must be an integer'
    : !optStr(r.host) ? '`host` must be a string'
    : r.fork_of !== undefined && r.fork_of !== null && !(isObject(r.fork_of) && isStr(r.fork_of.run) && isInt(r.fork_of.step)) ? '`fork_of` must be {"run": string, "step": int}'
    : r.meta !== undefined && r.meta !== null && !isObject(r.meta) ? '`meta` must be an object'
    : r.sweep !== undefined && r.sweep !== null && !(isObject(r.sweep) && isStr(r.sweep.id) && isInt(r.sweep.trial)) ? '`sweep` must be {"id": string, "trial": int}'
    : undefined,
  config: (r) => (isObject(r.data) ? undefined : '`data` must be an object'),
  history: (r) =>
    !isInt(r.step) || r.step < 0 ? '`step` must be a non-negative integer'
    : !isObject(r.data) ? '`data` must be an object'
    : undefined,
  summary: (r) => (isObject(r.data) ? undefined : '`data` must be an object'),
  notes: (r) => (isStr(r.text) ? undefined : '`text` must be a string'),
  tags: (r) => (isStrArray(r.tags) ? undefined : '`tags` must be a list of strings'),
  name: (r) => (isStr(r.name) ? undefined : '`name` must be a string'),
  file: (r) =>
    !isStr(r.path) || r.path === '' ? '`path` must be a non-empty string'
    : !isRelativeInside(r.path) ? `\`path\` ${JSON.stringify(r.path)} must stay inside the run folder (relative, no "..")`
    : r.size !== undefined && !isNum(r.size) ? '`size` must be a number'
    : undefined,
  artifact: (r) =>
    r.direction !== 'input' && r.direction !== 'output' ? '`direction` must be "input" or "output"'
    : !isStr(r.name) ? '`name` must be a string'
    : !isStr(r.path) ? '`path` must be a string'
    : undefined,
  alert: (r) =>
    !isStr(r.title) ? '`title` must be a string'
    : r.level !== undefined && r.level !== 'INFO' && r.level !== 'WARN' && r.level !== 'ERROR' ? '`level` must be INFO, WARN or ERROR'
    : undefined,
  heartbeat: (r) => (r.step === undefined || r.step === null || isInt(r.step) ? undefined : '`step` must be an integer'),
  rewind: (r) => (isInt(r.step) ? undefined : '`step` must be an integer'),
  media: checkMedia,
  metric: (r) =>
    !isStr(r.name) || r.name === '' ? '`name` must be a non-empty string'
    : !optStr(r.step_metric) ? '`step_metric` must be a string'
    : r.summary !== undefined && r.summary !== null && !(isStrArray(r.summary) && r.summary.every((op) => (METRIC_SUMMARY_OPS as readonly string[]).includes(op))) ? `\`summary\` must be a list of ${METRIC_SUMMARY_OPS.join(', ')}`
    : r.goal !== undefined && r.goal !== null && r.goal !== 'minimize' && r.goal !== 'maximize' ? '`goal` must be "minimize" or "maximize"'
    : undefined,
  callsite: (r) =>
    !isStr(r.file) || r.file === '' ? '`file` must be a non-empty string'
    : !isInt(r.line) || r.line < 1 ? '`line` must be a positive integer'
    : !isStrArray(r.keys) ? '`keys` must be a list of strings'
    : undefined,
  exit: (r) =>
    !isInt(r.code) ? '`code` must be an integer'
    : r.state !== 'finished' && r.state !== 'failed' && r.state !== 'killed' ? '`state` must be finished, failed or killed'
    : undefined,
};

/**
 * Checks one parsed `events.jsonl` record. Unknown types are not errors (minor versions add
 * them): they come back as `undefined` to be ignored.
 */
export function checkEventRecord(value: unknown): Checked<EventRecord> | undefined {
  if (!isObject(value)) return fail('a record must be a JSON object');
  const type = value.type;
  if (!isStr(type)) return fail('a record needs a string `type`');
  if (!Object.hasOwn(EVENT_CHECKS, type)) return undefined;
  if (!isNum(value.ts)) return fail(`a "${type}" record needs a numeric \`ts\``);
  const error = EVENT_CHECKS[type as EventRecord['type']](value);
  return error === undefined ? { ok: true, record: value as unknown as EventRecord } : fail(`"${type}" record: ${error}`);
}

export function checkEditRecord(value: unknown): Checked<EditRecord> | undefined {
  if (!isObject(value)) return fail('a record must be a JSON object');
  const type = value.type;
  if (!isStr(type)) return fail('a record needs a string `type`');
  if (type !== 'name' && type !== 'notes' && type !== 'tags' && type !== 'state' && type !== 'config' && type !== 'summary') return undefined;
  if (!isNum(value.ts)) return fail(`a "${type}" record needs a numeric \`ts\``);
  if (type === 'state') {
    if (value.state !== 'killed' && value.state !== 'failed' && value.state !== 'finished') return fail('"state" edit: `state` must be killed, failed or finished');
    if (value.code !== undefined && value.code !== null && !isInt(value.code)) return fail('"state" edit: `code` must be an integer');
    return { ok: true, record: value as unknown as StateEditRecord };
  }
  const error = EVENT_CHECKS[type](value);
  return error === undefined ? { ok: true, record: value as unknown as EditRecord } : fail(`"${type}" edit: ${error}`);
}

export type HeaderVerdict =
  | { readonly kind: 'ok'; readonly header: HeaderRecord }
  | { readonly kind: 'unsupported'; readonly version: unknown }
  | { readonly kind: 'missing' };

export function checkHeader(value: unknown): HeaderVerdict {
  if (!isObject(value) || value.type !== 'header') return { kind: 'missing' };
  if (value.version !== FORMAT_MAJOR) return { kind: 'unsupported', version: value.version };
  return { kind: 'ok', header: value as unknown as HeaderRecord };
}

export function checkOutputRecord(value: unknown): Checked<OutputRecord> {
  if (!isObject(value)) return fail('a record must be a JSON object');
  if (!isNum(value.ts)) return fail('an output record needs a numeric `ts`');
  if (value.stream !== 'stdout' && value.stream !== 'stderr') return fail('`stream` must be "stdout" or "stderr"');
  if (!isStr(value.text)) return fail('`text` must be a string');
  return { ok: true, record: value as unknown as OutputRecord };
}

export function checkSystemRecord(value: unknown): Checked<SystemRecord> {
  if (!isObject(value)) return fail('a record must be a JSON object');
  if (!isNum(value.ts)) return fail('a system record needs a numeric `ts`');
  if (!isObject(value.data)) return fail('`data` must be an object');
  return { ok: true, record: value as unknown as SystemRecord };
}
