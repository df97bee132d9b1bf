// What the Charts and System tabs say when they have nothing to draw, and why: a run that has
// not logged yet, one that never logged, a run younger (or shorter) than the system sampling
// interval it recorded, or one with system sampling off. Pure, so each case is unit-tested.

import type { RunView, SeriesScope } from '../../common/runPageProtocol';
import { formatDuration } from '../shared/format';

export interface EmptyText {
  readonly title: string;
  readonly detail: string;
}

/** The SDK's default, for runs written before it recorded its interval. */
const DEFAULT_SYSTEM_INTERVAL = 10;

const seconds = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} s`;

export function emptyChartsText(scope: SeriesScope, run: Pick<RunView, 'state' | 'durationSec' | 'meta'>): EmptyText {
  const live = run.state === 'running';
  if (scope === 'history') {
    return live
      ? { title: 'No metrics logged yet', detail: 'Charts appear here as the script calls run.log({"loss": loss}).' }
      : { title: 'No metrics were logged', detail: `The run ended (${run.state}) after ${formatDuration(run.durationSec)} without calling run.log(…).` };
  }
  const recorded = run.meta.system_interval;
  if (recorded === 0) {
    return { title: 'System metrics are off for this run', detail: 'It was started with system sampling off (RUNLOG_SYSTEM_INTERVAL=0 or settings=Settings(system_interval=0)).' };
  }
  const interval = typeof recorded === 'number' && recorded > 0 ? recorded : DEFAULT_SYSTEM_INTERVAL;
  const every = `CPU, memory, disk, network and GPUs are sampled every ${seconds(interval)}${typeof recorded === 'number' ? '' : ' (the SDK’s default)'}.`;
  if (live) return { title: `No system samples yet: the first comes ${seconds(interval)} after start`, detail: every };
  if (run.durationSec < interval) {
    return { title: 'No system samples', detail: `The run ended after ${formatDuration(run.durationSec)}, before the first sample (${seconds(interval)} after start). ${every}` };
  }
  return { title: 'No system samples', detail: `The process that ran it did not record any. ${every}` };
}
