// The notebook renderer for `application/vnd.runlog.run+json` (a Runlog run shown in a cell's
// output): a header (name, state, step) and one small chart.js line chart per metric, fed by the
// extension host through renderer messaging and redrawn while the run logs. Every string from a
// run is set as text.
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { RUN_MIME_TYPE, type HostToRenderer, type RendererToHost, type RunOutputPayload, type RunView } from '../../common/notebookRendererProtocol';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

// The parts of VS Code's notebook renderer API used here (the `vscode-notebook-renderer` types).
interface OutputItem {
  readonly id: string;
  readonly mime: string;
  json(): unknown;
}
interface RendererContext {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): { dispose(): void };
}

interface Shown {
  readonly element: HTMLElement;
  readonly charts: Chart[];
}

const STYLE = `
.runlog-run { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 4px 0; }
.runlog-run .run-head { display: flex; gap: 10px; align-items: baseline; margin-bottom: 6px; }
.runlog-run .run-name { font-weight: 600; font-size: 1.1em; }
.runlog-run .run-meta, .runlog-run .run-note { opacity: 0.75; }
.runlog-run .run-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 8px; }
.runlog-run .run-chart { border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); border-radius: 4px; padding: 4px 6px; }
.runlog-run .chart-title { font-size: 0.9em; margin-bottom: 2px; }
.runlog-run .chart-box { position: relative; height: 130px; }
`;

function payloadOf(item: OutputItem): RunOutputPayload | undefined {
  const data = item.json() as Partial<RunOutputPayload> | null;
  if (!data || typeof data.project !== 'string' || typeof data.id !== 'string') return undefined;
  return data as RunOutputPayload;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function activate(context: RendererContext) {
  const shown = new Map<string, Shown>();

  function header(root: HTMLElement, name: string, meta: string): void {
    const head = el('div', 'run-head');
    head.append(el('span', 'run-name', name), el('span', 'run-meta', meta));
    root.replaceChildren(head);
  }

  function draw(outputId: string, run: RunView): void {
    const entry = shown.get(outputId);
    if (!entry) return;
    for (const c of entry.charts.splice(0)) c.destroy();
    const root = entry.element;
    header(root, run.name, `${run.state}${run.step === null ? '' : ` · step ${run.step}`} · Runlog`);
    if (run.metrics.length === 0) {
      root.append(el('div', 'run-note', 'No metrics logged yet. Charts appear here as the run logs.'));
      return;
    }
    const grid = el('div', 'run-charts');
    root.append(grid);
    const line = cssVar('--vscode-charts-blue', '#3794ff');
    const grid_ = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const text = cssVar('--vscode-foreground', '#cccccc');
    for (const m of run.metrics) {
      const card = el('div', 'run-chart');
      card.dataset.metric = m.key;
      const last = [...m.values].reverse().find((v) => v !== null);
      card.append(el('div', 'chart-title', `${m.key}${last === undefined || last === null ? '' : ` · ${Number(last.toPrecision(4))}`}`));
      const box = el('div', 'chart-box');
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-label', `${m.key} by step`);
      box.append(canvas);
      card.append(box);
      grid.append(card);
      const points = m.steps.map((s, i) => ({ x: s, y: m.values[i] ?? null }));
      entry.charts.push(
        new Chart(canvas, {
          type: 'line',
          data: { datasets: [{ data: points as { x: number; y: number }[], borderColor: line, borderWidth: 1.5, pointRadius: 0, spanGaps: true }] },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            plugins: { legend: { display: false }, tooltip: { intersect: false, mode: 'nearest', axis: 'x' } },
            scales: {
              x: { type: 'linear', ticks: { color: text, maxTicksLimit: 5 }, grid: { color: grid_ } },
              y: { type: 'linear', ticks: { color: text, maxTicksLimit: 4 }, grid: { color: grid_ } },
            },
          },
        }),
      );
    }
    if (run.more > 0) root.append(el('div', 'run-note', `${run.more} more metric${run.more === 1 ? '' : 's'}: open the run in Runlog to see them all.`));
    root.dataset.drawn = 'true';
  }

  context.onDidReceiveMessage?.((raw) => {
    const message = raw as HostToRenderer;
    if (message?.type === 'run') draw(message.outputId, message.run);
    else if (message?.type === 'missing') {
      const entry = shown.get(message.outputId);
      if (entry) entry.element.append(el('div', 'run-note', message.message));
    }
  });

  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      if (item.mime !== RUN_MIME_TYPE) return;
      const payload = payloadOf(item);
      let root = element.querySelector<HTMLElement>(':scope > .runlog-run');
      if (!root) {
        const style = document.createElement('style');
        style.textContent = STYLE;
        root = el('div', 'runlog-run');
        element.replaceChildren(style, root);
      }
      if (!payload) {
        header(root, 'Runlog run', '');
        root.append(el('div', 'run-note', 'This output does not name a run (project and id).'));
        return;
      }
      const previous = shown.get(item.id);
      for (const c of previous?.charts ?? []) c.destroy();
      shown.set(item.id, { element: root, charts: [] });
      header(root, payload.name ?? payload.id, `${payload.project}/${payload.id} · Runlog`);
      if (!context.postMessage) {
        root.append(el('div', 'run-note', `Charts need the Runlog extension. Run folder: ${payload.dir ?? ''}`));
        return;
      }
      const watch: RendererToHost = { type: 'watch', outputId: item.id, project: payload.project, runId: payload.id, ...(payload.dir ? { dir: payload.dir } : {}) };
      context.postMessage(watch);
    },
    disposeOutputItem(id?: string): void {
      const ids = id === undefined ? [...shown.keys()] : [id];
      for (const outputId of ids) {
        for (const c of shown.get(outputId)?.charts ?? []) c.destroy();
        shown.delete(outputId);
        const unwatch: RendererToHost = { type: 'unwatch', outputId };
        context.postMessage?.(unwatch);
      }
    },
  };
}
