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

/**
 * The runs a compare page opens with. A selection of two or more runs is what the person chose;
 * one run alone (a right-click on one row) would chart only itself, so the page opens with the
 * project's newest runs, up to `max`, that one among them. `newestFirst` is the project's runs,
 * newest first.
 */
export function initialSelection(target: CompareTarget, newestFirst: readonly RunKey[], max: number): readonly RunKey[] {
  if (target.runs.length !== 1 || max < 2) return target.runs;
  const clicked = target.runs[0]!;
  const newest = newestFirst.filter((k) => k !== clicked).slice(0, max - 1);
  const at = newestFirst.indexOf(clicked);
  // Keep the project's order: the clicked run takes its place among the newest, else comes last.
  const inOrder = at >= 0 && at < max ? [...newest.slice(0, at), clicked, ...newest.slice(at)] : [...newest, clicked];
  return inOrder.slice(0, max);
}
