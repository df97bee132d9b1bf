// The `runlog` task type (package.json `taskDefinitions`), typed and checked. No `vscode` import:
// a definition from tasks.json is untrusted JSON until `checkTaskDefinition` says otherwise.

import { isValidProjectName, isValidRunId, projectNameProblem, runIdProblem } from '../../core/names';

export const TASK_TYPE = 'runlog';
export const TASK_SOURCE = 'Runlog';

export type ResumeMode = 'allow' | 'must' | 'never';

export interface RunlogTaskDefinition {
  readonly type: typeof TASK_TYPE;
  /** Relative to the workspace folder (or `cwd`'s folder), or absolute. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly project?: string;
  readonly name?: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly group?: string;
  readonly jobType?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly python?: string;
  readonly runId?: string;
  readonly resume?: ResumeMode;
  /** `<run-id>?_step=N` */
  readonly forkFrom?: string;
  /** `<run-id>?_step=N` */
  readonly resumeFrom?: string;
}

const STEP_REF_RE = /^[A-Za-z0-9._-]{1,64}\?_step=\d+$/;

/** Why `tag` cannot be a tag, or undefined. Tags travel comma-separated in RUNLOG_TAGS. */
export function tagProblem(tag: string): string | undefined {
  if (!tag.trim()) return 'A tag cannot be empty.';
  if (tag.includes(',')) return 'A tag cannot contain a comma.';
  if (tag.length > 64) return 'A tag can be at most 64 characters.';
  return undefined;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] };

/** Checks every field of a definition as it came from tasks.json or a command, and names each problem. */
export function checkTaskDefinition(raw: unknown): Checked<RunlogTaskDefinition> {
  const errors: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: ['The task definition is not an object.'] };
  }
  const d = raw as Record<string, unknown>;
  if (d.type !== TASK_TYPE) errors.push(`"type" must be "${TASK_TYPE}".`);
  if (typeof d.script !== 'string' || !d.script.trim()) errors.push('"script" must name the Python script to run.');
  const str = (field: string): void => {
    if (d[field] !== undefined && typeof d[field] !== 'string') errors.push(`"${field}" must be a string.`);
  };
  const strList = (field: string): void => {
    const v = d[field];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
      errors.push(`"${field}" must be a list of strings (one entry per argument, no shell).`);
    }
  };
  for (const f of ['project', 'name', 'notes', 'group', 'jobType', 'cwd', 'python', 'runId', 'forkFrom', 'resumeFrom']) str(f);
  strList('args');
  strList('tags');
  if (typeof d.project === 'string' && d.project && !isValidProjectName(d.project)) {
    errors.push(`"project" ${JSON.stringify(d.project)} is not a valid project name: ${projectNameProblem(d.project)}`);
  }
  if (typeof d.runId === 'string' && d.runId && !isValidRunId(d.runId)) {
    errors.push(`"runId" ${JSON.stringify(d.runId)} is not a valid run ID: ${runIdProblem(d.runId)}`);
  }
  for (const f of ['forkFrom', 'resumeFrom']) {
    const v = d[f];
    if (typeof v === 'string' && v && !STEP_REF_RE.test(v)) errors.push(`"${f}" must look like "<run-id>?_step=<N>".`);
  }
  if (d.resume !== undefined && d.resume !== 'allow' && d.resume !== 'must' && d.resume !== 'never') {
    errors.push('"resume" must be "allow", "must" or "never".');
  }
  if (Array.isArray(d.tags)) {
    for (const t of d.tags) {
      const problem = typeof t === 'string' ? tagProblem(t) : undefined;
      if (problem) errors.push(`Tag ${JSON.stringify(t)}: ${problem}`);
    }
  }
  const env = d.env;
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env) || !Object.values(env).every((v) => typeof v === 'string')) {
      errors.push('"env" must map variable names to strings.');
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: d as unknown as RunlogTaskDefinition };
}

/** The label a task gets in "Run Task" and in its terminal's title. */
export function taskLabel(def: Pick<RunlogTaskDefinition, 'script' | 'name'>): string {
  const base = def.script.split(/[\\/]/).pop() || def.script;
  return def.name ? `${base} (${def.name})` : base;
}
