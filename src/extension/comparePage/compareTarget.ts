// What `runlog.compareRuns` was invoked with, read without touching the editor.
import { parseRunKey, type RunKey } from '../../core/model';

export interface CompareTarget {
  readonly project: string;
  /** Runs to select on the page. */
  readonly runs: readonly RunKey[];
}

function keyOf(value: unknown): RunKey | undefined {
  if (typeof value === 'object' && value !== null) {
    const key = (value as { key?: unknown }).key;
    if (typeof key === 'string' && parseRunKey(key)) return key;
  }
  if (typeof value === 'string' && parseRunKey(value)) return value;
  return undefined;
}

function projectOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) {
    const project = (value as { project?: unknown }).project;
    if (typeof project === 'string' && project.length > 0) return project;
  }
  return undefined;
}

/**
 * What `runlog.compareRuns` was asked to compare: a tree item with a run `key` (with the tree's
 * multi-selection as the second argument), an item or object with a `project`, a list of keys,
 * or a project name. Undefined when the arguments name nothing.
 */
export function compareTarget(args: readonly unknown[]): CompareTarget | undefined {
  const [first, second] = args;
  const list = Array.isArray(second) && second.length > 0 ? second : Array.isArray(first) ? first : first === undefined ? [] : [first];
  const keys = list.map(keyOf).filter((k): k is RunKey => k !== undefined);
  if (keys.length > 0) {
    const project = parseRunKey(keys[0]!)!.project;
    return { project, runs: keys.filter((k) => parseRunKey(k)?.project === project) };
  }
  const project = projectOf(first) ?? (typeof first === 'string' && first.length > 0 ? first : undefined);
  return project ? { project, runs: [] } : undefined;
}
