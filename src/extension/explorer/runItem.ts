// What one run, group or project looks like in the explorer, as plain data (no `vscode`): the
// tree view turns it into a TreeItem. Tested alone.

import type { MetricValue, RunInfo, RunState } from '../../core/model';
import { formatDuration, formatMetric, formatTime } from './format';
import { neutralizeBidi, revealBidi } from '../../common/displayText';

export interface StateIcon {
  /** A codicon id, with `~spin` where it turns. */
  readonly id: string;
  /** A theme color id. */
  readonly color: string | undefined;
}

export const STATE_ICONS: Readonly<Record<RunState, StateIcon>> = {
  running: { id: 'sync~spin', color: 'charts.blue' },
  finished: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  crashed: { id: 'warning', color: 'list.warningForeground' },
  killed: { id: 'circle-slash', color: 'descriptionForeground' },
};

export const STATE_LABELS: Readonly<Record<RunState, string>> = {
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  crashed: 'Crashed',
  killed: 'Killed',
};

export interface ItemView {
  readonly label: string;
  readonly description: string;
  readonly icon: StateIcon;
  readonly contextValue: string;
  /** Label/value rows; values are user text and must be shown as text. */
  readonly tooltip: readonly (readonly [string, string])[];
}

const HIDDEN_METRIC = /^(_|system\/)/;

/** The metric shown beside a run: the setting's, else `loss`, else the first numeric one logged. */
export function keyMetricOf(run: Pick<RunInfo, 'summary'>, preferred: string): [string, MetricValue] | undefined {
  const summary = run.summary;
  if (preferred && preferred in summary) return [preferred, summary[preferred]!];
  if ('loss' in summary) return ['loss', summary.loss!];
  for (const [k, v] of Object.entries(summary)) {
    if (!HIDDEN_METRIC.test(k) && typeof v === 'number') return [k, v];
  }
  return undefined;
}

/** Active time, still counting for a live run since the row was read. */
export function displayDuration(run: Pick<RunInfo, 'state' | 'durationSec'>, fetchedAt: number, now: number): number {
  return run.state === 'running' ? run.durationSec + Math.max(0, now - fetchedAt) : run.durationSec;
}

export interface RunViewOptions {
  readonly keyMetric: string;
  /** Epoch seconds when `run` was read from the store, and now. */
  readonly fetchedAt: number;
  readonly now: number;
}

export function describeRun(run: RunInfo, options: RunViewOptions): ItemView {
  const parts: string[] = [];
  if (run.source) parts.push(run.source.label); // a run read from another tool's files (W&B)
  if (run.lastStep !== null) parts.push(`step ${run.lastStep}`);
  const metric = keyMetricOf(run, options.keyMetric);
  if (metric) parts.push(`${metric[0]} ${formatMetric(metric[1])}`);
  const duration = displayDuration(run, options.fetchedAt, options.now);
  parts.push(formatDuration(duration));

  const state = run.exitCode !== null && run.state !== 'running' ? `${STATE_LABELS[run.state]} (exit code ${run.exitCode})` : STATE_LABELS[run.state];
  const tooltip: [string, string][] = [
    ['Name', revealBidi(run.name)],
    ['ID', run.id],
    ['Run path', run.path],
    ['State', state],
    ['Started', formatTime(run.startTime)],
    ['Duration', formatDuration(duration)],
  ];
  if (run.runtimeSec > run.durationSec + 1) tooltip.push(['Runtime', formatDuration(run.runtimeSec)]);
  if (run.group) tooltip.push(['Group', run.group]);
  if (run.jobType) tooltip.push(['Job type', run.jobType]);
  tooltip.push(['Tags', run.tags.length ? run.tags.join(', ') : '–']);
  tooltip.push(['Notes', run.notes || '–']);
  if (run.program) tooltip.push(['Script', run.program]);
  if (metric) tooltip.push(['Key metric', `${metric[0]} ${formatMetric(metric[1])}`]);
  tooltip.push(['Folder', run.dir]);
  if (run.source) tooltip.push([`${run.source.label} folder`, `${run.source.path} (read-only; edits stay in Runlog)`]);

  return {
    label: neutralizeBidi(run.name) || run.id,
    description: parts.join(' · '),
    icon: STATE_ICONS[run.state],
    contextValue: `run:${run.state}`,
    tooltip,
  };
}

export function describeProject(name: string, runCount: number, runningCount: number): ItemView {
  const runs = `${runCount.toLocaleString('en')} run${runCount === 1 ? '' : 's'}`;
  return {
    label: name,
    description: runningCount ? `${runs} · ${runningCount} running` : runs,
    icon: { id: 'folder-library', color: undefined },
    contextValue: 'project',
    tooltip: [
      ['Project', name],
      ['Runs', runCount.toLocaleString('en')],
      ['Running', String(runningCount)],
    ],
  };
}

export function describeGroup(project: string, group: string, runCount: number, runningCount: number): ItemView {
  const runs = `${runCount.toLocaleString('en')} run${runCount === 1 ? '' : 's'}`;
  return {
    label: neutralizeBidi(group),
    description: runningCount ? `${runs} · ${runningCount} running` : runs,
    icon: { id: runningCount ? 'run-all' : 'layers', color: undefined },
    contextValue: 'group',
    tooltip: [
      ['Group', group],
      ['Project', project],
      ['Runs', runCount.toLocaleString('en')],
    ],
  };
}
