// Collects the changes of one ingest pass and hands them out as one batch.

import type { RunAlert, RunKey, StoreChange } from '../model';
import type { SliceChanges } from './RunSession';

interface RunChanges {
  added: boolean;
  updated: boolean;
  removed: boolean;
  historyKeys: Set<string>;
  historyFrom: number;
  historyTo: number;
  systemFrom: number;
  outputFrom: number;
  alerts: RunAlert[];
  mediaKeys: Set<string>;
}

export class ChangeCollector {
  private readonly runs = new Map<RunKey, RunChanges>();
  private projects = false;
  private readonly rebuilt: string[] = [];

  get isEmpty(): boolean {
    return this.runs.size === 0 && !this.projects && this.rebuilt.length === 0;
  }

  private run(key: RunKey): RunChanges {
    let changes = this.runs.get(key);
    if (!changes) {
      changes = {
        added: false,
        updated: false,
        removed: false,
        historyKeys: new Set(),
        historyFrom: Infinity,
        historyTo: -Infinity,
        systemFrom: Infinity,
        outputFrom: Infinity,
        alerts: [],
        mediaKeys: new Set(),
      };
      this.runs.set(key, changes);
    }
    return changes;
  }

  projectsChanged(): void {
    this.projects = true;
  }

  runAdded(key: RunKey): void {
    const c = this.run(key);
    c.added = true;
    c.removed = false;
    this.projects = true;
  }

  runUpdated(key: RunKey): void {
    this.run(key).updated = true;
  }

  runRemoved(key: RunKey): void {
    const c = this.run(key);
    c.removed = true;
    c.added = false;
    this.projects = true;
  }

  history(key: RunKey, metrics: Iterable<string>, fromStep: number, toStep: number): void {
    const c = this.run(key);
    for (const m of metrics) c.historyKeys.add(m);
    c.historyFrom = Math.min(c.historyFrom, fromStep);
    c.historyTo = Math.max(c.historyTo, toStep);
  }

  system(key: RunKey, fromTime: number): void {
    const c = this.run(key);
    c.systemFrom = Math.min(c.systemFrom, fromTime);
  }

  output(key: RunKey, fromLine: number): void {
    const c = this.run(key);
    c.outputFrom = Math.min(c.outputFrom, fromLine);
  }

  alert(key: RunKey, alert: RunAlert): void {
    this.run(key).alerts.push(alert);
  }

  media(key: RunKey, keys: Iterable<string>): void {
    const c = this.run(key);
    for (const k of keys) c.mediaKeys.add(k);
  }

  rebuild(reason: string): void {
    this.rebuilt.push(reason);
  }

  /** Drops per-run detail (used for a rebuild, where `rebuilt` says it all). */
  clearRuns(): void {
    this.runs.clear();
  }

  drain(): StoreChange[] {
    const out: StoreChange[] = [];
    for (const reason of this.rebuilt) out.push({ kind: 'rebuilt', reason });
    if (this.projects) out.push({ kind: 'projects' });
    for (const [run, c] of this.runs) {
      if (c.removed) {
        out.push({ kind: 'runRemoved', run });
        continue;
      }
      if (c.added) out.push({ kind: 'runAdded', run });
      else if (c.updated) out.push({ kind: 'runUpdated', run });
      if (c.historyKeys.size > 0) out.push({ kind: 'history', run, keys: [...c.historyKeys].sort(), fromStep: c.historyFrom, toStep: c.historyTo });
      if (c.systemFrom !== Infinity) out.push({ kind: 'system', run, fromTime: c.systemFrom });
      if (c.outputFrom !== Infinity) out.push({ kind: 'output', run, fromLine: c.outputFrom });
      for (const alert of c.alerts) out.push({ kind: 'alert', run, alert });
      if (c.mediaKeys.size > 0) out.push({ kind: 'media', run, keys: [...c.mediaKeys].filter((k) => k !== '').sort() });
    }
    this.runs.clear();
    this.projects = false;
    this.rebuilt.length = 0;
    return out;
  }
}

/** Adds what one committed slice of a run changed. */
export function mergeChanges(changes: ChangeCollector, key: RunKey, slice: SliceChanges): void {
  if (slice.updated || slice.stateChanged) changes.runUpdated(key);
  if (slice.stateChanged) changes.projectsChanged();
  if (slice.history.keys.size > 0) changes.history(key, slice.history.keys, slice.history.from, slice.history.to);
  if (slice.systemFrom !== Infinity) changes.system(key, slice.systemFrom);
  if (slice.outputFrom !== Infinity) changes.output(key, slice.outputFrom);
  for (const alert of slice.alerts) changes.alert(key, alert);
  if (slice.mediaKeys.size > 0) changes.media(key, slice.mediaKeys);
}
