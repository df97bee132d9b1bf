// Index rows as the model's runs: the one place a `runs` row and its values become a RunInfo.

import type { Statement } from 'better-sqlite3';
import { runKey, type MetricValue, type RunInfo, type RunState } from '../model';
import type { RunRow, Segment } from '../index/rows';
import { decodeValue, toMetricValue } from '../index/values';

export function groupByRun(statement: Statement, params: unknown[]): Map<number, { key: string; value: string | null }[]> {
  const map = new Map<number, { key: string; value: string | null }[]>();
  for (const r of statement.iterate(...params) as Iterable<{ run: number; key: string; value: string | null }>) {
    let list = map.get(r.run);
    if (!list) map.set(r.run, (list = []));
    list.push(r);
  }
  return map;
}

export function toRunInfo(
  row: RunRow,
  config: readonly { key: string; value: string | null }[] | undefined,
  lasts: readonly { key: string; value: string | null }[] | undefined,
  explicit: readonly { key: string; value: string | null }[] | undefined,
  now: number,
): RunInfo {
  const configValues: Record<string, MetricValue> = {};
  for (const c of config ?? []) configValues[c.key] = toMetricValue(decodeValue(c.value));
  const summary: Record<string, MetricValue> = {};
  for (const m of lasts ?? []) summary[m.key] = toMetricValue(decodeValue(m.value));
  for (const s of explicit ?? []) summary[s.key] = toMetricValue(decodeValue(s.value));
  const start = row.start_time ?? row.last_seen ?? 0;
  const running = row.state === 'running';
  const end = running ? now : (row.end_time ?? row.last_seen ?? start);
  const segments = closedSegments(row, now);
  let duration = 0;
  for (const seg of segments) duration += Math.max(0, (seg.end ?? now) - seg.start);
  return {
    key: runKey(row.project, row.id),
    id: row.id,
    project: row.project,
    entity: row.entity,
    path: row.entity ? `${row.entity}/${row.project}/${row.id}` : `${row.project}/${row.id}`,
    name: row.name,
    state: row.state as RunState,
    group: row.run_group,
    jobType: row.job_type,
    sweepId: row.sweep,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    startTime: start,
    endTime: running ? null : row.end_time ?? row.last_seen,
    lastSeen: row.last_seen ?? start,
    runtimeSec: Math.max(0, end - start),
    durationSec: duration,
    lastStep: row.last_step,
    exitCode: row.exit_code,
    pid: row.pid,
    host: row.host,
    program: row.program,
    command: row.command ? (JSON.parse(row.command) as string[]) : null,
    cwd: row.cwd,
    dir: row.dir,
    source: sourceOf(row.meta),
    config: configValues,
    summary,
  };
}

/** Segments with the open one closed at the run's end, unless the run is still going. */
export function closedSegments(row: RunRow, now: number): Segment[] {
  const segments = JSON.parse(row.segments) as Segment[];
  const running = row.state === 'running';
  return segments.map((seg, i) => {
    if (seg.end !== null) return { start: seg.start, end: seg.end };
    const last = i === segments.length - 1;
    if (last && running) return { start: seg.start, end: null };
    const end = last ? (row.end_time ?? row.last_seen ?? now) : (seg.seen ?? seg.start);
    return { start: seg.start, end: Math.max(seg.start, end) };
  });
}

/** `meta.source` of runs read from another tool's files (src/core/sources); cheap for the rest. */
function sourceOf(meta: string): RunInfo['source'] {
  if (!meta.includes('"source"')) return null;
  try {
    const source = (JSON.parse(meta) as { source?: { label?: unknown; path?: unknown } }).source;
    return typeof source?.label === 'string' ? { label: source.label, path: typeof source.path === 'string' ? source.path : '' } : null;
  } catch {
    return null;
  }
}
