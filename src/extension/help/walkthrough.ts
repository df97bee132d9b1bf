// The "Get started with Runlog" walkthrough (package.json contributes.walkthroughs) checks each
// step off by the real event: context keys set here when it happens (a run in the store, a run
// page or compare page opened, a sweep in the store, a W&B run read), or the command itself.

import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';

/** The walkthrough's context keys, as package.json's completionEvents name them. */
export const WALKTHROUGH_CONTEXT = {
  hasRun: 'runlog.walkthrough.hasRun',
  openedRunPage: 'runlog.walkthrough.openedRunPage',
  compared: 'runlog.walkthrough.compared',
  hasSweep: 'runlog.walkthrough.hasSweep',
  wandbRun: 'runlog.walkthrough.wandbRun',
} as const;

type Step = keyof typeof WALKTHROUGH_CONTEXT;

export interface WalkthroughEvents {
  readonly stores: StoreService;
  readonly onDidOpenRunPage: vscode.Event<unknown>;
  readonly onDidOpenComparePage: vscode.Event<unknown>;
  readonly onDidChangeSweeps: vscode.Event<readonly unknown[]>;
}

export class WalkthroughProgress extends Disposable {
  private readonly done = new Set<Step>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly events: WalkthroughEvents) {
    super();
    // A run gains a store, or a source, only as it is added or updated: not as it logs.
    this._register(events.stores.onDidChange((changes) => changes.some((c) => c.kind !== 'history' && c.kind !== 'system' && c.kind !== 'output' && c.kind !== 'media' && c.kind !== 'alert') && this.schedule()));
    this._register(events.stores.onDidChangeStore(() => this.schedule()));
    this._register(events.onDidOpenRunPage(() => this.complete('openedRunPage')));
    this._register(events.onDidOpenComparePage(() => this.complete('compared')));
    this._register(events.onDidChangeSweeps((sweeps) => sweeps.length > 0 && this.complete('hasSweep')));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.check();
  }

  /** Steps checked off in this window, for tests. */
  get completed(): readonly string[] {
    return [...this.done];
  }

  private schedule(): void {
    if (this.timer || (this.done.has('hasRun') && this.done.has('wandbRun'))) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, 1000);
  }

  /** A run in the store; a run read from W&B's files. */
  private check(): void {
    const store = this.events.stores.store;
    if (!store) return;
    if (!this.done.has('hasRun') && store.count() > 0) this.complete('hasRun');
    if (!this.done.has('wandbRun') && store.hasSourcedRuns()) this.complete('wandbRun');
  }

  private complete(step: Step): void {
    if (this.done.has(step)) return;
    this.done.add(step);
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT[step], true);
  }
}
