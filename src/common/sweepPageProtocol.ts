// Messages between the sweep page (webview) and the extension host. The page shows one sweep:
// its trials (best first), a parallel-coordinates chart of parameters → metric, and each
// parameter's correlation and importance (src/core/sweeps/sweepAnalysis.ts).

import type { ParamImportance, SweepRow } from '../core/sweeps/sweepAnalysis';
import { isBoundedString, isObject, isOneOf } from './guards';

export const SWEEP_PAGE_VIEW_TYPE = 'runlog.sweepPage';

export interface SweepView {
  readonly id: string;
  readonly name: string | null;
  readonly project: string;
  readonly method: string;
  readonly metric: { readonly name: string; readonly goal: 'minimize' | 'maximize' } | null;
  readonly state: 'running' | 'paused' | 'stopped' | 'done';
  readonly total: number | null;
  readonly ended: number;
  readonly running: number;
  readonly metricMissing: boolean;
  /** Best first. Metric values are finite or null. */
  readonly rows: readonly SweepRow[];
  /** Parameter names in config order (the chart's axes, before the metric axis). */
  readonly params: readonly string[];
  readonly importance: readonly ParamImportance[];
}

// ---- host → page ----
export interface SweepSnapshotMessage {
  readonly type: 'snapshot';
  readonly sweep: SweepView;
}
export interface SweepErrorMessage {
  readonly type: 'error';
  readonly message: string;
}
export type HostToSweepPage = SweepSnapshotMessage | SweepErrorMessage;

// ---- page → host ----
export interface SweepReadyMessage {
  readonly type: 'ready';
}
export interface SweepOpenRunMessage {
  readonly type: 'openRun';
  readonly project: string;
  readonly runId: string;
}
export interface SweepControlMessage {
  readonly type: 'control';
  readonly state: 'running' | 'paused' | 'stopped';
}
export type SweepPageToHost = SweepReadyMessage | SweepOpenRunMessage | SweepControlMessage;

/** Checks a message from the page; undefined when it is not one this protocol knows. */
export function parseSweepPageMessage(raw: unknown): SweepPageToHost | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openRun':
      return isBoundedString(raw.project, 100) && isBoundedString(raw.runId, 64) ? { type: 'openRun', project: raw.project, runId: raw.runId } : undefined;
    case 'control':
      return isOneOf(raw.state, ['running', 'paused', 'stopped'] as const) ? { type: 'control', state: raw.state } : undefined;
    default:
      return undefined;
  }
}

/** What a sweep page keeps across Reload Window (vscode.setState): which sweep it shows. */
export interface SweepPageState {
  readonly sweepId: string;
}

export function parseSweepPageState(value: unknown): SweepPageState | undefined {
  return isObject(value) && isBoundedString(value.sweepId, 200) && value.sweepId !== '' ? { sweepId: value.sweepId } : undefined;
}
