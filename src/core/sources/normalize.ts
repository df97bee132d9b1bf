// A source run read whole into one plain object: what `runlog import` reports and what tests
// check. The index and the importer consume batches; this folds them.

import type { EventRecord, InitRecord, Json, OutputRecord, SystemRecord } from '../format/records';
import type { HistoryValue } from '../format/records';
import { deepMerge } from '../index/values';
import type { RunSource, SourceBatch, SourceMedia, SourceRunRef, SourceState } from './types';

export interface NormalizedRun {
  readonly ref: SourceRunRef;
  readonly inits: InitRecord[];
  readonly config: Record<string, unknown>;
  readonly summary: Record<string, unknown>;
  readonly history: { step: number; ts: number; data: Record<string, HistoryValue> }[];
  readonly system: SystemRecord[];
  readonly output: OutputRecord[];
  readonly files: string[];
  readonly media: SourceMedia[];
  readonly definitions: Json[];
  readonly events: EventRecord[];
  readonly state: SourceState;
  readonly exitCode: number | null;
  readonly notes: string[];
  readonly problems: string[];
  readonly records: number;
}

export function foldBatch(run: Omit<NormalizedRun, 'state' | 'exitCode' | 'notes'>, batch: SourceBatch): void {
  for (const e of batch.events) {
    run.events.push(e);
    if (e.type === 'init') run.inits.push(e);
    else if (e.type === 'config') deepMerge(run.config, structuredClone(e.data));
    else if (e.type === 'summary') deepMerge(run.summary, structuredClone(e.data));
    else if (e.type === 'history') run.history.push({ step: e.step, ts: e.ts, data: e.data });
    else if (e.type === 'file') run.files.push(e.path);
  }
  run.system.push(...batch.system);
  run.output.push(...batch.output);
  run.media.push(...batch.media);
  run.definitions.push(...batch.definitions);
  run.problems.push(...batch.problems);
  (run as { records: number }).records += batch.records;
}

export function readWholeRun(source: RunSource, ref: SourceRunRef, now = Date.now() / 1000): NormalizedRun {
  const reader = source.open(ref);
  const run = {
    ref, inits: [], config: {}, summary: {}, history: [], system: [], output: [], files: [], media: [], definitions: [], events: [], problems: [], records: 0,
  };
  foldBatch(run, reader.read(now));
  const { state, exitCode } = reader.state(now);
  return { ...run, state, exitCode, notes: reader.notes(now) };
}
