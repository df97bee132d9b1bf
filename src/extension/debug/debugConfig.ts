// What "Debug Run" hands to VS Code's debugger: a `debugpy` (or the older `python`) launch
// configuration that runs the planned script with the run context, as a task would. Pure.

import type { RunExecution } from '../tasks/runExecution';

/** The debug types that launch Python, best first: the Python Debugger extension's, then the Python extension's older one. */
export const PYTHON_DEBUG_TYPES = ['debugpy', 'python'] as const;

export interface ContributedDebugger {
  readonly type?: unknown;
}

/** The first Python debug type some installed extension contributes, or undefined. */
export function pythonDebugType(contributed: readonly ContributedDebugger[]): string | undefined {
  const types = new Set(contributed.map((d) => d.type).filter((t): t is string => typeof t === 'string'));
  return PYTHON_DEBUG_TYPES.find((t) => types.has(t));
}

/** The run context: the variables the launch sets or changes, not the whole inherited environment. */
export function runContextEnv(execution: Pick<RunExecution, 'env'>, inherited: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(execution.env)) if (inherited[k] !== v) env[k] = v;
  return env;
}

export interface DebugLaunch {
  readonly type: string;
  readonly request: 'launch';
  readonly name: string;
  readonly program: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** The interpreter: a path, or an argument vector (`conda run -n x python`), both of which debugpy takes. */
  readonly python: string | string[];
  readonly console: 'integratedTerminal';
  readonly justMyCode: boolean;
  /** Ours: which run this session is (kept in the session's configuration). */
  readonly runlogRun: string;
  [key: string]: unknown;
}

/**
 * The launch configuration for `execution` (built by buildRunExecution from the interpreter's
 * argv): the interpreter is what precedes the script in its argument vector.
 */
export function debugLaunch(type: string, execution: RunExecution, runKey: string, label: string, inherited: Readonly<Record<string, string | undefined>>): DebugLaunch {
  const at = execution.args.indexOf(execution.script);
  const interpreter = [execution.command, ...(at >= 0 ? execution.args.slice(0, at) : [])];
  const scriptArgs = at >= 0 ? execution.args.slice(at + 1) : [];
  return {
    type,
    request: 'launch',
    name: `Debug Run: ${label}`,
    program: execution.script,
    args: scriptArgs,
    cwd: execution.cwd,
    env: runContextEnv(execution, inherited),
    python: interpreter.length === 1 ? interpreter[0]! : interpreter,
    console: 'integratedTerminal',
    justMyCode: true,
    runlogRun: runKey,
  };
}
