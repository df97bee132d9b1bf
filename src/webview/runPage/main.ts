import { Chart, LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, CategoryScale } from 'chart.js';
import type { HostToRunPage, RunPageToHost } from '../../common/runPageProtocol';
import { vscodeApi } from '../shared/vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

const vscode = vscodeApi<RunPageToHost>();
const root = document.getElementById('root')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(message: HostToRunPage): void {
  root.replaceChildren();
  switch (message.type) {
    case 'runDeleted':
      root.append(el('p', 'notice', `This run no longer exists: ${message.key}`));
      return;
    case 'snapshot': {
      const { run, series } = message;
      root.append(el('h1', 'run-name', run.name), el('p', 'run-state', `${run.state} · ${run.path}`));
      const grid = el('div', 'chart-grid');
      root.append(grid);
      const color = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
      for (const s of series) {
        const card = el('section', 'chart-card');
        card.append(el('h2', 'chart-title', s.key));
        const canvas = el('canvas');
        card.append(canvas);
        grid.append(card);
        new Chart(canvas, {
          type: 'line',
          data: {
            datasets: [
              {
                label: s.key,
                data: s.steps.map((x, i) => ({ x, y: s.values[i] ?? Number.NaN })),
                borderColor: color,
                borderWidth: 1.5,
                pointRadius: 0,
              },
            ],
          },
          options: {
            animation: false,
            parsing: false,
            normalized: true,
            scales: { x: { type: 'linear', title: { display: true, text: 'step' } }, y: { type: 'linear' } },
            plugins: { legend: { display: false } },
          },
        });
      }
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<HostToRunPage>) => render(event.data));
vscode.postMessage({ type: 'ready' });
