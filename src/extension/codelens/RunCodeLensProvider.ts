// Lenses above a script's `runlog.init(` (or `wandb.init(`) call: Stop Run while a run of the
// script is live, Start Run otherwise, and Open Run for its latest run. Files without such a
// call cost one substring search; the store is read only while some open file has one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo, StoreChange } from '../../core/model';
import type { RunLauncher } from '../runs/RunLauncher';
import type { StartNow } from '../runs/RunCommands';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { findInitCall } from './initCall';
import { neutralizeBidi } from '../../common/displayText';

const REFRESH_MS = 500;
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function normalize(p: string): string {
  const n = path.resolve(p);
  return caseInsensitive ? n.toLowerCase() : n;
}

function indexByProgram(runs: readonly RunInfo[]): Map<string, RunInfo[]> {
  const index = new Map<string, RunInfo[]>();
  for (const run of runs) {
    if (!run.program) continue;
    const k = normalize(run.program);
    const list = index.get(k) ?? [];
    list.push(run);
    index.set(k, list);
  }
  return index;
}

export class RunCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly _onDidChangeCodeLenses = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;
  /** Documents that got lenses last time: only they need refreshing. */
  private readonly lensed = new Set<string>();
  /** Every run (newest first) and the live ones, by script; dropped when the store changes. */
  private runsByProgram: Map<string, RunInfo[]> | undefined;
  private liveByProgram: Map<string, RunInfo[]> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
  ) {
    super();
    this._register(stores.onDidChange((changes) => this.storeChanged(changes)));
    this._register(stores.onDidChangeStore(() => this.invalidate()));
    this._register(launcher.onDidChangeLaunches(() => this.invalidate()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  private storeChanged(changes: readonly StoreChange[]): void {
    // A logging run sends `history` changes all the time: they change only live runs' steps.
    if (changes.some((c) => c.kind !== 'output' && c.kind !== 'system' && c.kind !== 'alert' && c.kind !== 'history')) this.invalidate();
    else if (changes.some((c) => c.kind === 'history')) this.invalidate(true);
  }

  private invalidate(liveOnly = false): void {
    this.liveByProgram = undefined;
    if (!liveOnly) this.runsByProgram = undefined;
    if (this.lensed.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this._onDidChangeCodeLenses.fire();
    }, REFRESH_MS);
  }

  /** Runs of `file`, newest first, and those of them that are live (fresh steps). */
  private runsOf(file: string): { readonly all: RunInfo[]; readonly live: RunInfo[] } {
    const store = this.stores.store;
    this.runsByProgram ??= indexByProgram(store?.listRuns(undefined, { sort: 'start', descending: true, limit: 5000 }) ?? []);
    this.liveByProgram ??= indexByProgram(store?.liveRuns() ?? []);
    const keys = new Set([normalize(file)]);
    try {
      keys.add(normalize(fs.realpathSync(file)));
    } catch {
      // An unsaved or deleted file: its path is all there is.
    }
    return {
      all: [...keys].flatMap((k) => this.runsByProgram!.get(k) ?? []),
      live: [...keys].flatMap((k) => this.liveByProgram!.get(k) ?? []),
    };
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const uri = document.uri.toString();
    const line = document.uri.scheme === 'file' ? findInitCall(document.getText()) : undefined;
    if (line === undefined) {
      this.lensed.delete(uri);
      return [];
    }
    this.lensed.add(uri);
    const range = new vscode.Range(line, 0, line, 0);
    const file = document.uri.fsPath;
    const { all: runs, live } = this.runsOf(file);
    const starting = this.launcher.launches.filter((l) => normalize(l.plan.execution.script) === normalize(file) && !live.some((r) => this.launcher.findLaunch(r) === l));

    const lenses: vscode.CodeLens[] = [];
    for (const run of live.slice(0, 3)) {
      const step = run.lastStep === null ? 'starting' : `step ${run.lastStep}`;
      lenses.push(new vscode.CodeLens(range, { title: `$(debug-stop) Stop Run ${neutralizeBidi(run.name)} · ${step}`, command: 'runlog.stopRun', arguments: [run.key], tooltip: `Stop ${run.path}` }));
    }
    for (const launch of starting.slice(0, 3)) {
      lenses.push(new vscode.CodeLens(range, { title: `$(debug-stop) Stop Run ${neutralizeBidi(launch.label)} · starting`, command: 'runlog.stopRun', arguments: [launch.plan.key] }));
    }
    if (lenses.length === 0) {
      const now: StartNow = { now: true };
      lenses.push(new vscode.CodeLens(range, { title: '$(play) Start Run', command: 'runlog.startRun', arguments: [document.uri, now], tooltip: 'Run this script as a tracked run, with the settings of its last Start Run' }));
      lenses.push(new vscode.CodeLens(range, { title: '$(settings-gear) Start with Options…', command: 'runlog.startRun', arguments: [document.uri], tooltip: 'Set arguments, name, tags, notes, project or group, then start' }));
    }
    const latest = live[0] ?? runs[0];
    if (latest) {
      lenses.push(new vscode.CodeLens(range, { title: `$(graph-line) Open Run ${neutralizeBidi(latest.name)}`, command: 'runlog.openRun', arguments: [latest.key], tooltip: `Open ${latest.path}` }));
    }
    return lenses;
  }
}

export function registerCodeLens(provider: RunCodeLensProvider): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, provider);
}
