// Turns decoded W&B records into format v1 records (README.md, On-disk format), one run
// segment (one `.wandb` file) at a time. Its state is plain JSON so a reader re-opened at a
// saved file offset carries on where it stopped (pending output, last step, last timestamp).

import { dirname, join } from 'node:path';
import { parseJson } from '../../format/json';
import type { EventRecord, HistoryValue, InitRecord, Json } from '../../format/records';
import type { RunMeta } from '../../model';
import type { SourceBatch } from '../types';
import { wandbMedia } from './media';
import type { WandbEnvironment, WandbItem, WandbRecord, WandbRunInfo } from './records';

export interface SegmentState {
  /** Newest timestamp seen (epoch seconds); records without one get it. */
  ts: number;
  /** The step the previous segments ended at (-1: none), and this segment's offset over its own steps. */
  priorLastStep: number;
  stepOffset: number | null;
  lastStep: number;
  /** Output text not yet ended by a newline, per stream. */
  stdout: string;
  stderr: string;
  initEmitted: boolean;
  /** The `init` record, held until the environment record fills its meta (or another record comes). */
  pendingInit: InitRecord | null;
  /** The run record's config, written right after the init. */
  pendingConfig: Record<string, unknown> | null;
  exit: { code: number; ts: number } | null;
  unknown: number;
  /** Media keys already noted as not shown (absent in cursors saved before media were read). */
  unshown?: string[];
}

export function newSegmentState(priorLastStep: number, ts: number): SegmentState {
  return { ts, priorLastStep, stepOffset: null, lastStep: priorLastStep, stdout: '', stderr: '', initEmitted: false, pendingInit: null, pendingConfig: null, exit: null, unknown: 0 };
}

/** Who the run is when its files say nothing (a header-only file): from the folder name. */
export interface SegmentIdentity {
  readonly id: string;
  readonly project: string;
  readonly resumed: boolean;
  readonly startTs: number;
  readonly file: string;
  /** The run's (first) W&B folder, recorded in the init's meta.source. */
  readonly folder: string;
}

/** Keys W&B adds to every history step and summary; Runlog keeps time and step its own way. */
const HISTORY_SKIP = new Set(['_step', '_runtime', '_timestamp']);
const TREE_SKIP = new Set(['_wandb', '_runtime', '_step', '_timestamp']);

export class SegmentTranslator {
  constructor(
    readonly state: SegmentState,
    private readonly identity: SegmentIdentity,
    private readonly out: SourceBatch,
  ) {}

  add(record: WandbRecord): void {
    const s = this.state;
    switch (record.kind) {
      case 'run': {
        s.pendingInit = this.init(record.run);
        if (record.run.startTime) s.ts = Math.max(s.ts, record.run.startTime);
        const config = this.tree(record.run.config, 'config');
        if (Object.keys(config).length > 0) s.pendingConfig = config;
        return;
      }
      case 'environment':
        if (s.pendingInit) s.pendingInit = { ...s.pendingInit, meta: { ...s.pendingInit.meta, ...meta(record.env) } };
        return;
      case 'telemetry':
        if (s.pendingInit && record.sdkVersion) s.pendingInit = { ...s.pendingInit, meta: { ...s.pendingInit.meta, sdk_version: `wandb ${record.sdkVersion}` } };
        return;
      case 'history':
        this.history(record.step, record.items);
        return;
      case 'summary': {
        // A media value's summary is its last value: shown in the Media tab, not as a summary field.
        const data = withoutMedia(this.tree(record.update, 'summary'));
        if (Object.keys(data).length > 0) this.event({ type: 'summary', ts: s.ts, data });
        return;
      }
      case 'config': {
        const data = this.tree(record.update, 'config');
        if (Object.keys(data).length > 0) this.event({ type: 'config', ts: s.ts, data });
        return;
      }
      case 'output':
        this.output(record.stream, record.line, record.ts);
        return;
      case 'stats':
        this.stats(record.ts, record.items);
        return;
      case 'files':
        // Media files are the media records' (kept under the Runlog run's media/), not run files.
        for (const f of record.files) if (f.path && !f.path.startsWith('media/')) this.event({ type: 'file', ts: s.ts, path: `files/${f.path}`, size: 0 });
        return;
      case 'alert': {
        const level = record.level.toUpperCase();
        this.event({ type: 'alert', ts: s.ts, title: record.title, text: record.text, level: level === 'WARN' || level === 'ERROR' ? level : 'INFO' });
        return;
      }
      case 'metric':
        this.flushInit();
        this.out.definitions.push({ define_metric: { ...record.metric } as unknown as Json });
        return;
      case 'artifact':
        this.flushInit();
        this.out.definitions.push({ artifact: { name: record.name, type: record.type, digest: record.digest, aliases: [...record.aliases] } });
        return;
      case 'exit':
        this.flushOutput();
        s.exit = { code: record.exitCode, ts: s.ts };
        this.event({ type: 'exit', ts: s.ts, code: record.exitCode, state: record.exitCode === 0 ? 'finished' : 'failed' });
        return;
      case 'header':
      case 'other':
        return;
      case 'unknown':
        s.unknown++;
        if (s.unknown <= 3) this.out.problems.push(`${this.identity.file}: a record of a type Runlog does not know (field ${record.field ?? '?'}) was skipped`);
        return;
    }
  }

  /** At the end of a read: the init is due even if no other record came. */
  endOfRead(): void {
    this.flushInit();
  }

  /** When the segment is over (exit seen, or the writer is gone): the last partial lines go out. */
  flushOutput(): void {
    this.emitOutput('stdout', true);
    this.emitOutput('stderr', true);
  }

  private init(run: WandbRunInfo): InitRecord {
    const id = this.identity;
    return {
      type: 'init',
      ts: run.startTime ?? id.startTs,
      id: id.id,
      name: run.displayName || run.runId || id.id,
      project: id.project,
      entity: run.entity || null,
      group: run.group || null,
      job_type: run.jobType || null,
      notes: run.notes || null,
      tags: run.tags.length > 0 ? [...run.tags] : null,
      pid: 0,
      host: run.host,
      resumed: id.resumed || run.resumed,
      meta: { source: this.sourceMeta(), ...(run.host ? { host: run.host } : {}), ...(run.sdkVersion ? { sdk_version: `wandb ${run.sdkVersion}` } : {}) },
    };
  }

  private flushInit(): void {
    const s = this.state;
    if (s.initEmitted) return;
    s.initEmitted = true;
    const init = s.pendingInit ?? this.bareInit();
    s.pendingInit = null;
    this.out.events.push(init);
    if (s.pendingConfig) this.out.events.push({ type: 'config', ts: init.ts, data: s.pendingConfig });
    s.pendingConfig = null;
  }

  /** No run record (a header-only or damaged file): the run still exists, named by its folder. */
  private bareInit(): InitRecord {
    const id = this.identity;
    return { type: 'init', ts: id.startTs, id: id.id, name: id.id, project: id.project, pid: 0, host: '', resumed: id.resumed, meta: { source: this.sourceMeta() } };
  }

  private sourceMeta(): { name: string; label: string; path: string } {
    return { name: 'wandb', label: 'W&B', path: this.identity.folder };
  }

  private event(record: EventRecord): void {
    this.flushInit();
    this.out.events.push(record);
  }

  private value(item: WandbItem, what: string): unknown {
    if (item.typed) return item.typed.value;
    if (item.json === undefined) return null;
    // Most values are plain numbers: Number() reads them (and NaN, Infinity, -Infinity) without JSON.parse.
    const c = item.json.charCodeAt(0);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x4e || c === 0x49) {
      const n = Number(item.json);
      if (!Number.isNaN(n) || item.json === 'NaN') return n;
    }
    try {
      return parseJson(item.json);
    } catch {
      this.out.problems.push(`${this.identity.file}: ${what} value of "${item.path.join('/')}" is not JSON`);
      return undefined;
    }
  }

  /** Items as a nested object (config and summary keep their nesting; the index flattens it). */
  private tree(items: readonly WandbItem[], what: string): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const item of items) {
      if (TREE_SKIP.has(item.path[0] ?? '')) continue;
      const value = this.value(item, what);
      if (value === undefined) continue;
      let node = root;
      for (let i = 0; i < item.path.length - 1; i++) {
        const key = item.path[i]!;
        const next = node[key];
        node = (isObject(next) ? next : (node[key] = {})) as Record<string, unknown>;
      }
      node[item.path[item.path.length - 1]!] = value;
    }
    return root;
  }

  private history(recordStep: number | undefined, items: readonly WandbItem[]): void {
    const s = this.state;
    let step = recordStep;
    let ts: number | undefined;
    let nested: WandbItem[] | undefined;
    const data: Record<string, HistoryValue> = {};
    const media: { key: string; value: Record<string, unknown> }[] = [];
    for (const item of items) {
      const key = item.path.length === 1 ? item.path[0]! : undefined;
      if (key === undefined) {
        (nested ??= []).push(item);
        continue;
      }
      const value = this.value(item, 'history');
      if (key === '_step') {
        if (typeof value === 'number' && step === undefined) step = value;
      } else if (key === '_timestamp') {
        if (typeof value === 'number' && Number.isFinite(value)) ts = value;
      } else if (!HISTORY_SKIP.has(key)) {
        this.leaf(key, value, data, media);
      }
    }
    if (nested) {
      const tree = this.tree(nested, 'history');
      for (const [key, value] of Object.entries(tree)) this.leaf(key, value, data, media);
    }
    if (ts !== undefined) s.ts = Math.max(s.ts, ts);
    // A resumed segment written offline restarts at step 0: it continues after the last one.
    if (s.stepOffset === null) s.stepOffset = step !== undefined && step <= s.priorLastStep ? s.priorLastStep + 1 : 0;
    const at = (step ?? s.lastStep - s.stepOffset + 1) + s.stepOffset;
    s.lastStep = Math.max(s.lastStep, at);
    this.event({ type: 'history', ts: ts ?? s.ts, step: at, data });
    const filesDir = join(dirname(this.identity.file), 'files');
    for (const m of media) {
      const result = wandbMedia(m.key, at, ts ?? s.ts, m.value, filesDir);
      this.out.media.push({ step: at, key: m.key, type: String(m.value._type), path: result.records[0]?.path, value: m.value as { [key: string]: Json } });
      this.out.events.push(...result.records);
      if (result.problem && !(s.unshown ??= []).includes(m.key)) {
        s.unshown.push(m.key);
        this.out.problems.push(`${this.identity.file}: ${result.problem}`);
      }
    }
  }

  /** A history value: numbers and booleans are metrics; objects with `_type` are media; other objects nest with `/`. */
  private leaf(key: string, value: unknown, data: Record<string, HistoryValue>, media: { key: string; value: Record<string, unknown> }[]): void {
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) data[key] = value;
    else if (isObject(value)) {
      if (typeof value._type === 'string') media.push({ key, value });
      else for (const [k, v] of Object.entries(value)) this.leaf(`${key}/${k}`, v, data, media);
    }
    // Strings and lists have no place in a metric series; W&B shows them only in tables.
  }

  private output(stream: 'stdout' | 'stderr', text: string, ts: number | undefined): void {
    const s = this.state;
    if (ts !== undefined) s.ts = Math.max(s.ts, ts);
    s[stream] += text;
    this.emitOutput(stream, false);
  }

  private emitOutput(stream: 'stdout' | 'stderr', all: boolean): void {
    const s = this.state;
    const pending = s[stream];
    const cut = all ? pending.length : pending.lastIndexOf('\n') + 1;
    if (cut <= 0) return;
    this.flushInit();
    this.out.output.push({ ts: s.ts, stream, text: pending.slice(0, cut) });
    s[stream] = pending.slice(cut);
  }

  private stats(ts: number | undefined, items: readonly WandbItem[]): void {
    const s = this.state;
    if (ts !== undefined) s.ts = Math.max(s.ts, ts);
    const data: Record<string, number | null> = {};
    for (const item of items) {
      const value = this.value(item, 'system metric');
      if (typeof value !== 'number') continue;
      const [name, scale] = systemKey(item.path.join('.'));
      data[name] = value * scale;
    }
    this.flushInit();
    this.out.system.push({ ts: ts ?? s.ts, data });
  }
}

const GPU_KEYS: Record<string, [string, number]> = {
  gpu: ['utilization', 1],
  memoryAllocatedBytes: ['memory_used_bytes', 1],
  temp: ['temperature_c', 1],
  powerWatts: ['power_w', 1],
};

/** W&B's system metric names (its `system_monitor`) → Runlog's, where one means the same; others keep W&B's name. */
function systemKey(key: string): [string, number] {
  switch (key) {
    case 'cpu': return ['cpu/percent', 1];
    case 'memory_percent': return ['memory/percent', 1];
    case 'proc.memory.rssMB': return ['process/rss_bytes', 1024 * 1024];
  }
  const gpu = /^gpu\.(\d+)\.(\w+)$/.exec(key);
  const mapped = gpu ? GPU_KEYS[gpu[2]!] : undefined;
  if (gpu && mapped) return [`gpu/${gpu[1]}/${mapped[0]}`, mapped[1]];
  return [key, 1];
}

function meta(env: WandbEnvironment): RunMeta {
  const m: { -readonly [K in keyof RunMeta]: RunMeta[K] } = {};
  if (env.args.length > 0 || env.program) m.command = [env.executable || 'python', env.program, ...env.args].filter(Boolean);
  if (env.root) m.cwd = env.root;
  if (env.program) m.program = env.program;
  if (env.host) m.host = env.host;
  if (env.os) m.os = env.os;
  if (env.username) m.author = env.username;
  if (env.python || env.executable) m.python = { ...(env.executable ? { executable: env.executable } : {}), ...(env.python ? { version: env.python } : {}) };
  if (env.git && (env.git.remote || env.git.commit)) m.git = { ...(env.git.remote ? { remote: env.git.remote } : {}), ...(env.git.commit ? { commit: env.git.commit } : {}) };
  if (env.cpuCount || env.gpuCount) {
    m.hardware = {
      ...(env.cpuCountLogical || env.cpuCount ? { cpu_count: env.cpuCountLogical || env.cpuCount } : {}),
      ...(env.gpuCount ? { gpus: Array.from({ length: env.gpuCount }, () => ({ name: env.gpuType })) } : {}),
    };
  }
  return m;
}

/** A summary tree without W&B media values (objects with `_type`), at any depth. */
function withoutMedia(tree: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (!isObject(v)) out[k] = v;
    else if (typeof v._type !== 'string') {
      const inner = withoutMedia(v);
      if (Object.keys(inner).length > 0) out[k] = inner;
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
