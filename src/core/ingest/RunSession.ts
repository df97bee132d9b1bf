// Applies the records of one slice of one run's files to the index, inside the caller's
// transaction. Loaded from the run's row at the start, written back by finish().

import type { IngestProblem, RunAlert, RunMeta } from '../model';
import type { EditRecord, EventRecord, InitRecord, MediaRecord, OutputRecord, SystemRecord } from '../format/records';
import { HISTORY_BATCH, type IngestStatements } from './statements';
import type { MetricKeyRow, RunRow, Segment } from '../store/rows';
import { LOD_LEVELS } from '../store/schema';
import { deepMerge, encodeValue, flatten, toStoredNumber } from '../store/values';
import { deriveState, type Environment } from './state';

/** Most problems kept per file of a run; a file of garbage must not bloat the index. */
export const MAX_PROBLEMS_PER_FILE = 200;

interface LodBlock {
  readonly level: number;
  readonly block: number;
  count: number;
  minStep: number | null;
  minValue: number | null;
  minTs: number | null;
  maxStep: number | null;
  maxValue: number | null;
  maxTs: number | null;
}

interface KeyState {
  readonly kid: number;
  readonly key: string;
  count: number;
  firstStep: number | null;
  lastStep: number | null;
  min: number | null;
  max: number | null;
  /** Encoded last value as stored; `lastRaw` replaces it when `lastChanged`. */
  last: string | null;
  lastRaw: unknown;
  lastChanged: boolean;
  dirty: boolean;
  /** Steps written out of order: the stats and blocks over this range are recomputed from rows. */
  recomputeFrom: number;
  recomputeTo: number;
  /** The block each level is filling, for in-order appends (undefined: not loaded). */
  readonly lod: (LodBlock | undefined)[];
  /** The last step written to the tables before the buffered points. */
  storedLast: number | null;
  /** Points in step order after `storedLast`. */
  readonly steps: number[];
  readonly values: (number | null)[];
  readonly times: number[];
  /** Out-of-order points, `step, value, ts` flattened. */
  readonly rewrites: (number | null)[];
}

/** What a committed slice changed, merged into the pass's ChangeCollector by the caller. */
export interface SliceChanges {
  updated: boolean;
  stateChanged: boolean;
  historyKeys: Set<string>;
  historyFrom: number;
  historyTo: number;
  systemFrom: number;
  outputFrom: number;
  alerts: RunAlert[];
  mediaKeys: Set<string>;
}

export class RunSession {
  readonly row: RunRow;
  private readonly rid: number;
  private segments: Segment[] | undefined;
  private configTree: Record<string, unknown> | undefined;
  private configDirty = false;
  private tagsDirty = false;
  private keys: Map<string, KeyState> | undefined;
  private systemKeys: Map<string, number> | undefined;
  private problemCounts = new Map<string, number>();
  readonly changes: SliceChanges = {
    updated: false,
    stateChanged: false,
    historyKeys: new Set(),
    historyFrom: Infinity,
    historyTo: -Infinity,
    systemFrom: Infinity,
    outputFrom: Infinity,
    alerts: [],
    mediaKeys: new Set(),
  };
  private readonly initialState: string;
  /** Newest events timestamp of the open segment read in this slice (-Infinity: none). */
  private eventsSeen = -Infinity;
  /** This slice read a record the run's process wrote: it was heard from (state.ts). */
  private heard = false;
  /**
   * No record of the run was read before: its records may be old (a run found, or re-indexed,
   * long after it was written), so reading them now says nothing of when it was last alive.
   */
  private readonly firstRead: boolean;

  constructor(
    private readonly st: IngestStatements,
    row: RunRow,
  ) {
    this.row = row;
    this.rid = row.rid;
    this.initialState = row.state;
    this.firstRead = row.last_seen === null;
  }

  // ---- problems -------------------------------------------------------------------------

  problem(problem: IngestProblem): void {
    let count = this.problemCounts.get(problem.file);
    if (count === undefined) count = this.st.countProblems.get(this.rid, problem.file) as number;
    if (count >= MAX_PROBLEMS_PER_FILE) return;
    const info = this.st.insertProblem.run(this.rid, problem.file, problem.line, problem.kind, problem.message);
    this.problemCounts.set(problem.file, count + info.changes);
  }

  clearTornUpTo(file: string, line: number): void {
    this.st.deleteTorn.run(this.rid, file, line);
  }

  // ---- events.jsonl ---------------------------------------------------------------------

  /** Applies one `events.jsonl` record; returns a problem message for values it had to skip. */
  applyEvent(record: EventRecord): string | undefined {
    const row = this.row;
    if (row.last_seen === null || record.ts > row.last_seen) row.last_seen = record.ts;
    this.heard = true;
    if (record.type !== 'heartbeat') this.changes.updated = true;
    if (record.ts > this.eventsSeen && record.type !== 'init') this.eventsSeen = record.ts;
    switch (record.type) {
      case 'init':
        this.applyInit(record);
        this.eventsSeen = record.ts;
        return undefined;
      case 'config':
        deepMerge(this.config(), record.data);
        this.configDirty = true;
        return undefined;
      case 'history':
        return this.applyHistory(record.step, record.data, record.ts);
      case 'summary':
        for (const [key, value] of Object.entries(flatten(record.data))) this.st.upsertSummary.run(this.rid, key, encodeValue(value));
        return undefined;
      case 'notes':
        this.setField('notes', record.text, record.ts);
        return undefined;
      case 'tags':
        this.setField('tags', record.tags, record.ts);
        return undefined;
      case 'name':
        this.setField('name', record.name, record.ts);
        return undefined;
      case 'file':
        this.st.upsertFile.run(this.rid, record.path, typeof record.size === 'number' ? record.size : 0, record.ts);
        return undefined;
      case 'artifact':
        this.st.insertArtifact.run(
          this.rid, record.direction, record.name, String(record.artifact_type ?? ''), String(record.version ?? ''),
          String(record.digest ?? ''), typeof record.size === 'number' ? record.size : 0, record.path, record.ts,
        );
        return undefined;
      case 'alert': {
        const alert: RunAlert = { ts: record.ts, title: record.title, text: typeof record.text === 'string' ? record.text : '', level: record.level ?? 'INFO' };
        this.st.insertAlert.run(this.rid, alert.ts, alert.title, alert.text, alert.level);
        this.changes.alerts.push(alert);
        return undefined;
      }
      case 'media':
        this.applyMedia(record);
        return undefined;
      case 'heartbeat':
        return undefined;
      case 'rewind':
        this.rewind(record.step);
        return undefined;
      case 'exit': {
        row.exit_ts = record.ts;
        row.exit_code = record.code;
        row.exit_state = record.state;
        const open = this.openSegment();
        if (open) open.end = record.ts;
        return undefined;
      }
    }
  }

  private applyMedia(r: MediaRecord): void {
    const { type: _type, ts, key, step, kind, path, size, sha256, index, ...fields } = r;
    this.st.upsertMedia.run(
      this.rid, key, step, typeof index === 'number' ? index : 0, kind, typeof path === 'string' ? path : '',
      typeof size === 'number' ? size : 0, typeof sha256 === 'string' ? sha256 : '', ts, JSON.stringify(fields),
    );
    this.changes.mediaKeys.add(key);
  }

  private applyInit(r: InitRecord): void {
    const row = this.row;
    const segments = this.segmentList();
    const open = this.openSegment();
    if (open) open.end = Math.max(open.start, open.seen ?? open.start, this.eventsSeen);
    segments.push({ start: r.ts, end: null });
    row.last_init_ts = r.ts;
    row.exit_ts = null;
    row.exit_state = null;
    row.exit_code = null;
    row.start_time = row.start_time === null ? r.ts : Math.min(row.start_time, r.ts);
    row.pid = typeof r.pid === 'number' ? r.pid : null;
    row.host = typeof r.host === 'string' ? r.host : null;
    row.pid_start = typeof r.pid_start === 'number' && Number.isFinite(r.pid_start) ? r.pid_start : null;
    row.heartbeat_sec = typeof r.heartbeat_interval === 'number' && r.heartbeat_interval > 0 ? r.heartbeat_interval : null;
    if (typeof r.entity === 'string') row.entity = r.entity;
    if (typeof r.group === 'string') row.run_group = r.group;
    if (typeof r.job_type === 'string') row.job_type = r.job_type;
    if (r.sweep && typeof r.sweep.id === 'string') row.sweep = r.sweep.id;
    // A resumed segment names the run as its script (or the SDK, which reads edits.jsonl) says
    // now; by time order it wins over older edits and loses to newer ones.
    if (typeof r.name === 'string' && r.name !== '') this.setField('name', r.name, r.ts);
    if (typeof r.notes === 'string') this.setField('notes', r.notes, r.ts);
    if (Array.isArray(r.tags)) this.setField('tags', r.tags, r.ts);
    if (r.fork_of) row.fork_of = JSON.stringify({ run: r.fork_of.run, step: r.fork_of.step });
    if (r.meta && typeof r.meta === 'object') {
      const meta = { ...(JSON.parse(row.meta) as RunMeta), ...r.meta };
      row.meta = JSON.stringify(meta);
      row.program = typeof meta.program === 'string' ? meta.program : row.program;
      row.command = Array.isArray(meta.command) ? JSON.stringify(meta.command.map(String)) : row.command;
      row.cwd = typeof meta.cwd === 'string' ? meta.cwd : row.cwd;
    }
  }

  private setField(field: 'name' | 'notes' | 'tags', value: string | readonly string[], ts: number): void {
    const row = this.row;
    if (ts < row[`${field}_ts`]) return; // an edit made later wins
    row[`${field}_ts`] = ts;
    if (field === 'tags') {
      const tags = [...new Set(value as readonly string[])];
      row.tags = JSON.stringify(tags);
      this.tagsDirty = true;
    } else {
      row[field] = value as string;
    }
    this.changes.updated = true;
  }

  // ---- history --------------------------------------------------------------------------

  private keyMap(): Map<string, KeyState> {
    if (this.keys) return this.keys;
    const map = new Map<string, KeyState>();
    for (const r of this.st.selectKeys.all(this.rid) as MetricKeyRow[]) map.set(r.key, this.keyState(r));
    this.keys = map;
    return map;
  }

  private keyState(r: MetricKeyRow): KeyState {
    return {
      kid: r.kid, key: r.key, count: r.count, firstStep: r.first_step, lastStep: r.last_step, min: r.min, max: r.max,
      last: r.last, lastRaw: undefined, lastChanged: false, dirty: false, recomputeFrom: Infinity, recomputeTo: -Infinity,
      lod: LOD_LEVELS.map(() => undefined), storedLast: r.last_step, steps: [], values: [], times: [], rewrites: [],
    };
  }

  private key(name: string): KeyState {
    const map = this.keyMap();
    let state = map.get(name);
    if (!state) {
      const kid = Number(this.st.insertKey.run(this.rid, name).lastInsertRowid);
      state = this.keyState({ kid, run: this.rid, key: name, count: 0, first_step: null, last_step: null, min: null, max: null, last: null });
      map.set(name, state);
    }
    return state;
  }

  private applyHistory(step: number, data: Record<string, unknown>, ts: number): string | undefined {
    let skipped: string[] | undefined;
    for (const name in data) {
      const raw = data[name];
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        // The SDK flattens; a nested object from another writer is flattened here.
        const nested = this.applyHistory(step, flatten(raw as Record<string, unknown>, name), ts);
        if (nested) (skipped ??= []).push(nested);
        continue;
      }
      const value = toStoredNumber(raw);
      if (value === undefined) {
        (skipped ??= []).push(`"${name}" is ${JSON.stringify(raw)}, not a number, bool or null`);
        continue;
      }
      this.addPoint(this.key(name), step, value, raw, ts);
    }
    const changes = this.changes;
    if (step < changes.historyFrom) changes.historyFrom = step;
    if (step > changes.historyTo) changes.historyTo = step;
    return skipped?.join('; ');
  }

  private addPoint(k: KeyState, step: number, value: number | null, raw: unknown, ts: number): void {
    k.dirty = true;
    this.changes.historyKeys.add(k.key);
    const previousLast = k.lastStep;
    if (previousLast !== null && step <= previousLast) {
      // Out of order or a step written again: the upsert replaces the row; the stats and the
      // blocks over it are recomputed from the rows once they are written.
      k.rewrites.push(step, value, ts);
      if (step < k.recomputeFrom) k.recomputeFrom = step;
      if (step > k.recomputeTo) k.recomputeTo = step;
      if (step === previousLast) {
        k.lastRaw = raw;
        k.lastChanged = true;
      }
      return;
    }
    k.steps.push(step);
    k.values.push(value);
    k.times.push(ts);
    k.count++;
    if (k.firstStep === null) k.firstStep = step;
    k.lastStep = step;
    k.lastRaw = raw;
    k.lastChanged = true;
    if (value !== null && value === value) {
      if (k.min === null || value < k.min) k.min = value;
      if (k.max === null || value > k.max) k.max = value;
    }
  }

  /** Folds the buffered in-order points into the blocks of each level and writes the blocks. */
  private updateBlocks(k: KeyState): void {
    const { steps, values, times } = k;
    const n = steps.length;
    if (n === 0) return;
    for (let i = 0; i < LOD_LEVELS.length; i++) {
      const level = LOD_LEVELS[i]!;
      let current = k.lod[i];
      for (let j = 0; j < n; j++) {
        const step = steps[j]!;
        const block = Math.floor(step / level);
        if (current === undefined || current.block !== block) {
          if (current !== undefined) writeBlock(this.st, k.kid, current);
          // Only the block holding the last stored step can have rows that are not in memory.
          current = current === undefined && k.storedLast !== null && Math.floor(k.storedLast / level) === block ? this.loadBlock(k.kid, level, block) : emptyBlock(level, block);
        }
        current.count++;
        const value = values[j]!;
        if (value !== null && value === value) {
          if (current.minValue === null || value < current.minValue) {
            current.minValue = value;
            current.minStep = step;
            current.minTs = times[j]!;
          }
          if (current.maxValue === null || value > current.maxValue) {
            current.maxValue = value;
            current.maxStep = step;
            current.maxTs = times[j]!;
          }
        }
      }
      writeBlock(this.st, k.kid, current!);
      k.lod[i] = current;
    }
  }

  private loadBlock(kid: number, level: number, block: number): LodBlock {
    const r = this.st.selectLod.get(kid, level, block) as [number, number | null, number | null, number | null, number | null, number | null, number | null] | undefined;
    if (!r) return emptyBlock(level, block);
    return { level, block, count: r[0], minStep: r[1], minValue: r[2], minTs: r[3], maxStep: r[4], maxValue: r[5], maxTs: r[6] };
  }

  /** Writes buffered history rows, blocks and stats. */
  private flushHistory(): void {
    if (!this.keys) return;
    const st = this.st;
    const rid = this.rid;
    for (const k of this.keys.values()) {
      if (!k.dirty) continue;
      const { steps, values, times } = k;
      const n = steps.length;
      let i = 0;
      if (n >= HISTORY_BATCH) {
        const args = new Array<number | null>(HISTORY_BATCH * 5);
        for (let j = 0; j < HISTORY_BATCH; j++) {
          args[j * 5] = rid;
          args[j * 5 + 1] = k.kid;
        }
        for (; i + HISTORY_BATCH <= n; i += HISTORY_BATCH) {
          for (let j = 0; j < HISTORY_BATCH; j++) {
            args[j * 5 + 2] = steps[i + j]!;
            args[j * 5 + 3] = values[i + j]!;
            args[j * 5 + 4] = times[i + j]!;
          }
          st.upsertHistoryBatch.run(args);
        }
      }
      for (; i < n; i++) st.upsertHistory.run(rid, k.kid, steps[i], values[i], times[i]);
      const rewrites = k.rewrites;
      for (let r = 0; r < rewrites.length; r += 3) st.upsertHistory.run(rid, k.kid, rewrites[r], rewrites[r + 1], rewrites[r + 2]);
      rewrites.length = 0;
      this.updateBlocks(k);
      steps.length = 0;
      values.length = 0;
      times.length = 0;
      if (k.recomputeFrom !== Infinity) {
        this.recomputeBlocks(k, k.recomputeFrom, k.recomputeTo);
        this.recomputeStats(k);
        k.recomputeFrom = Infinity;
        k.recomputeTo = -Infinity;
      }
      if (k.lastChanged) {
        k.last = encodeValue(k.lastRaw);
        k.lastChanged = false;
      }
      st.updateKey.run(k.count, k.firstStep, k.lastStep, k.min, k.max, k.last, k.kid);
      k.storedLast = k.lastStep;
      if (k.lastStep !== null && (this.row.last_step === null || k.lastStep > this.row.last_step)) this.row.last_step = k.lastStep;
      k.dirty = false;
    }
  }

  /** Rebuilds the blocks of every level that cover steps `from`..`to` from the stored rows. */
  private recomputeBlocks(k: KeyState, from: number, to: number): void {
    for (let i = 0; i < LOD_LEVELS.length; i++) {
      const level = LOD_LEVELS[i]!;
      const first = Math.floor(from / level);
      const last = Math.floor(to / level);
      // Collected first: the connection cannot write while a statement iterates.
      const blocks: LodBlock[] = [];
      let current: LodBlock | undefined;
      for (const [step, value, ts] of this.st.scanHistory.iterate(this.rid, k.kid, first * level, (last + 1) * level - 1) as Iterable<[number, number | null, number]>) {
        const block = Math.floor(step / level);
        if (!current || current.block !== block) {
          current = emptyBlock(level, block);
          blocks.push(current);
        }
        current.count++;
        if (value !== null) {
          if (current.minValue === null || value < current.minValue) [current.minValue, current.minStep, current.minTs] = [value, step, ts];
          if (current.maxValue === null || value > current.maxValue) [current.maxValue, current.maxStep, current.maxTs] = [value, step, ts];
        }
      }
      this.st.deleteLodRange.run(k.kid, level, first, last);
      for (const block of blocks) writeBlock(this.st, k.kid, block);
      k.lod[i] = undefined;
    }
  }

  private recomputeStats(k: KeyState): void {
    const a = this.st.aggregateKey.get(this.rid, k.kid) as { count: number; first: number | null; last: number | null; min: number | null; max: number | null };
    k.count = a.count;
    k.firstStep = a.first;
    k.min = a.min;
    k.max = a.max;
    if (a.last !== k.lastStep || !k.lastChanged) {
      const value = this.st.lastValue.get(this.rid, k.kid) as number | null | undefined;
      k.lastRaw = value ?? null;
      k.lastChanged = true;
    }
    k.lastStep = a.last;
  }

  private rewind(step: number): void {
    this.flushHistory();
    if (this.st.deleteMediaAfter.run(this.rid, step).changes > 0) this.changes.mediaKeys.add('');
    const keys = this.keyMap();
    let changed = false;
    for (const k of [...keys.values()]) {
      if (k.lastStep === null || k.lastStep <= step) continue;
      changed = true;
      this.st.deleteHistoryAfter.run(this.rid, k.kid, step);
      this.changes.historyKeys.add(k.key);
      this.recomputeBlocks(k, step, k.lastStep);
      k.lastChanged = false;
      this.recomputeStats(k);
      k.storedLast = k.lastStep;
      if (k.count === 0) {
        this.st.deleteLodKey.run(k.kid);
        this.st.deleteKey.run(k.kid);
        keys.delete(k.key);
      } else {
        k.last = encodeValue(k.lastRaw);
        k.lastChanged = false;
        this.st.updateKey.run(k.count, k.firstStep, k.lastStep, k.min, k.max, k.last, k.kid);
      }
    }
    if (changed) {
      let lastStep: number | null = null;
      for (const k of keys.values()) if (k.lastStep !== null && (lastStep === null || k.lastStep > lastStep)) lastStep = k.lastStep;
      this.row.last_step = lastStep;
      if (step < this.changes.historyFrom) this.changes.historyFrom = step;
      if (step > this.changes.historyTo) this.changes.historyTo = step;
    }
  }

  // ---- edits.jsonl ----------------------------------------------------------------------

  applyEdit(record: EditRecord): void {
    const row = this.row;
    this.changes.updated = true;
    switch (record.type) {
      case 'name':
        this.setField('name', record.name, record.ts);
        return;
      case 'notes':
        this.setField('notes', record.text, record.ts);
        return;
      case 'tags':
        this.setField('tags', record.tags, record.ts);
        return;
      case 'state':
        if (row.edit_state_ts === null || record.ts >= row.edit_state_ts) {
          row.edit_state = record.state;
          row.edit_state_ts = record.ts;
          row.edit_code = typeof record.code === 'number' ? record.code : null;
        }
        return;
    }
  }

  // ---- output.jsonl ---------------------------------------------------------------------

  applyOutput(record: OutputRecord): void {
    const row = this.row;
    if (row.last_seen === null || record.ts > row.last_seen) row.last_seen = record.ts;
    this.heard = true;
    const parts = record.text.split('\n');
    let i = 0;
    if (row.output_open) {
      if (row.output_stream === record.stream) {
        // The previous chunk ended mid-line: this one continues it.
        const line = row.output_lines - 1;
        if (parts[0] !== '') this.st.appendOutput.run(parts[0], this.rid, line);
        if (line < this.changes.outputFrom) this.changes.outputFrom = line;
        i = 1;
        if (parts.length === 1) return;
      }
      row.output_open = 0;
    }
    for (; i < parts.length; i++) {
      const part = parts[i]!;
      const isLast = i === parts.length - 1;
      if (isLast && part === '') break;
      const line = row.output_lines++;
      this.st.upsertOutput.run(this.rid, line, record.ts, record.stream, part);
      if (line < this.changes.outputFrom) this.changes.outputFrom = line;
      if (isLast) {
        row.output_open = 1;
        row.output_stream = record.stream;
      }
    }
  }

  // ---- system.jsonl ---------------------------------------------------------------------

  applySystem(record: SystemRecord): void {
    const row = this.row;
    if (row.last_seen === null || record.ts > row.last_seen) row.last_seen = record.ts;
    this.heard = true;
    if (!this.systemKeys) {
      this.systemKeys = new Map();
      for (const r of this.st.selectSystemKeys.all(this.rid) as { skid: number; key: string }[]) this.systemKeys.set(r.key, r.skid);
    }
    const idx = row.system_samples++;
    for (const [key, raw] of Object.entries(flatten(record.data))) {
      const value = toStoredNumber(raw);
      if (value === undefined) continue;
      let skid = this.systemKeys.get(key);
      if (skid === undefined) {
        skid = Number(this.st.insertSystemKey.run(this.rid, key).lastInsertRowid);
        this.systemKeys.set(key, skid);
      }
      this.st.upsertSystem.run(this.rid, skid, idx, record.ts, value);
    }
    if (record.ts < this.changes.systemFrom) this.changes.systemFrom = record.ts;
  }

  // ---- end of slice ---------------------------------------------------------------------

  /** Writes everything back and derives the state. */
  finish(env: Environment): void {
    this.flushHistory();
    const row = this.row;
    if (this.eventsSeen !== -Infinity) {
      const open = this.openSegment();
      if (open && this.eventsSeen > (open.seen ?? -Infinity)) open.seen = this.eventsSeen;
    }
    if (this.segments) row.segments = JSON.stringify(this.segments);
    if (this.configDirty && this.configTree) {
      row.config_tree = JSON.stringify(this.configTree);
      this.st.deleteConfig.run(this.rid);
      for (const [key, value] of Object.entries(flatten(this.configTree))) this.st.insertConfig.run(this.rid, key, encodeValue(value));
    }
    if (this.tagsDirty) {
      this.st.deleteTags.run(this.rid);
      for (const tag of JSON.parse(row.tags) as string[]) this.st.insertTag.run(this.rid, tag);
    }
    if (this.heard && !this.firstRead) row.heard_at = env.now();
    applyDerivedState(row, env);
    if (row.state !== this.initialState) this.changes.stateChanged = true;
    this.st.updateRun.run(row);
  }

  private segmentList(): Segment[] {
    this.segments ??= JSON.parse(this.row.segments) as Segment[];
    return this.segments;
  }

  private openSegment(): Segment | undefined {
    const last = this.segmentList().at(-1);
    return last && last.end === null ? last : undefined;
  }

  private config(): Record<string, unknown> {
    this.configTree ??= JSON.parse(this.row.config_tree) as Record<string, unknown>;
    return this.configTree;
  }
}

/** Sets `state`, `exit_code` and `end_time` from the row's inputs. */
export function applyDerivedState(row: RunRow, env: Environment): void {
  const derived = deriveState(
    {
      lastInitTs: row.last_init_ts,
      exit: row.exit_ts !== null && row.exit_state !== null ? { ts: row.exit_ts, code: row.exit_code ?? 0, state: row.exit_state as 'finished' } : null,
      edit: row.edit_state !== null && row.edit_state_ts !== null ? { ts: row.edit_state_ts, state: row.edit_state as 'killed', code: row.edit_code } : null,
      lastSeen: row.last_seen,
      heardAt: row.heard_at,
      pid: row.pid,
      pidStart: row.pid_start,
      host: row.host,
      heartbeatSec: row.heartbeat_sec,
    },
    env,
  );
  row.state = derived.state;
  row.end_time = derived.endTime;
  if (row.exit_ts === null) row.exit_code = derived.exitCode;
}

function emptyBlock(level: number, block: number): LodBlock {
  return { level, block, count: 0, minStep: null, minValue: null, minTs: null, maxStep: null, maxValue: null, maxTs: null };
}

function writeBlock(st: IngestStatements, kid: number, b: LodBlock): void {
  st.upsertLod.run(kid, b.level, b.block, b.count, b.minStep, b.minValue, b.minTs, b.maxStep, b.maxValue, b.maxTs);
}
