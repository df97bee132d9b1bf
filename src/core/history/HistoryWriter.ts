// Writes one run's metric history inside the ingest's transaction: the rows, the per-key stats
// and the level-of-detail blocks, appended in step order or recomputed over steps written again.

import type { Database, Statement } from 'better-sqlite3';
import type { MetricKeyRow, RunRow } from '../index/rows';
import { encodeValue, flatten, toStoredNumber } from '../index/values';
import { blockFromRow, emptyBlock, foldPoint, LOD_LEVELS, type LodBlock, type LodRow } from './lod';

/** Rows per batched insert: one call per row costs more than SQLite's work for it. */
export const HISTORY_BATCH = 64;

/** The history statements of one connection, made once and reused for every slice. */
export class HistoryStatements {
  readonly selectKeys: Statement;
  readonly insertKey: Statement;
  readonly updateKey: Statement;
  readonly deleteKey: Statement;
  readonly upsertHistory: Statement;
  readonly upsertHistoryBatch: Statement;
  readonly deleteHistoryAfter: Statement;
  readonly scanHistory: Statement;
  readonly aggregateKey: Statement;
  readonly lastValue: Statement;
  readonly selectLod: Statement;
  readonly upsertLod: Statement;
  readonly deleteLodRange: Statement;
  readonly deleteLodKey: Statement;
  /** A run's blocks (its history rows go with the run's other per-run rows). */
  readonly deleteRunLod: Statement;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.selectKeys = p('SELECT * FROM metric_keys WHERE run = ?');
    this.insertKey = p('INSERT INTO metric_keys (run, key) VALUES (?, ?)');
    this.updateKey = p('UPDATE metric_keys SET count = ?, first_step = ?, last_step = ?, min = ?, max = ?, last = ? WHERE kid = ?');
    this.deleteKey = p('DELETE FROM metric_keys WHERE kid = ?');
    this.upsertHistory = p(`INSERT INTO history (run, key, step, value, ts) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run, key, step) DO UPDATE SET value = excluded.value, ts = excluded.ts`);
    this.upsertHistoryBatch = p(`INSERT INTO history (run, key, step, value, ts) VALUES ${Array.from({ length: HISTORY_BATCH }, () => '(?, ?, ?, ?, ?)').join(', ')}
      ON CONFLICT (run, key, step) DO UPDATE SET value = excluded.value, ts = excluded.ts`);
    this.deleteHistoryAfter = p('DELETE FROM history WHERE run = ? AND key = ? AND step > ?');
    this.scanHistory = p('SELECT step, value, ts FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step').raw();
    this.aggregateKey = p('SELECT count(*) AS count, min(step) AS first, max(step) AS last, min(value) AS min, max(value) AS max FROM history WHERE run = ? AND key = ?');
    this.lastValue = p('SELECT value FROM history WHERE run = ? AND key = ? ORDER BY step DESC LIMIT 1').pluck();
    this.selectLod = p('SELECT count, min_step, min_value, min_ts, max_step, max_value, max_ts FROM history_lod WHERE key = ? AND level = ? AND block = ?').raw();
    this.upsertLod = p('INSERT OR REPLACE INTO history_lod VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteLodRange = p('DELETE FROM history_lod WHERE key = ? AND level = ? AND block BETWEEN ? AND ?');
    this.deleteLodKey = p('DELETE FROM history_lod WHERE key = ?');
    this.deleteRunLod = p('DELETE FROM history_lod WHERE key IN (SELECT kid FROM metric_keys WHERE run = ?)');
  }
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

/** What the history of a slice changed. */
export interface HistoryChanges {
  readonly keys: Set<string>;
  from: number;
  to: number;
}

export class HistoryWriter {
  private keys: Map<string, KeyState> | undefined;
  readonly changes: HistoryChanges = { keys: new Set(), from: Infinity, to: -Infinity };

  constructor(
    private readonly st: HistoryStatements,
    /** The run's row: `last_step` follows the history. */
    private readonly row: RunRow,
  ) {}

  private get rid(): number {
    return this.row.rid;
  }

  /** One `history` record; returns a problem message for values it had to skip. */
  log(step: number, data: Record<string, unknown>, ts: number): string | undefined {
    let skipped: string[] | undefined;
    for (const name in data) {
      const raw = data[name];
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        // The SDK flattens; a nested object from another writer is flattened here.
        const nested = this.log(step, flatten(raw as Record<string, unknown>, name), ts);
        if (nested) (skipped ??= []).push(nested);
        continue;
      }
      const value = toStoredNumber(raw);
      // Strings and other JSON values (W&B keeps them in history) are points with no number:
      // the run's summary shows the last one as text; charts leave a gap.
      this.addPoint(this.key(name), step, value === undefined ? null : value, raw, ts);
    }
    this.touched(step);
    return skipped?.join('; ');
  }

  private touched(step: number): void {
    if (step < this.changes.from) this.changes.from = step;
    if (step > this.changes.to) this.changes.to = step;
  }

  private keyMap(): Map<string, KeyState> {
    if (this.keys) return this.keys;
    const map = new Map<string, KeyState>();
    for (const r of this.st.selectKeys.all(this.rid) as MetricKeyRow[]) map.set(r.key, keyState(r));
    this.keys = map;
    return map;
  }

  private key(name: string): KeyState {
    const map = this.keyMap();
    let state = map.get(name);
    if (!state) {
      const kid = Number(this.st.insertKey.run(this.rid, name).lastInsertRowid);
      state = keyState({ kid, run: this.rid, key: name, count: 0, first_step: null, last_step: null, min: null, max: null, last: null });
      map.set(name, state);
    }
    return state;
  }

  private addPoint(k: KeyState, step: number, value: number | null, raw: unknown, ts: number): void {
    k.dirty = true;
    this.changes.keys.add(k.key);
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
          if (current !== undefined) this.writeBlock(k.kid, current);
          // Only the block holding the last stored step can have rows that are not in memory.
          current = current === undefined && k.storedLast !== null && Math.floor(k.storedLast / level) === block ? this.loadBlock(k.kid, level, block) : emptyBlock(level, block);
        }
        foldPoint(current, step, values[j]!, times[j]!);
      }
      this.writeBlock(k.kid, current!);
      k.lod[i] = current;
    }
  }

  private loadBlock(kid: number, level: number, block: number): LodBlock {
    const r = this.st.selectLod.get(kid, level, block) as LodRow | undefined;
    return r ? blockFromRow(level, block, r) : emptyBlock(level, block);
  }

  private writeBlock(kid: number, b: LodBlock): void {
    this.st.upsertLod.run(kid, b.level, b.block, b.count, b.minStep, b.minValue, b.minTs, b.maxStep, b.maxValue, b.maxTs);
  }

  /** Writes buffered history rows, blocks and stats. */
  flush(): void {
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
        foldPoint(current, step, value, ts);
      }
      this.st.deleteLodRange.run(k.kid, level, first, last);
      for (const block of blocks) this.writeBlock(k.kid, block);
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

  /** A `rewind` record: the history after `step` is superseded. */
  rewind(step: number): void {
    this.flush();
    const keys = this.keyMap();
    let changed = false;
    for (const k of [...keys.values()]) {
      if (k.lastStep === null || k.lastStep <= step) continue;
      changed = true;
      this.st.deleteHistoryAfter.run(this.rid, k.kid, step);
      this.changes.keys.add(k.key);
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
      this.touched(step);
    }
  }
}

function keyState(r: MetricKeyRow): KeyState {
  return {
    kid: r.kid, key: r.key, count: r.count, firstStep: r.first_step, lastStep: r.last_step, min: r.min, max: r.max,
    last: r.last, lastRaw: undefined, lastChanged: false, dirty: false, recomputeFrom: Infinity, recomputeTo: -Infinity,
    lod: LOD_LEVELS.map(() => undefined), storedLast: r.last_step, steps: [], values: [], times: [], rewrites: [],
  };
}
