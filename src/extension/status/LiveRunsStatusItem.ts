// A status bar item with the number of live runs; a click opens the run explorer, and its tooltip
// lists the live runs with Open and Stop links. Hidden while none is live.

import * as vscode from 'vscode';
import { isRunDataChange, type RunKey, type StoreChange } from '../../core/model';
import type { RunLauncher } from '../runs/RunLauncher';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { neutralizeBidi } from '../../common/displayText';

const REFRESH_MS = 500;
/** Opening the store waits until activation is over. */
const FIRST_READ_MS = 1500;

export class LiveRunsStatusItem extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: StoreService,
    private readonly launcher: RunLauncher,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('runlog.liveRuns', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Runlog: live runs';
    this.item.command = { command: 'workbench.view.extension.runlog', title: 'Show the run explorer' };
    this._register(stores.onDidChange((changes: readonly StoreChange[]) => changes.some((c) => isRunDataChange(c) && c.kind !== 'history') && this.schedule()));
    this._register(stores.onDidChangeStore(() => this.schedule()));
    this._register(launcher.onDidChangeLaunches(() => this.schedule()));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.timer = setTimeout(() => this.update(), FIRST_READ_MS);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.update(), REFRESH_MS);
  }

  /** The live runs: those the store has as running, plus launches it has not seen yet. */
  liveRuns(): { readonly key: RunKey; readonly name: string; readonly step: number | null }[] {
    const store = this.stores.store;
    const running = store?.liveRuns() ?? [];
    const unseen = this.launcher.launches.filter((l) => !running.some((r) => this.launcher.findLaunch(r) === l));
    return [...running.map((r) => ({ key: r.key, name: r.name, step: r.lastStep })), ...unseen.map((l) => ({ key: l.plan.key, name: l.label, step: null }))];
  }

  liveCount(): number {
    return this.liveRuns().length;
  }

  private update(): void {
    this.timer = undefined;
    let live: ReturnType<LiveRunsStatusItem['liveRuns']> = [];
    try {
      live = this.liveRuns();
    } catch (e) {
      console.error('Runlog: could not count live runs', e);
    }
    if (live.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) ${live.length} run${live.length === 1 ? '' : 's'} live`;
    this.item.tooltip = this.tooltip(live);
    this.item.show();
  }

  /** Each live run with a Stop link; names are user text, so they go in as text. */
  private tooltip(live: ReturnType<LiveRunsStatusItem['liveRuns']>): vscode.MarkdownString {
    const md = new vscode.MarkdownString('', true);
    md.isTrusted = { enabledCommands: ['runlog.stopRun', 'runlog.openRun', 'workbench.view.extension.runlog'] };
    md.appendMarkdown('**Runlog: live runs**\n\n');
    for (const run of live.slice(0, 10)) {
      const arg = encodeURIComponent(JSON.stringify([run.key]));
      md.appendMarkdown('- ');
      md.appendText(neutralizeBidi(run.name));
      md.appendMarkdown(run.step === null ? ' · starting' : ` · step ${run.step}`);
      md.appendMarkdown(` — [$(graph-line) Open](command:runlog.openRun?${arg}) [$(debug-stop) Stop](command:runlog.stopRun?${arg})\n`);
    }
    if (live.length > 10) md.appendMarkdown(`- and ${live.length - 10} more\n`);
    md.appendMarkdown('\n[Show the run explorer](command:workbench.view.extension.runlog)');
    return md;
  }
}
