// The read side of the index: prepared queries and the conversion of rows to the model.

import type { Statement } from 'better-sqlite3';
import { runKey, type MetricValue, type RunInfo, type RunState } from '../model';
import type { RunRow, Segment } from './rows';
import type { Db } from './schema';
import { decodeValue, toMetricValue } from './values';

export type Raw3 = [number, number | null, number];

export function prepareQueries(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  db.function('runlog_icontains', { deterministic: true }, (text: unknown, needle: unknown) =>
    typeof text === 'string' && typeof needle === 'string' && text.toLowerCase().includes(needle) ? 1 : 0,
  );
  return {
    projects: p(`SELECT p.name AS name, count(r.rid) AS runCount, sum(r.state = 'running') AS runningCount, max(r.start_time) AS lastStart
      FROM projects p LEFT JOIN runs r ON r.project = p.name GROUP BY p.name ORDER BY p.name`),
    run: p('SELECT * FROM runs WHERE project = ? AND id = ?'),
    allRuns: p('SELECT * FROM runs'),
    projectRuns: p('SELECT * FROM runs WHERE project = ?'),
    allConfig: p('SELECT run, key, value FROM config'),
    projectConfig: p('SELECT c.run, c.key, c.value FROM config c JOIN runs r ON r.rid = c.run WHERE r.project = ?'),
    runConfig: p('SELECT run, key, value FROM config WHERE run = ?'),
    allSummary: p('SELECT run, key, value FROM summary'),
    projectSummary: p('SELECT s.run, s.key, s.value FROM summary s JOIN runs r ON r.rid = s.run WHERE r.project = ?'),
    runSummary: p('SELECT run, key, value FROM summary WHERE run = ?'),
    allLasts: p('SELECT run, key, last AS value FROM metric_keys'),
    projectLasts: p('SELECT m.run, m.key, m.last AS value FROM metric_keys m JOIN runs r ON r.rid = m.run WHERE r.project = ?'),
    metricKeys: p('SELECT * FROM metric_keys WHERE run = ? ORDER BY key'),
    metricKey: p('SELECT * FROM metric_keys WHERE run = ? AND key = ?'),
    historyRange: p('SELECT step, value, ts FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step').raw(),
    countRangeLimited: p('SELECT count(*) FROM (SELECT 1 FROM history WHERE run = ? AND key = ? AND step BETWEEN ? AND ? LIMIT ?)').pluck(),
    nextStep: p('SELECT min(step) FROM history WHERE run = ? AND key = ? AND step > ?').pluck(),
    lodRange: p('SELECT block, count, min_step, min_value, min_ts, max_step, max_value, max_ts FROM history_lod WHERE key = ? AND level = ? AND block BETWEEN ? AND ? ORDER BY block').raw(),
    systemKeys: p('SELECT key FROM system_keys WHERE run = ? ORDER BY key').pluck(),
    systemKey: p('SELECT skid FROM system_keys WHERE run = ? AND key = ?').pluck(),
    systemRange: p('SELECT idx, value, ts FROM system WHERE run = ? AND key = ? AND idx BETWEEN ? AND ? ORDER BY idx').raw(),
    files: p('SELECT path, size, mtime FROM files WHERE run = ? ORDER BY path'),
    artifacts: p('SELECT direction, name, type, version, digest, size, path, ts FROM artifacts WHERE run = ? ORDER BY aid'),
    alerts: p('SELECT ts, title, text, level FROM alerts WHERE run = ? ORDER BY alid'),
    problems: p('SELECT file, line, kind, message FROM ingest_problems WHERE run = ? ORDER BY file, line'),
    output: p('SELECT line, ts, stream, text FROM output WHERE run = ? AND line >= ? ORDER BY line LIMIT ?'),
    searchOutput: p('SELECT line FROM output WHERE run = ? AND runlog_icontains(text, ?) ORDER BY line LIMIT ?').pluck(),
  };
}

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
