// The extension-host side of the notebook renderer: a run's cell output asks for the run (by
// project and ID); this answers with its metrics from the store and again whenever the run
// changes, so the charts in the cell follow a run that is still logging.

import * as vscode from 'vscode';
import { runKey, type RunKey } from '../../core/model';
import { RENDERER_ID, type HostToRenderer, type RendererToHost, type RunView } from '../../common/notebookRendererProtocol';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { Throttle } from '../util/Throttle';

/** Charts drawn per run in a cell; the rest are counted. */
const MAX_CHARTS = 6;
const POINTS = 300;

interface Watch {
  readonly editor: vscode.NotebookEditor;
  readonly key: RunKey;
  readonly dir: string | undefined;
}

export class NotebookRunRenderer extends Disposable {
  private readonly messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  private readonly watches = new Map<string, Watch>();
  private readonly dirty = new Set<string>();
  private readonly throttle = this._register(new Throttle(500, () => this.flush()));

  constructor(private readonly stores: StoreService) {
    super();
    this._register(this.messaging.onDidReceiveMessage((e) => this.receive(e.editor, e.message as RendererToHost)));
    this._register(
      stores.onDidChange((changes) => {
        for (const change of changes) {
          if (!('run' in change)) continue;
          for (const [outputId, watch] of this.watches) if (watch.key === change.run) this.dirty.add(outputId);
        }
        if (this.dirty.size > 0) this.throttle.schedule();
      }),
    );
    this._register(stores.onDidChangeStore(() => this.refreshAll()));
  }

  /** How many cell outputs are showing a run (for the tests). */
  get watching(): number {
    return this.watches.size;
  }

  private receive(editor: vscode.NotebookEditor, message: RendererToHost): void {
    if (message?.type === 'watch' && typeof message.project === 'string' && typeof message.runId === 'string' && typeof message.outputId === 'string') {
      this.watches.set(message.outputId, { editor, key: runKey(message.project, message.runId), dir: typeof message.dir === 'string' ? message.dir : undefined });
      this.send(message.outputId);
    } else if (message?.type === 'unwatch') {
      this.watches.delete(message.outputId);
    }
  }

  private refreshAll(): void {
    for (const id of this.watches.keys()) this.dirty.add(id);
    this.throttle.schedule();
  }

  private flush(): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.send(id);
  }

  private send(outputId: string): void {
    const watch = this.watches.get(outputId);
    if (!watch) return;
    const message = this.view(outputId, watch);
    void this.messaging.postMessage(message, watch.editor);
  }

  private view(outputId: string, watch: Watch): HostToRenderer {
    const store = this.stores.store;
    const run = store?.getRun(watch.key);
    if (!store || !run) {
      return {
        type: 'missing',
        outputId,
        message: `Run ${watch.key} is not in this window's Runlog store (${this.stores.dir})${watch.dir ? `; it was written to ${watch.dir}` : ''}.`,
      };
    }
    const charted = run.metrics.filter((m) => m.count > 0).slice(0, MAX_CHARTS);
    const view: RunView = {
      name: run.name,
      state: run.state,
      step: run.lastStep,
      metrics: charted.map((m) => {
        const series = store.getHistory(run.key, m.key, { buckets: POINTS });
        return { key: m.key, steps: series.steps, values: series.values };
      }),
      more: Math.max(0, run.metrics.length - charted.length),
    };
    return { type: 'run', outputId, run: view };
  }
}
