// The sources Runlog reads runs from, by the name their markers and index rows carry.
// A new reader (TensorBoard, MLflow) is one more entry.

import type { RunSource } from './types';
import { WandbSource } from './wandb/WandbSource';

const factories: Record<string, () => RunSource> = {
  wandb: () => new WandbSource(),
};

const made = new Map<string, RunSource>();

/** The source named `name`, or undefined when this Runlog has no reader for it. */
export function sourceNamed(name: string): RunSource | undefined {
  let source = made.get(name);
  if (source === undefined && Object.hasOwn(factories, name)) {
    source = factories[name]!();
    made.set(name, source);
  }
  return source;
}
