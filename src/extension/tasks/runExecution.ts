// Builds what a `runlog` task executes: an argument vector, an environment carrying the run
// context, and a working directory. Pure (no `vscode`), so it is tested alone, like
// rust-analyzer's `createTaskFromRunnable`.

import * as path from 'node:path';
import type { RunlogTaskDefinition } from './taskDefinition';

/** What the extension decided for one launch, beside the task definition. */
export interface LaunchContext {
  /** Interpreter argv prefix: `['/usr/bin/python3']`, or e.g. `['conda', 'run', '-n', 'x', 'python']`. */
  readonly python: readonly string[];
  readonly workspaceFolder: string | undefined;
  readonly storeDir: string;
  /** Folder that holds the `runlog` package (put first on PYTHONPATH). */
  readonly sdkPath: string;
  /** The `wandb` stand-in (`runlog.wandbStandIn`): its folder follows the SDK on PYTHONPATH unless `off`. */
  readonly wandbStandIn?: WandbStandIn;
  readonly project: string;
  readonly runId: string;
  readonly runName: string | undefined;
  readonly quiet: boolean;
  readonly systemInterval: number;
  /** The environment the process inherits (the extension host's). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** The active editor's file, for `${file}` in tasks.json. */
  readonly activeFile?: string | undefined;
  /** `runlog.recordCode`: false sets RUNLOG_CODE=0 (no commit and diff in the run's `code/`). */
  readonly recordCode?: boolean;
}

export type WandbStandIn = 'auto' | 'always' | 'off';

/** The folder holding the `wandb` stand-in package, inside the SDK folder. */
export function wandbStandInPath(sdkPath: string): string {
  return path.join(sdkPath, 'runlog', 'wandb_compat');
}

/**
 * PYTHONPATH entries the run context puts first: the SDK, then (unless `off`) the `wandb`
 * stand-in, which itself hands over to a real wandb under `auto` (RUNLOG_WANDB).
 */
export function runContextPythonPath(sdkPath: string, standIn: WandbStandIn): string[] {
  return standIn === 'off' ? [sdkPath] : [sdkPath, wandbStandInPath(sdkPath)];
}

export interface RunExecution {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Absolute path of the script. */
  readonly script: string;
}

/** Every variable of the run context; an inherited one is dropped so runs never share an ID. */
export const RUN_CONTEXT_VARIABLES = [
  'RUNLOG_DIR',
  'RUNLOG_PROJECT',
  'RUNLOG_RUN_ID',
  'RUNLOG_RUN_NAME',
  'RUNLOG_TAGS',
  'RUNLOG_NOTES',
  'RUNLOG_GROUP',
  'RUNLOG_JOB_TYPE',
  'RUNLOG_RESUME',
  'RUNLOG_FORK_FROM',
  'RUNLOG_RESUME_FROM',
  'RUNLOG_QUIET',
  'RUNLOG_SYSTEM_INTERVAL',
  'RUNLOG_CAPTURE_OUTPUT',
  'RUNLOG_WANDB',
  'RUNLOG_CODE',
] as const;

/**
 * Replaces `${workspaceFolder}`, `${workspaceFolderBasename}`, `${file}`, `${fileDirname}` and
 * `${env:NAME}`: VS Code substitutes variables in process and shell executions only, not in the
 * fields of a custom task's definition. Unknown variables stay as written.
 */
export function substituteVariables(text: string, ctx: Pick<LaunchContext, 'workspaceFolder' | 'activeFile' | 'baseEnv'>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' && ctx.workspaceFolder) return ctx.workspaceFolder;
    if (name === 'workspaceFolderBasename' && ctx.workspaceFolder) return path.basename(ctx.workspaceFolder);
    if (name === 'file' && ctx.activeFile) return ctx.activeFile;
    if (name === 'fileDirname' && ctx.activeFile) return path.dirname(ctx.activeFile);
    if (name.startsWith('env:')) return ctx.baseEnv[name.slice(4)] ?? '';
    return whole;
  });
}

/** The script's absolute path: relative paths are against the workspace folder, else `cwd`. */
export function resolveScriptPath(def: Pick<RunlogTaskDefinition, 'script' | 'cwd'>, ctx: Pick<LaunchContext, 'workspaceFolder' | 'activeFile' | 'baseEnv'>): string {
  const script = substituteVariables(def.script, ctx);
  if (path.isAbsolute(script)) return path.normalize(script);
  const base = ctx.workspaceFolder ?? (def.cwd ? path.resolve(substituteVariables(def.cwd, ctx)) : process.cwd());
  return path.resolve(base, script);
}

export function buildRunExecution(def: RunlogTaskDefinition, ctx: LaunchContext): RunExecution {
  const [command, ...pythonArgs] = ctx.python;
  if (!command) throw new Error('No Python interpreter was given.');
  const script = resolveScriptPath(def, ctx);
  const cwd = def.cwd
    ? path.resolve(ctx.workspaceFolder ?? path.dirname(script), substituteVariables(def.cwd, ctx))
    : (ctx.workspaceFolder ?? path.dirname(script));

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.baseEnv)) {
    if (v !== undefined && !(RUN_CONTEXT_VARIABLES as readonly string[]).includes(k)) env[k] = v;
  }
  for (const [k, v] of Object.entries(def.env ?? {})) env[k] = substituteVariables(v, ctx);

  const standIn = ctx.wandbStandIn ?? 'auto';
  env.PYTHONPATH = [...runContextPythonPath(ctx.sdkPath, standIn), ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])].join(path.delimiter);
  if (standIn !== 'off') env.RUNLOG_WANDB = standIn;
  // Output reaches the Output channel as it is printed, not when a buffer fills, and decodes the same everywhere.
  env.PYTHONUNBUFFERED = '1';
  env.PYTHONIOENCODING = 'utf-8';

  env.RUNLOG_DIR = ctx.storeDir;
  env.RUNLOG_PROJECT = ctx.project;
  env.RUNLOG_RUN_ID = ctx.runId;
  if (ctx.runName) env.RUNLOG_RUN_NAME = ctx.runName;
  if (def.tags?.length) env.RUNLOG_TAGS = def.tags.map((t) => t.trim()).filter(Boolean).join(',');
  if (def.notes) env.RUNLOG_NOTES = def.notes;
  if (def.group) env.RUNLOG_GROUP = def.group;
  if (def.jobType) env.RUNLOG_JOB_TYPE = def.jobType;
  if (def.resume) env.RUNLOG_RESUME = def.resume;
  if (def.forkFrom) env.RUNLOG_FORK_FROM = def.forkFrom;
  if (def.resumeFrom) env.RUNLOG_RESUME_FROM = def.resumeFrom;
  if (ctx.quiet) env.RUNLOG_QUIET = '1';
  env.RUNLOG_SYSTEM_INTERVAL = String(ctx.systemInterval);
  env.RUNLOG_CAPTURE_OUTPUT = '1';
  if (ctx.recordCode === false) env.RUNLOG_CODE = '0';

  const args = [...pythonArgs, script, ...(def.args ?? []).map((a) => substituteVariables(a, ctx))];
  return { command, args, env, cwd, script };
}
