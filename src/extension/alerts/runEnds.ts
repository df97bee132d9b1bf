// Which runs ended badly while this window was open: a run seen running that is now failed or
// crashed, or one that started after the window opened and is already failed or crashed (a
// script that fails in its first second is never seen running). Runs that were over before
// the window opened are history, as alerts are: re-indexing must not replay them as toasts.
// Pure, so the rules are tested without an editor.

import type { RunInfo, RunKey, RunState } from '../../core/model';

export type BadEnd = Extract<RunState, 'failed' | 'crashed'>;

export class RunEndTracker {
  private readonly running = new Set<RunKey>();
  private readonly reported = new Set<RunKey>();

  /** @param openedAt epoch seconds when the window opened. */
  constructor(private readonly openedAt: number) {}

  /** Takes a run as the store has it now; returns it when its bad end is news. */
  observe(run: RunInfo): BadEnd | undefined {
    if (run.state === 'running') {
      this.running.add(run.key);
      this.reported.delete(run.key); // resumed: a later bad end is news again
      return undefined;
    }
    const wasRunning = this.running.delete(run.key);
    if (run.state !== 'failed' && run.state !== 'crashed') return undefined;
    if (this.reported.has(run.key)) return undefined;
    if (!wasRunning && run.startTime < this.openedAt) return undefined;
    this.reported.add(run.key);
    return run.state;
  }

  forget(key: RunKey): void {
    this.running.delete(key);
    this.reported.delete(key);
  }
}
