// Applies the records of one slice of one run's files to the index, inside the caller's
// transaction. Loaded from the run's row at the start, written back by finish().

import type { IngestProblem, RunAlert, RunMeta } from '../model';
import type { EditRecord, EventRecord, InitRecord, MediaRecord, OutputRecord, SystemRecord } from '../format/records';
import { HistoryWriter, type HistoryChanges } from '../history/HistoryWriter';
import type { IngestStatements } from './statements';
import type { RunRow, Segment } from '../index/rows';
import { deepMerge, encodeValue, flatten, toStoredNumber } from '../index/values';
import { deriveState, type Environment } from './state';
import { refreshRunValues } from '../index/runValues';

/** Most problems kept per file of a run; a file of garbage must not bloat the index. */
export const MAX_PROBLEMS_PER_FILE = 200;

/** What a committed slice changed, merged into the pass's ChangeCollector by the caller. */
export interface SliceChanges {
  updated: boolean;
  stateChanged: boolean;
  readonly history: HistoryChanges;
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
  /** An explicit summary value was written: the run's filter values are rewritten at finish(). */
  private summaryDirty = false;
  private readonly history: HistoryWriter;
  private systemKeys: Map<string, number> | undefined;
  private problemCounts = new Map<string, number>();
  readonly changes: SliceChanges;

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
    this.history = new HistoryWriter(st.history, row);
    this.changes = { updated: false, stateChanged: false, history: this.history.changes, systemFrom: Infinity, outputFrom: Infinity, alerts: [], mediaKeys: new Set() };
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
    // New history is its own change (`history`, with its keys and steps); a heartbeat changes nothing shown.
    if (record.type !== 'heartbeat' && record.type !== 'history') this.changes.updated = true;
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
        return this.history.log(record.step, record.data, record.ts);
      case 'summary':
        for (const [key, value] of Object.entries(flatten(record.data))) this.st.upsertSummary.run(this.rid, key, encodeValue(value));
        this.summaryDirty = true;
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
      case 'metric': {
        const { type: _type, ts: _ts, ...definition } = record;
        this.st.upsertMetricDef.run(this.rid, record.name, JSON.stringify(definition));
        return undefined;
      }
      case 'callsite':
        for (const key of record.keys) this.st.upsertCallsite.run(this.rid, key, record.file, record.line);
        return undefined;
      case 'heartbeat':
        return undefined;
      case 'rewind':
        if (this.st.deleteMediaAfter.run(this.rid, record.step).changes > 0) this.changes.mediaKeys.add('');
        this.history.rewind(record.step);
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
      case 'config':
        deepMerge(this.config(), record.data);
        this.configDirty = true;
        return;
      case 'summary':
        for (const [key, value] of Object.entries(flatten(record.data))) this.st.upsertSummary.run(this.rid, key, encodeValue(value));
        this.summaryDirty = true;
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
    this.history.flush();
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
    if (this.configDirty || this.tagsDirty || this.summaryDirty || this.changes.history.keys.size > 0) refreshRunValues(this.st.db, this.rid);
    // The first records read carry their own times (a file time stood in until then, StoreIngestor).
    if (this.heard) row.heard_at = this.firstRead ? null : env.now();
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
