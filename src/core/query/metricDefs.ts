// W&B's define_metric, read back from the index: which definition applies to a metric key, and
// the run summary under its rule (README.md, On-disk format, "metric" records).

import type { MetricValue } from '../model';
import type { MetricSummaryOp } from '../format/records';

export interface MetricDefinition {
  /** The metric key, or a glob with `*`. */
  readonly name: string;
  /** The key charted as this metric's x axis (W&B's `step_metric`), instead of the step. */
  readonly stepMetric?: string;
  readonly hidden?: boolean;
  readonly summary?: readonly MetricSummaryOp[];
  readonly goal?: 'minimize' | 'maximize';
}

/** Definitions stored as (name, JSON) rows; a row that does not parse is left out. */
export function parseDefinitions(rows: readonly { key: string; value: string | null }[] | undefined): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const row of rows ?? []) {
    try {
      const d = JSON.parse(row.value ?? '{}') as Record<string, unknown>;
      out.push({
        name: row.key,
        ...(typeof d.step_metric === 'string' ? { stepMetric: d.step_metric } : {}),
        ...(typeof d.hidden === 'boolean' ? { hidden: d.hidden } : {}),
        ...(Array.isArray(d.summary) ? { summary: d.summary as MetricSummaryOp[] } : {}),
        ...(d.goal === 'minimize' || d.goal === 'maximize' ? { goal: d.goal } : {}),
      });
    } catch {
      // A definition the index cannot read changes nothing.
    }
  }
  return out;
}

function globMatches(glob: string, key: string): boolean {
  const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`, 's').test(key);
}

/** The definition of `key`: its own, else the longest glob that matches it (as the SDK decides). */
export function definitionFor(defs: readonly MetricDefinition[], key: string): MetricDefinition | undefined {
  let best: MetricDefinition | undefined;
  for (const d of defs) {
    if (d.name === key) return d;
    if (d.name.includes('*') && globMatches(d.name, key) && (!best || d.name.length > best.name.length)) best = d;
  }
  return best;
}

export interface KeyAggregates {
  readonly min: number | null;
  readonly max: number | null;
  readonly last: MetricValue;
  readonly mean: () => number | null;
  readonly first: () => MetricValue;
}

/**
 * Applies each definition's summary rule to the summary built from last values, as W&B does:
 * "none" drops the key, "last" alone keeps it, any other op replaces it by `<key>/<op>` keys.
 * Keys the script set in the summary itself (`explicit`) are left as they are.
 */
export function applySummaryRules(
  summary: Record<string, MetricValue>,
  explicit: ReadonlySet<string>,
  defs: readonly MetricDefinition[],
  aggregates: (key: string) => KeyAggregates | undefined,
): void {
  if (defs.length === 0) return;
  for (const key of Object.keys(summary)) {
    if (explicit.has(key)) continue;
    const d = definitionFor(defs, key);
    if (!d?.summary || d.summary.length === 0) continue;
    const ops = d.summary.filter((op) => op !== 'copy');
    if (ops.includes('none')) {
      delete summary[key];
      continue;
    }
    if (ops.length === 0 || (ops.length === 1 && ops[0] === 'last')) continue;
    const a = aggregates(key);
    if (!a) continue;
    delete summary[key];
    for (const op of ops) {
      const value =
        op === 'min' ? a.min
        : op === 'max' ? a.max
        : op === 'last' ? a.last
        : op === 'mean' ? a.mean()
        : op === 'first' ? a.first()
        : op === 'best' ? (d.goal === 'maximize' ? a.max : a.min)
        : null;
      if (value !== null) summary[`${key}/${op}`] = value;
    }
  }
}

/** The fields of a definition the run page reads (`MetricKeyInfo`). */
export function definitionFields(d: MetricDefinition | undefined): { stepMetric?: string; hidden?: boolean; goal?: 'minimize' | 'maximize' } {
  if (!d) return {};
  return { ...(d.stepMetric !== undefined ? { stepMetric: d.stepMetric } : {}), ...(d.hidden !== undefined ? { hidden: d.hidden } : {}), ...(d.goal !== undefined ? { goal: d.goal } : {}) };
}
