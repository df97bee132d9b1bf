// Lenses above a script's `runlog.init(` (or `wandb.init(`) call: Stop Run while a run of the
// script is live, Start Run otherwise, and Open Run for its latest run. Above each `log(` call a
// run logged from (its `callsite` records): the metrics it logged, latest value, trend and step;
// a click opens the run page at that chart. Files without an init call cost one substring search
// and one indexed lookup of the file's callsites.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRunDataChange, type RunInfo, type StoreChange } from '../../core/model';
import type { RunLauncher } from '../runs/RunLauncher';
import type { StartNow } from '../runs/RunCommands';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { findInitCall } from './initCall';
import { neutralizeBidi } from '../../common/displayText';
import { formatMetric } from '../explorer/format';
import { isLogLine } from './metricLines';
import { MetricLensReads } from './metricLensReads';

const REFRESH_MS = 500;
/** Metrics shown above one `log(` line; more are summed up in one lens. */
const KEYS_PER_LINE = 6;
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
  /** Every run (newest first) and the live ones, by script; dropped when the store changes. */
  private runsByProgram: Map<string, RunInfo[]> | undefined;
  private liveByProgram: Map<string, RunInfo[]> | undefined;
  /** What each file's metric lenses read from the store, until it changes. */
  private readonly reads = new MetricLensReads(() => this.stores.store);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
  ) {
    super();
    this._register(stores.onDidChange((changes) => this.storeChanged(changes)));
    this._register(stores.onDidChangeStore(() => (this.reads.clear(), this.invalidate())));
    this._register(launcher.onDidChangeLaunches(() => this.invalidate()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  private storeChanged(changes: readonly StoreChange[]): void {
    this.reads.storeChanged(changes);
    // A logging run sends `history` changes all the time: they change only live runs' steps.
    if (changes.some((c) => isRunDataChange(c) && c.kind !== 'history')) this.invalidate();
    else if (changes.some((c) => c.kind === 'history')) this.invalidate(true);
  }

  private invalidate(liveOnly = false): void {
    this.liveByProgram = undefined;
    if (!liveOnly) this.runsByProgram = undefined;
    // Always announced, even when no document was asked for lenses yet: VS Code cancels a pending
    // lens request when the editor loses the focus (a quick pick opening just after the editor
    // did), and a provider that then waited to be asked first would never be asked again. With
    // no Python editor open, nobody listens and the event costs nothing.
    if (this.timer) return;
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
    if (document.uri.scheme !== 'file') return [];
    const metricLenses = this.metricLenses(document);
    const line = findInitCall(document.getText());
    if (line === undefined) return metricLenses;
    return [...this.initLenses(document, line), ...metricLenses];
  }

  /** Above each `log(` line of the document: what the newest run logging from the file logged there. */
  private metricLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const data = this.reads.read(document.uri.fsPath);
    if (!data) return [];
    const { run, metrics } = data;
    const lenses: vscode.CodeLens[] = [];
    for (const { line, keys } of data.shown.lines) {
      // The file changed since the run logged: a line that no longer calls log( gets nothing.
      if (line >= document.lineCount || !isLogLine(document.lineAt(line).text)) continue;
      const range = new vscode.Range(line, 0, line, 0);
      let step: number | undefined;
      for (const key of keys.slice(0, KEYS_PER_LINE)) {
        const m = metrics.get(key);
        if (!m || m.count === 0) continue;
        step = Math.max(step ?? m.lastStep, m.lastStep);
        const trend = data.trend(key);
        const title = `${neutralizeBidi(key)} ${formatMetric(m.last)}${trend ? ` ${trend}` : ''}`;
        lenses.push(new vscode.CodeLens(range, { title, command: 'runlog.revealMetric', arguments: [run.key, key], tooltip: `${key} of ${run.name}: ${formatMetric(m.last)} at step ${m.lastStep} (min ${formatMetric(m.min)}, max ${formatMetric(m.max)}). Open its chart` }));
      }
      if (keys.length > KEYS_PER_LINE) {
        lenses.push(new vscode.CodeLens(range, { title: `+${keys.length - KEYS_PER_LINE} more`, command: 'runlog.openRun', arguments: [run.key], tooltip: keys.slice(KEYS_PER_LINE).join(', ') }));
      }
      if (step !== undefined) {
        const live = run.state === 'running' ? '$(pulse) ' : '';
        lenses.push(new vscode.CodeLens(range, { title: `${live}step ${step.toLocaleString('en')} · ${neutralizeBidi(run.name)}`, command: 'runlog.openRun', arguments: [run.key], tooltip: `Open ${run.path} (${run.state})` }));
      }
    }
    return lenses;
  }

  private initLenses(document: vscode.TextDocument, line: number): vscode.CodeLens[] {
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
