// What a lifecycle command was called with: a tree row (and the rows selected with it), a run
// key, or nothing (the palette), plus answers that stand in for its prompts. Pure.

import type { RunKey } from '../../core/model';

/** Answers given with a command so it asks nothing (code lens, other extensions, tests). */
export interface CommandAnswers {
  readonly name?: string;
  readonly notes?: string;
  readonly tag?: string;
  readonly project?: string;
  readonly step?: number;
  /** Delete without the confirmation dialog. */
  readonly confirm?: boolean;
}

export interface CommandTargets {
  /** Empty when the command should ask which run. */
  readonly keys: RunKey[];
  readonly answers: CommandAnswers;
}

function keyOf(value: unknown): RunKey | undefined {
  if (typeof value === 'string' && value.includes('/')) return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as { kind?: unknown; key?: unknown };
    if (typeof v.key === 'string' && (v.kind === undefined || v.kind === 'run')) return v.key;
  }
  return undefined;
}

function isAnswers(value: unknown): value is CommandAnswers {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return !('kind' in v) && !('key' in v);
}

/**
 * `(row, selectedRows)` from a tree menu, `(key)` or `(key, answers)` from code, `([keys], answers)`.
 * A row outside the selection acts alone, as VS Code's own trees do.
 */
export function parseCommandArgs(args: readonly unknown[]): CommandTargets {
  const [first, second, third] = args;
  const answers = [second, third].find(isAnswers) ?? {};
  const firstKey = keyOf(first);
  let keys: RunKey[] = [];
  if (Array.isArray(first)) keys = first.map(keyOf).filter((k): k is RunKey => k !== undefined);
  else if (Array.isArray(second) && firstKey && second.some((s) => keyOf(s) === firstKey)) {
    keys = second.map(keyOf).filter((k): k is RunKey => k !== undefined);
  } else if (firstKey) keys = [firstKey];
  return { keys: [...new Set(keys)], answers };
}
