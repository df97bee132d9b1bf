// The store's sweeps, read from their files (src/core/sweeps) and kept fresh: on store changes
// (a trial's run logs or ends) and, while a sweep is live, every POLL_MS (agents on other
// machines write trial files the store's watcher does not see).

import { hostname } from 'node:os';
import * as vscode from 'vscode';
import type { RunState } from '../../core/model';
import { isPidAlive } from '../../core/ingest/state';
import { listSweepIds, readSweep, writeControl, type SweepControl, type SweepEnvironment, type SweepInfo } from '../../core/sweeps/sweepFiles';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { Throttle } from '../util/Throttle';

const POLL_MS = 2000;
const REFRESH_MS = 300;

export class SweepService extends Disposable {
  private _sweeps: readonly SweepInfo[] = [];
  private _poll: NodeJS.Timeout | undefined;
  private readonly _throttle: Throttle;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<readonly SweepInfo[]>());
  readonly onDidChange = this._onDidChange.event;

  constructor(readonly stores: StoreService) {
    super();
    this._throttle = this._register(new Throttle(REFRESH_MS, () => this.refresh()));
    this._register(stores.onDidChange((changes) => changes.some((c) => c.kind !== 'output' && c.kind !== 'system') && this._throttle.schedule()));
    this._register(stores.onDidChangeStore(() => this.refresh()));
    this._register({ dispose: () => this._poll && clearInterval(this._poll) });
    this.refresh();
  }

  get sweeps(): readonly SweepInfo[] {
    return this._sweeps;
  }

  get(id: string): SweepInfo | undefined {
    return this._sweeps.find((s) => s.id === id);
  }

  refresh(): void {
    const dir = this.stores.dir;
    let sweeps: SweepInfo[] = [];
    try {
      const env = this.environment();
      sweeps = listSweepIds(dir).flatMap((id) => {
        try {
          return [readSweep(dir, id, env)];
        } catch {
          return []; // a sweep folder being created, or damaged: shown once readable
        }
      });
    } catch {
      sweeps = [];
    }
    sweeps.sort((a, b) => b.created - a.created);
    this._sweeps = sweeps;
    const live = sweeps.some((s) => s.state !== 'done' && s.state !== 'stopped' && s.counts.running > 0) || sweeps.some((s) => s.state === 'paused');
    if (live && !this._poll) this._poll = setInterval(() => this.refresh(), POLL_MS);
    else if (!live && this._poll) {
      clearInterval(this._poll);
      this._poll = undefined;
    }
    this._onDidChange.fire(sweeps);
  }

  /** Polls for a while after agents start, before their first trial file appears. */
  watchFor(ms: number): void {
    const timer = setInterval(() => this.refresh(), POLL_MS);
    setTimeout(() => clearInterval(timer), ms);
    this._register({ dispose: () => clearInterval(timer) });
  }

  setControl(id: string, state: SweepControl): void {
    writeControl(this.stores.dir, id, state);
    this.refresh();
  }

  private environment(): SweepEnvironment {
    const store = this.stores.store;
    return {
      hostname: hostname(),
      isPidAlive,
      // One indexed row per trial asked about, never a listing of the store.
      runState: (project, id): RunState | undefined => {
        const run = store?.runInfo(`${project}/${id}`);
        return run && run.sweepId !== null ? run.state : undefined;
      },
    };
  }
}
