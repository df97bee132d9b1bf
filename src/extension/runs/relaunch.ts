// Resume, fork and rewind relaunch a run's own command with the SDK's matching settings. Pure.

import * as path from 'node:path';
import type { RunDetail } from '../../core/model';
import type { RunlogTaskDefinition } from '../tasks/taskDefinition';

export type RelaunchMode = { readonly kind: 'resume' } | { readonly kind: 'fork'; readonly step: number } | { readonly kind: 'rewind'; readonly step: number };

type RunSource = Pick<RunDetail, 'id' | 'project' | 'program' | 'command' | 'cwd' | 'group' | 'jobType' | 'meta'>;

/**
 * The task definition that relaunches `run`. The SDK records `command` as
 * `[sys.executable, *sys.argv]`, so the script's own arguments start at index 2.
 * Throws when the run did not record what it ran.
 */
export function relaunchDefinition(run: RunSource, mode: RelaunchMode): RunlogTaskDefinition {
  const command = run.command ?? run.meta.command ?? null;
  const cwd = run.cwd ?? run.meta.cwd ?? undefined;
  const recordedScript = command?.[1];
  const script = run.program ?? run.meta.program ?? (recordedScript ? path.resolve(cwd ?? '/', recordedScript) : undefined);
  if (!script) throw new Error(`Run ${run.id} did not record the script it ran, so it cannot be relaunched.`);
  const python = run.meta.python?.executable ?? command?.[0];
  const base = {
    type: 'runlog' as const,
    script,
    args: command ? command.slice(2) : [],
    project: run.project,
    ...(cwd ? { cwd } : {}),
    ...(python ? { python } : {}),
  };
  switch (mode.kind) {
    case 'resume':
      return { ...base, runId: run.id, resume: 'must' };
    case 'rewind':
      return { ...base, runId: run.id, resumeFrom: `${run.id}?_step=${mode.step}` };
    case 'fork':
      return {
        ...base,
        forkFrom: `${run.id}?_step=${mode.step}`,
        ...(run.group ? { group: run.group } : {}),
        ...(run.jobType ? { jobType: run.jobType } : {}),
      };
  }
}

/** Why `text` is not a step of a run whose last step is `lastStep`, or undefined. */
export function stepProblem(text: string, lastStep: number | null): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter a step number (0 or more).';
  const step = Number(text.trim());
  if (lastStep === null) return 'This run logged no steps.';
  if (step > lastStep) return `The run's last step is ${lastStep}.`;
  return undefined;
}
