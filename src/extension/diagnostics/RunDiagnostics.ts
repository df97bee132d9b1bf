// Problems entries for live runs, at the `log()` line of the metric concerned (from the SDK's
// callsite records): a metric that became NaN/±Infinity, a loss growing for N logged steps in a
// row, a process alive but silent (src/core/health decides; this places and clears). Entries go
// when the run ends, or when dismissed with the "Dismiss" code action.

import * as vscode from 'vscode';
import type { MetricCallsite, RunInfo, StoreChange } from '../../core/model';
import { runIssues, tailLength, type HealthSettings, type RunIssue } from '../../core/health/runHealth';
import { RunTails } from '../../core/health/runTails';
import { neutralizeBidi } from '../../common/displayText';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { Throttle } from '../util/Throttle';

const SOURCE = 'Runlog';
/** Store changes are looked at no more often than this. */
const REFRESH_MS = 1000;

function settings(): HealthSettings {
  const config = vscode.workspace.getConfiguration('runlog.diagnostics');
  return {
    lossRiseSteps: Math.max(0, Math.floor(config.get<number>('lossRiseSteps', 10))),
    silentAfterSec: Math.max(0, config.get<number>('silentAfterSeconds', 300)),
  };
}

export class RunDiagnostics extends Disposable implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('runlog'));
  /** Issues dismissed by the user, by `run\0kind\0key`; forgotten when the run ends. */
  private readonly dismissed = new Set<string>();
  /** Each shown diagnostic's dismiss id, by `uri\0line\0message`. */
  private readonly ids = new Map<string, string>();
  /** A burst of store changes is one refresh, of the store as it is then. */
  private readonly throttle = this._register(new Throttle(REFRESH_MS, () => this.refresh()));
  /** Each live run's metric tails, re-read only after a change names the run. */
  private readonly tails = new RunTails(() => this.stores.store);
  private signature = '';
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly stores: StoreService) {
    super();
    this._register(stores.onDidChange((changes) => this.storeChanged(changes)));
    this._register(stores.onDidChangeStore(() => (this.tails.clear(), this.schedule())));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('runlog.diagnostics') && this.schedule()));
    this._register(vscode.commands.registerCommand('runlog.dismissProblem', (id: unknown) => typeof id === 'string' && this.dismiss(id)));
    this._register(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, this, { providedCodeActionKinds: RunDiagnostics.providedCodeActionKinds }));
    this._register({ dispose: () => clearInterval(this.ticker) });
    this.schedule();
  }

  private storeChanged(changes: readonly StoreChange[]): void {
    this.tails.storeChanged(changes);
    if (changes.some((c) => c.kind !== 'output' && c.kind !== 'system')) this.schedule();
  }

  private schedule(): void {
    this.throttle.schedule();
  }

  /** Recomputes every entry; keeps a clock running while runs live (silence needs no event). */
  refresh(): void {
    const store = this.stores.store;
    const live = store?.liveRuns() ?? [];
    const config = settings();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    this.ids.clear();
    const liveKeys = new Set(live.map((r) => r.key));
    this.tails.keepOnly(liveKeys);
    const need = tailLength(config);
    for (const id of this.dismissed) if (!liveKeys.has(id.split('\0')[0]!)) this.dismissed.delete(id);
    const now = Date.now() / 1000;
    for (const run of live) {
      const callsites = new Map<string, MetricCallsite>((store?.listCallsites(run.key) ?? []).map((c) => [c.key, c]));
      if (callsites.size === 0) continue; // nowhere to put an entry (a run from an older SDK)
      for (const issue of runIssues(this.tails.of(run.key, need), true, now, config)) {
        const id = `${run.key}\0${issue.kind}\0${issue.key}`;
        const site = callsites.get(issue.key);
        if (!site || this.dismissed.has(id)) continue;
        const uri = vscode.Uri.file(site.file).toString();
        const diagnostic = this.diagnostic(run, issue, site.line - 1);
        const list = byFile.get(uri) ?? [];
        list.push(diagnostic);
        byFile.set(uri, list);
        this.ids.set(`${uri}\0${site.line - 1}\0${diagnostic.message}`, id);
      }
    }
    // Unchanged entries are not set again: the Problems panel and an open quick fix keep still.
    const signature = JSON.stringify([...byFile].map(([uri, list]) => [uri, list.map((d) => [d.range.start.line, d.severity, d.message])]));
    if (signature !== this.signature) {
      this.signature = signature;
      this.collection.clear();
      for (const [uri, list] of byFile) this.collection.set(vscode.Uri.parse(uri), list);
    }
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (live.length > 0 && config.silentAfterSec > 0) {
      this.ticker = setInterval(() => this.schedule(), Math.min(30_000, Math.max(1000, (config.silentAfterSec * 1000) / 4)));
    }
  }

  private diagnostic(run: RunInfo, issue: RunIssue, line: number): vscode.Diagnostic {
    const severity = issue.kind === 'non-finite' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 10_000), `${issue.message} in run ${neutralizeBidi(run.name)} (${run.path}, step ${issue.step})`, severity);
    d.source = SOURCE;
    d.code = issue.kind;
    return d;
  }

  private dismiss(id: string): void {
    this.dismissed.add(id);
    this.refresh();
  }

  /** The entries' ids, for tests: `run\0kind\0key`. */
  get shown(): readonly string[] {
    return [...this.ids.values()];
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const id = this.ids.get(`${document.uri.toString()}\0${d.range.start.line}\0${d.message}`);
      if (!id) continue;
      const action = new vscode.CodeAction(`Dismiss: ${d.message}`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.command = { command: 'runlog.dismissProblem', title: 'Dismiss', arguments: [id] };
      actions.push(action);
    }
    return actions;
  }
}
