// The `runlog-sweep` task type (package.json `taskDefinitions`): a sweep defined in tasks.json.
// `config` creates a sweep from a YAML/JSON sweep file and runs its agents; `sweep` joins
// agents to a sweep that exists. No `vscode` import: tasks.json is untrusted JSON until checked.

import type { Checked } from '../tasks/taskDefinition';

export const SWEEP_TASK_TYPE = 'runlog-sweep';
export const MAX_AGENTS = 64;

export interface SweepTaskDefinition {
  readonly type: typeof SWEEP_TASK_TYPE;
  /** The sweep file, relative to the workspace folder or absolute. */
  readonly config?: string;
  /** An existing sweep's ID: its agents are added to it. */
  readonly sweep?: string;
  /** Agents to run in parallel, each one trial at a time; default: the `runlog.sweep.agents` setting. */
  readonly agents?: number;
}

const SWEEP_ID_RE = /^[a-z0-9_-]{1,64}$/;

/** Checks a definition from tasks.json (or Start Sweep's own) and names each problem. */
export function checkSweepTaskDefinition(raw: unknown): Checked<SweepTaskDefinition> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['The task definition is not an object.'] };
  const d = raw as Record<string, unknown>;
  const errors: string[] = [];
  if (d.type !== SWEEP_TASK_TYPE) errors.push(`"type" must be "${SWEEP_TASK_TYPE}".`);
  const config = typeof d.config === 'string' && d.config.trim() ? d.config : undefined;
  const sweep = typeof d.sweep === 'string' && d.sweep.trim() ? d.sweep : undefined;
  if (d.config !== undefined && config === undefined) errors.push('"config" must name the sweep file (YAML or JSON).');
  if (d.sweep !== undefined && (sweep === undefined || !SWEEP_ID_RE.test(sweep))) errors.push(`"sweep" ${JSON.stringify(d.sweep)} is not a sweep ID: use 1-64 characters of a-z 0-9 _ -.`);
  if (config !== undefined && sweep !== undefined) errors.push('Give "config" (to create a sweep) or "sweep" (to join one), not both.');
  if (d.config === undefined && d.sweep === undefined) errors.push('Give "config", the sweep file to create a sweep from, or "sweep", the ID of a sweep to join.');
  if (d.agents !== undefined && !(typeof d.agents === 'number' && Number.isInteger(d.agents) && d.agents >= 1 && d.agents <= MAX_AGENTS)) {
    errors.push(`"agents" must be a whole number from 1 to ${MAX_AGENTS}.`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { type: SWEEP_TASK_TYPE, ...(config ? { config } : {}), ...(sweep ? { sweep } : {}), ...(d.agents !== undefined ? { agents: d.agents as number } : {}) } };
}

/** "sweep: configs/sweep.yaml · 2 agents" */
export function sweepTaskLabel(d: SweepTaskDefinition, agents: number): string {
  const what = d.config ? `sweep: ${d.config}` : `sweep ${d.sweep}`;
  return `${what} · ${agents} agent${agents === 1 ? '' : 's'}`;
}
