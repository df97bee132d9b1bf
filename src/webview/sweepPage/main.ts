// The sweep page: header with the sweep's state and controls, the parallel-coordinates chart
// (parameters → metric), the parameter-importance table, and the trials best first.

import { assertNever } from '../../common/guards';
import type { HostToSweepPage, SweepPageState, SweepPageToHost, SweepView } from '../../common/sweepPageProtocol';
import type { ParamValue } from '../../core/sweeps/sweepAnalysis';
import { button, el, frameScheduler } from '../shared/dom';
import { onThemeChange } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';
import { drawParallelCoordinates } from './parallelCoordinates';

const api = vscodeApi<SweepPageToHost, SweepPageState>();
const root = document.getElementById('root')!;
let current: SweepView | undefined;

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

function paramText(v: ParamValue | undefined): string {
  return v === undefined ? '' : typeof v === 'number' ? fmt(v) : String(v);
}

const canvas = el('canvas', { className: 'pc-canvas', attrs: { role: 'img', 'aria-label': 'Parallel coordinates: parameters to metric' } });
const redraw = frameScheduler(() => {
  if (current) drawParallelCoordinates(canvas, current.rows, current.params, current.metric?.name ?? 'metric');
});
new ResizeObserver(() => redraw()).observe(canvas);
onThemeChange(redraw);

function render(s: SweepView): void {
  current = s;
  const metric = s.metric?.name ?? 'metric';
  const controls = el('div', 'controls');
  if (s.state === 'running') controls.append(button({ label: 'Pause', title: 'Agents wait after their current trial', onClick: () => api.postMessage({ type: 'control', state: 'paused' }) }));
  if (s.state === 'paused' || s.state === 'stopped') controls.append(button({ label: 'Resume', title: 'Agents claim trials again', onClick: () => api.postMessage({ type: 'control', state: 'running' }) }));
  if (s.state === 'running' || s.state === 'paused') controls.append(button({ label: 'Stop', title: 'Agents end after their current trial', onClick: () => api.postMessage({ type: 'control', state: 'stopped' }) }));
  const best = s.rows.find((r) => r.best);
  const header = el(
    'header',
    'sweep-header',
    el('h1', { text: `Sweep ${s.name ?? s.id}` }),
    el('div', { className: 'facts', text: `${s.method} · ${s.metric ? `${s.metric.goal} ${s.metric.name}` : 'no metric'} · ${s.ended}/${s.total ?? '∞'} trials${s.running ? ` · ${s.running} running` : ''} · ${s.state}` }),
    el('div', { className: 'best', text: best ? `Best: run ${best.runId} (trial ${best.trial}), ${metric} = ${fmt(best.metric)}` : 'No best run yet' }),
    controls,
  );
  const notes = el('div', 'notes');
  if (s.metricMissing) notes.append(el('p', { className: 'warning', text: `No ended trial logged the metric "${metric}": check the name your script logs.` }));

  const importance = el('table', { className: 'importance', attrs: { 'aria-label': 'Parameter importance' } });
  importance.append(el('thead', {}, el('tr', {}, el('th', { text: 'Parameter' }), el('th', { text: 'Importance (η²)' }), el('th', { text: 'Correlation (r)' }))));
  const ibody = el('tbody');
  for (const p of s.importance) {
    const bar = el('span', 'bar');
    bar.style.width = `${Math.round((p.importance ?? 0) * 100)}%`;
    ibody.append(
      el('tr', {}, el('td', { text: p.param + (p.logScale ? ' (log)' : '') }), el('td', {}, el('span', 'bar-track', bar), el('span', { className: 'num', text: fmt(p.importance) })), el('td', { className: 'num', text: p.correlation === null ? (p.numeric ? '–' : 'categorical') : fmt(p.correlation) })),
    );
  }
  importance.append(ibody);

  const trials = el('table', { className: 'trials', attrs: { 'aria-label': 'Trials, best first' } });
  trials.append(el('thead', {}, el('tr', {}, el('th', { text: '' }), el('th', { text: 'Trial' }), el('th', { text: 'Run' }), el('th', { text: 'State' }), el('th', { text: metric }), ...s.params.map((p) => el('th', { text: p })), el('th', { text: 'Note' }))));
  const tbody = el('tbody');
  for (const r of s.rows) {
    const open = el('a', { text: r.runId, attrs: { href: '#', title: 'Open the run page' } });
    open.addEventListener('click', (e) => {
      e.preventDefault();
      api.postMessage({ type: 'openRun', project: r.project, runId: r.runId });
    });
    tbody.append(
      el('tr', r.best ? 'best-row' : '', el('td', { text: r.best ? '★' : '' }), el('td', { className: 'num', text: String(r.trial) }), el('td', {}, open), el('td', { className: `state state-${r.state}`, text: r.state }), el('td', { className: 'num', text: fmt(r.metric) }), ...s.params.map((p) => el('td', { className: 'num', text: paramText(r.params[p]) })), el('td', { className: 'note', text: r.reason ?? '' })),
    );
  }
  trials.append(tbody);

  root.replaceChildren(
    header,
    notes,
    el('section', {}, el('h2', { text: `Parameters → ${metric}` }), el('p', { className: 'hint', text: 'One line per trial; brighter is better, the best in gold.' }), canvas),
    el('section', {}, el('h2', { text: 'Parameter importance' }), el('p', { className: 'hint', text: 'Importance is η², the share of the metric\'s variance one parameter explains (its values in up to five bins); it also catches a best value in the middle of a range. Correlation is Pearson\'s r (log scale for parameters spanning over two decades).' }), importance),
    el('section', {}, el('h2', { text: 'Trials, best first' }), trials),
  );
  redraw();
}

window.addEventListener('message', (event: MessageEvent<HostToSweepPage>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      // Saved so VS Code brings this page back after Reload Window.
      if (api.getState()?.sweepId !== message.sweep.id) api.setState({ sweepId: message.sweep.id });
      render(message.sweep);
      return;
    case 'error':
      root.replaceChildren(el('p', { className: 'warning', text: message.message }));
      return;
    default:
      assertNever(message);
  }
});
api.postMessage({ type: 'ready' });
