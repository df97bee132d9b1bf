// What Start Sweep runs, as argument vectors (no shell): `python -m runlog._sweeps create` once,
// then one `python -m runlog._sweeps agent` task per agent. Pure, so it is tested alone.

import * as path from 'node:path';

export interface SweepLaunchContext {
  /** Interpreter argv prefix, e.g. `['/usr/bin/python3']`. */
  readonly python: readonly string[];
  readonly storeDir: string;
  /** Folder holding the bundled `runlog` package (first on PYTHONPATH). */
  readonly sdkPath: string;
  /** The agents' working directory: the sweep's `program` is relative to it. */
  readonly cwd: string;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

export interface SweepProcess {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

function sweepProcess(ctx: SweepLaunchContext, args: readonly string[]): SweepProcess {
  const [command, ...pythonArgs] = ctx.python;
  if (!command) throw new Error('No Python interpreter was given.');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.baseEnv)) if (v !== undefined && !k.startsWith('RUNLOG_')) env[k] = v;
  env.PYTHONPATH = ctx.baseEnv.PYTHONPATH ? `${ctx.sdkPath}${path.delimiter}${ctx.baseEnv.PYTHONPATH}` : ctx.sdkPath;
  env.PYTHONUNBUFFERED = '1';
  env.RUNLOG_DIR = ctx.storeDir;
  return { command, args: [...pythonArgs, '-m', 'runlog._sweeps', ...args, '--dir', ctx.storeDir], env, cwd: ctx.cwd };
}

export function createSweepProcess(ctx: SweepLaunchContext, sweepFile: string): SweepProcess {
  return sweepProcess(ctx, ['create', sweepFile]);
}

export function agentProcess(ctx: SweepLaunchContext, sweepId: string): SweepProcess {
  return sweepProcess(ctx, ['agent', sweepId]);
}

/** Why `text` is not a number of agents, or undefined. */
export function agentCountProblem(text: string): string | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 64 ? undefined : 'Enter a whole number of agents from 1 to 64.';
}

/** A YAML or JSON sweep config at a glance: a top-level method and parameters. */
export function looksLikeSweepConfig(text: string): number | undefined {
  const yaml = /^method:[ \t]*["']?(grid|random|bayes)\b/m.exec(text);
  if (yaml && /^parameters:/m.test(text)) return text.slice(0, yaml.index).split('\n').length - 1;
  const json = /"method"\s*:\s*"(grid|random|bayes)"/.exec(text);
  if (json && /"parameters"\s*:/.test(text)) return text.slice(0, json.index).split('\n').length - 1;
  return undefined;
}
