// A sweep as the CLI and the editor see it: plain data, no Node or `vscode` import (the sweep
// page's protocol uses these types in the browser too).

import type { RunState } from '../model';

export const SWEEP_CONTROLS = ['running', 'paused', 'stopped'] as const;
export type SweepControl = (typeof SWEEP_CONTROLS)[number];

export interface SweepTrial {
  readonly trial: number;
  /** As written, with a running trial whose agent or run is gone read as `crashed`. */
  readonly state: RunState;
  readonly params: Readonly<Record<string, unknown>>;
  readonly project: string;
  readonly runId: string;
  /** The sweep metric's final value (explicit summary, else last logged), once the trial ended. */
  readonly metric: number | null;
  readonly reason: string | null;
  readonly note: string | null;
  readonly claimed: number;
  readonly ended: number | null;
}

export interface SweepInfo {
  readonly id: string;
  readonly project: string;
  readonly name: string | null;
  readonly created: number;
  readonly method: string;
  readonly metric: { readonly name: string; readonly goal: 'minimize' | 'maximize' } | null;
  readonly program: string | null;
  /** Trials the sweep plans (grid size, run_cap), or null when open-ended. */
  readonly total: number | null;
  readonly control: SweepControl;
  /** `done` when the planned trials have all ended; else the control state. */
  readonly state: SweepControl | 'done';
  readonly counts: Readonly<Record<RunState, number>>;
  readonly trials: readonly SweepTrial[];
  readonly best: SweepTrial | null;
  /** True when trials ended and none logged the metric. */
  readonly metricMissing: boolean;
  readonly config: Readonly<Record<string, unknown>>;
}

