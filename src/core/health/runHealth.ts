// What is going wrong with a live run, for the editor's Problems entries: a metric that became
// NaN or ±Infinity, a loss that grew for N logged steps in a row, a process alive but silent.
// Pure: the adapter (src/extension/diagnostics) reads the store and places the entries.

import type { MetricValue } from '../model';

export interface HealthSettings {
  /** A loss key growing at this many logged steps in a row is a problem; 0: never. */
  readonly lossRiseSteps: number;
  /** A live run that logged nothing for this many seconds is a problem; 0: never. */
  readonly silentAfterSec: number;
}

/** One metric of a live run: its last value and the tail of its history (step order). */
export interface MetricTail {
  readonly key: string;
  readonly last: MetricValue;
  readonly lastStep: number;
  readonly steps: readonly number[];
  /** null where the value was NaN (the index stores NaN as NULL) or logged as None. */
  readonly values: readonly (number | null)[];
  /** Wall time (epoch seconds) of each point. */
  readonly times: readonly number[];
}

export type RunIssueKind = 'non-finite' | 'loss-rising' | 'silent';

export interface RunIssue {
  readonly kind: RunIssueKind;
  /** The metric the issue is about; for `silent`, the metric logged last. */
  readonly key: string;
  readonly step: number;
  /** What a person reads in the Problems panel (the adapter adds the run). */
  readonly message: string;
}

/** True for keys that name a loss: the last `/` segment holds "loss" (train/loss, val_loss, Loss). */
export function isLossKey(key: string): boolean {
  return /loss/i.test(key.slice(key.lastIndexOf('/') + 1));
}

/** How many points of history each metric's tail needs for these settings. */
export function tailLength(settings: HealthSettings): number {
  return Math.max(2, settings.lossRiseSteps + 1);
}

/** The problems of one live run at `now` (epoch seconds). A run that is not running has none. */
export function runIssues(metrics: readonly MetricTail[], running: boolean, now: number, settings: HealthSettings): RunIssue[] {
  if (!running) return [];
  const issues: RunIssue[] = [];
  for (const m of metrics) {
    const nonFinite = nonFiniteSince(m);
    if (nonFinite) {
      issues.push({ kind: 'non-finite', key: m.key, step: nonFinite.step, message: `${m.key} became ${nonFinite.text} at step ${nonFinite.step}` });
      continue;
    }
    const n = settings.lossRiseSteps;
    if (n > 0 && isLossKey(m.key)) {
      const rising = risingSteps(m.values);
      if (rising >= n) {
        const step = m.steps[m.steps.length - 1]!;
        issues.push({ kind: 'loss-rising', key: m.key, step, message: `${m.key} grew ${rising} logged steps in a row, to ${formatNumber(m.values[m.values.length - 1]!)} at step ${step}` });
      }
    }
  }
  if (settings.silentAfterSec > 0) {
    let latest: MetricTail | undefined;
    let latestTs = -Infinity;
    for (const m of metrics) {
      const ts = m.times[m.times.length - 1];
      if (ts !== undefined && ts > latestTs) {
        latestTs = ts;
        latest = m;
      }
    }
    if (latest && now - latestTs >= settings.silentAfterSec) {
      // The message names the setting, not the time passed: it stays the same while the silence lasts.
      issues.push({ kind: 'silent', key: latest.key, step: latest.lastStep, message: `logged nothing for over ${formatSilence(settings.silentAfterSec)} (process alive; last step ${latest.lastStep})` });
    }
  }
  return issues;
}

/** When the last value is NaN or ±Infinity: the first step of that trailing stretch, and its name. */
function nonFiniteSince(m: MetricTail): { step: number; text: string } | undefined {
  const last = m.last;
  if (typeof last !== 'number' || Number.isFinite(last)) return undefined;
  const text = Number.isNaN(last) ? 'NaN' : last > 0 ? 'Infinity' : '-Infinity';
  let step = m.lastStep;
  for (let i = m.values.length - 1; i >= 0; i--) {
    const v = m.values[i]!;
    if (v !== null && Number.isFinite(v)) break;
    step = m.steps[i]!;
  }
  return { step, text };
}

/** How many times in a row the series grew at its end (nulls break the run). */
function risingSteps(values: readonly (number | null)[]): number {
  let count = 0;
  for (let i = values.length - 1; i > 0; i--) {
    const a = values[i - 1];
    const b = values[i];
    if (a === null || b === null || a === undefined || b === undefined || !(b > a)) break;
    count++;
  }
  return count;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

function formatSilence(sec: number): string {
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${Math.round(sec / 3600)} h`;
}
