import * as vscode from 'vscode';
import type { RunKey, RunlogStore } from '../core/model';
import { ComparePageManager } from './comparePage/ComparePageManager';
import { registerCompareRunsCommand } from './comparePage/compareRunsCommand';
import { RunPageManager } from './runPage/RunPageManager';
import { StoreService } from './store/StoreService';
import { Disposable } from './util/dispose';
import { AlertNotifier } from './alerts/AlertNotifier';
import { RunEndNotifier } from './alerts/RunEndNotifier';
import { registerCodeLens, RunCodeLensProvider } from './codelens/RunCodeLensProvider';
import { registerExplorerCommands } from './explorer/explorerCommands';
import { RunExplorer } from './explorer/RunExplorer';
import { RunCommands, showLaunchError } from './runs/RunCommands';
import { LaunchError, RunLauncher } from './runs/RunLauncher';
import { RunOutputChannel } from './runs/RunOutputChannel';
import { IndexingStatusItem } from './status/IndexingStatusItem';
import { LiveRunsStatusItem } from './status/LiveRunsStatusItem';
import { registerTaskProvider, RunlogTaskProvider } from './tasks/RunlogTaskProvider';
import { TerminalRunContext } from './terminal/TerminalRunContext';
import { registerSdkGuideCommand } from './help/sdkGuide';
import { pickRuns } from './store/storePicks';
import { registerImportCommand } from './sources/importCommand';
import { WorkspaceWandbRuns } from './sources/WorkspaceWandbRuns';
import { SweepSurfaces } from './sweeps/registerSweeps';
import { RunDiagnostics } from './diagnostics/RunDiagnostics';
import { WalkthroughProgress } from './help/walkthrough';
import { CodeCommands } from './code/codeCommands';
import { NotebookRunRenderer } from './notebook/NotebookRunRenderer';
import { DebugRuns } from './debug/DebugRuns';

/** What `activate()` returns: for other extensions and for the integration tests. */
export interface RunlogApi {
  readonly storeDir: () => string;
  readonly store: () => RunlogStore | undefined;
  readonly openRun: (key: RunKey) => Promise<void>;
  /** The webview pages, for the integration tests. */
  readonly runPages: () => RunPageManager;
  readonly comparePages: () => ComparePageManager;
  /** The run explorer, launcher and Output channel, for the integration tests. */
  readonly editor: () => EditorSurfaces;
}

export interface EditorSurfaces {
  readonly launcher: RunLauncher;
  readonly explorer: RunExplorer;
  readonly output: RunOutputChannel;
  readonly codeLens: RunCodeLensProvider;
  readonly status: LiveRunsStatusItem;
  readonly alerts: AlertNotifier;
  readonly runEnds: RunEndNotifier;
  readonly sweeps: SweepSurfaces;
  readonly diagnostics: RunDiagnostics;
  readonly walkthrough: WalkthroughProgress;
  /** Compare Config and Code, Check Out This Run's Code. */
  readonly code: CodeCommands;
  /** The notebook renderer's host side (a run's charts in a cell output). */
  readonly notebook: NotebookRunRenderer;
  /** Debug Run: runs under the Python debugger. */
  readonly debug: DebugRuns;
}

/** Builds every service at activation and disposes them together. */
export class RunlogExtension extends Disposable {
  readonly stores: StoreService;
  readonly runPages: RunPageManager;
  readonly comparePages: ComparePageManager;
  readonly api: RunlogApi;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.stores = this._register(new StoreService());
    const runPages = (this.runPages = this._register(new RunPageManager(context.extensionUri, this.stores)));
    this.comparePages = this._register(
      new ComparePageManager({ extensionUri: context.extensionUri, stores: this.stores, openRun: (key) => runPages.show(key) }),
    );
    this._register(
      vscode.commands.registerCommand('runlog.openRun', async (arg?: unknown) => {
        const key = await this.pickRun(arg);
        if (key) runPages.show(key);
      }),
    );
    this._register(
      // From the code lens above a log() call: the run page at that metric's chart.
      vscode.commands.registerCommand('runlog.revealMetric', (key: unknown, metric: unknown) => {
        if (typeof key === 'string' && typeof metric === 'string') runPages.show(key).revealMetric(metric);
      }),
    );
    this._register(registerCompareRunsCommand(this.comparePages, this.stores));
    const launcher = this._register(new RunLauncher(this.stores, context.extensionUri));
    const output = this._register(new RunOutputChannel(launcher));
    const tasks = new RunlogTaskProvider(launcher, (e) => void showLaunchError(e));
    this._register(registerTaskProvider(tasks));
    this._register(new RunCommands(this.stores, launcher, tasks, context.workspaceState));
    const explorer = this._register(new RunExplorer(this.stores));
    this._register(registerExplorerCommands(explorer, this.stores));
    const codeLens = this._register(new RunCodeLensProvider(this.stores, launcher));
    this._register(registerCodeLens(codeLens));
    this._register(new TerminalRunContext(context, this.stores));
    const status = this._register(new LiveRunsStatusItem(this.stores, launcher));
    this._register(new IndexingStatusItem(this.stores));
    const alerts = this._register(new AlertNotifier(this.stores));
    this._register(registerImportCommand(this.stores));
    this._register(new WorkspaceWandbRuns(this.stores));
    const runEnds = this._register(new RunEndNotifier(this.stores));
    const sweeps = this._register(new SweepSurfaces(context.extensionUri, this.stores));
    const diagnostics = this._register(new RunDiagnostics(this.stores));
    const walkthrough = this._register(
      new WalkthroughProgress({ stores: this.stores, onDidOpenRunPage: runPages.onDidOpen, onDidOpenComparePage: this.comparePages.onDidOpen, onDidChangeSweeps: sweeps.service.onDidChange }),
    );
    const code = this._register(new CodeCommands(this.stores));
    const notebook = this._register(new NotebookRunRenderer(this.stores));
    const debug = this._register(new DebugRuns(this.stores, launcher));
    this._register(
      vscode.commands.registerCommand('runlog.debugRun', async (arg?: unknown) => {
        try {
          return await debug.debug(arg);
        } catch (e) {
          if (e instanceof LaunchError) void showLaunchError(e);
          else void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }
      }),
    );
    const editor: EditorSurfaces = { launcher, explorer, output, codeLens, status, alerts, runEnds, sweeps, diagnostics, walkthrough, code, notebook, debug };
    this._register(registerSdkGuideCommand(context.extensionUri));
    this.api = {
      storeDir: () => this.stores.dir,
      store: () => this.stores.store,
      openRun: async (key) => {
        runPages.show(key);
      },
      runPages: () => runPages,
      comparePages: () => this.comparePages,
      editor: () => editor,
    };
  }

  /** A run key from a command argument (tree item, string) or from a quick pick. */
  private async pickRun(arg: unknown): Promise<RunKey | undefined> {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'object' && arg !== null && typeof (arg as { key?: unknown }).key === 'string') {
      return (arg as { key: string }).key;
    }
    return (await pickRuns(this.stores, 'Select a run', { limit: 500 }))[0];
  }
}
