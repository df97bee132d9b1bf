// The store's read side apart from history: projects, runs, one run's detail, its output.

import { statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { Statement } from 'better-sqlite3';
import {
  parseRunKey,
  type ArtifactRef,
  type IngestProblem,
  type MetricKeyInfo,
  type OutputLine,
  type GroupCount,
  type ProjectInfo,
  type RunAlert,
  type RunDetail,
  type RunFile,
  type RunInfo,
  type RunKey,
  type RunListQuery,
  type PageCursor,
  type RunOrder,
  type RunPageQuery,
  type RunMeta,
} from '../model';
import type { HistoryReader } from '../history/HistoryReader';
import type { RunRow } from '../index/rows';
import { sourceNamed } from '../sources/registry';
import type { Db } from '../index/schema';
import { decodeValue, toMetricValue } from '../index/values';
import { isValidArtifactName, isValidProjectName, isValidRunId } from '../names';
import { compileFilterSql, registerFilterFunctions, START_SQL } from './filterSql';
import { valuesPending } from '../index/runValues';
import { DURATION_SQL } from '../index/duration';
import { applySummaryRules, definitionFields, definitionFor, parseDefinitions, type MetricDefinition } from './metricDefs';
import { closedSegments, groupByRun, toRunInfo } from './readModel';
import { sortRuns } from './sort';
import { afterSql, orderBySql, orderValueSql, untilSql } from './order';

function prepare(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  db.function('runlog_icontains', { deterministic: true }, (text: unknown, needle: unknown) =>
    typeof text === 'string' && typeof needle === 'string' && text.toLowerCase().includes(needle) ? 1 : 0,
  );
  registerFilterFunctions(db);
  return {
    source: p('SELECT source, dirs FROM sources WHERE run = ?'),
    projectSources: p('SELECT r.id, s.source, s.dirs FROM sources s JOIN runs r ON r.rid = s.run WHERE r.project = ?'),
    projects: p(`SELECT p.name AS name, count(r.rid) AS runCount, sum(r.state = 'running') AS runningCount, max(r.start_time) AS lastStart
      FROM projects p LEFT JOIN runs r ON r.project = p.name GROUP BY p.name ORDER BY p.name`),
    run: p('SELECT * FROM runs WHERE project = ? AND id = ?'),
    live: p(`SELECT r.* FROM runs r WHERE r.state = 'running' ORDER BY ${START_SQL} DESC, r.id`),
    sourced: p(`SELECT EXISTS (SELECT 1 FROM runs WHERE instr(meta, '"source"') > 0 AND json_valid(meta) AND json_type(meta, '$.source.label') = 'text')`).pluck(),
    someConfig: p('SELECT c.run, c.key, c.value FROM json_each(?) j CROSS JOIN config c ON c.run = j.value'),
    runConfig: p('SELECT run, key, value FROM config WHERE run = ?'),
    someSummary: p('SELECT s.run, s.key, s.value FROM json_each(?) j CROSS JOIN summary s ON s.run = j.value'),
    runSummary: p('SELECT run, key, value FROM summary WHERE run = ?'),
    someLasts: p('SELECT m.run, m.key, m.last AS value FROM json_each(?) j CROSS JOIN metric_keys m ON m.run = j.value'),
    someDefs: p('SELECT d.run, d.name AS key, d.def AS value FROM json_each(?) j CROSS JOIN metric_defs d ON d.run = j.value'),
    runDefs: p('SELECT run, name AS key, def AS value FROM metric_defs WHERE run = ?'),
    keyAggregates: p('SELECT kid, min, max, last FROM metric_keys WHERE run = ? AND key = ?'),
    keyMean: p('SELECT avg(value) FROM history WHERE run = ? AND key = ?').pluck(),
    keyFirst: p('SELECT value FROM history WHERE run = ? AND key = ? AND value IS NOT NULL ORDER BY step LIMIT 1').pluck(),
    systemKeys: p('SELECT key FROM system_keys WHERE run = ? ORDER BY key').pluck(),
    files: p('SELECT path, size, mtime FROM files WHERE run = ? ORDER BY path'),
    artifacts: p('SELECT direction, name, type, version, digest, size, path, ts FROM artifacts WHERE run = ? ORDER BY aid'),
    alerts: p('SELECT ts, title, text, level FROM alerts WHERE run = ? ORDER BY alid'),
    problems: p('SELECT file, line, kind, message FROM ingest_problems WHERE run = ? ORDER BY file, line'),
    output: p('SELECT line, ts, stream, text FROM output WHERE run = ? AND line >= ? ORDER BY line LIMIT ?'),
    searchOutput: p('SELECT line FROM output WHERE run = ? AND runlog_icontains(text, ?) ORDER BY line LIMIT ?').pluck(),
  } satisfies Record<string, Statement>;
}

export class RunQueries {
  private readonly s: ReturnType<typeof prepare>;
  private readonly cache = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly storeDir: string,
    private readonly history: HistoryReader,
    private readonly now: () => number,
  ) {
    this.s = prepare(db);
  }

  listProjects(): ProjectInfo[] {
    const rows = this.s.projects.all() as { name: string; runCount: number; runningCount: number | null; lastStart: number | null }[];
    return rows.map((r) => ({ name: r.name, runCount: r.runCount, runningCount: r.runningCount ?? 0, lastStart: r.lastStart }));
  }

  /**
   * Runs of a project (or all), filtered and sorted. Sorted by start (the default), the filter,
   * the order, the page (`after`, `until`, `limit`) are SQL and only the page is read (a filter
   * term that is not SQL reads the runs within the bounds); sorted by duration, the filter, the
   * order and `limit` are SQL; other orders read the runs the filter selects. Throws
   * FilterSyntaxError for a filter that cannot be read.
   */
  listRuns(project: string | undefined, query: RunListQuery = {}): RunInfo[] {
    const now = this.now(); // one clock for the filter, the order and the runs read
    const filter = this.compile(query.filter, now);
    const sort = query.sort ?? 'start';
    const descending = query.descending ?? query.sort === undefined;
    const where = [project === undefined ? '1' : 'r.project = ?', filter.where];
    const params: unknown[] = project === undefined ? [...filter.params] : [project, ...filter.params];
    if (sort === 'start') {
      // Keyset bounds: a run started or deleted meanwhile neither shifts nor repeats a page.
      if (query.after) {
        where.push(`(${START_SQL} ${descending ? '<' : '>'} ? OR (${START_SQL} = ? AND r.id > ?))`);
        params.push(query.after.startTime, query.after.startTime, query.after.id);
      }
      if (query.until) {
        where.push(`(${START_SQL} ${descending ? '>' : '<'} ? OR (${START_SQL} = ? AND r.id <= ?))`);
        params.push(query.until.startTime, query.until.startTime, query.until.id);
      }
      const order = ` ORDER BY ${START_SQL} ${descending ? 'DESC' : 'ASC'}, r.id ASC`;
      if (filter.residual === undefined) {
        const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
        return this.infos(this.statement(`SELECT r.* FROM runs r WHERE ${where.join(' AND ')}${order}${limit}`).all(...params) as RunRow[], now);
      }
      // Part of the filter is not SQL: the bounds and the order are, the rest is checked run by run.
      const runs = this.infos(this.statement(`SELECT r.* FROM runs r WHERE ${where.join(' AND ')}${order}`).all(...params) as RunRow[], now).filter(filter.residual);
      return query.limit !== undefined ? runs.slice(0, Math.max(0, query.limit)) : runs;
    }
    if (sort === 'duration' && filter.residual === undefined) {
      // As sortRuns(): ties newest first, then by ID.
      const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
      const sql = `SELECT r.* FROM runs r WHERE ${where.join(' AND ')} ORDER BY ${DURATION_SQL} ${descending ? 'DESC' : 'ASC'}, ${START_SQL} DESC, r.id ASC${limit}`;
      return this.infos(this.statement(sql).all(...params, now) as RunRow[], now);
    }
    let runs = this.infos(this.statement(`SELECT r.* FROM runs r WHERE ${where.join(' AND ')}`).all(...params) as RunRow[], now);
    if (filter.residual) runs = runs.filter(filter.residual);
    runs = sortRuns(runs, sort, descending);
    return query.limit !== undefined ? runs.slice(0, Math.max(0, query.limit)) : runs;
  }

  /**
   * A page of a project's runs in any table order (query/order.ts), all SQL: the filter, the
   * order, the keyset bounds (`after`, `until`) and the limit; with each run's cursor. Throws
   * FilterSyntaxError for a filter that cannot be read.
   */
  pageRuns(project: string, query: RunPageQuery): { runs: RunInfo[]; cursors: PageCursor[] } {
    const now = this.now();
    const filter = this.compile(query.filter, now);
    const { descending } = query.order;
    const [value, ...valueParams] = orderValueSql(query.order.column, now);
    const bounds: string[] = [];
    const boundParams: unknown[] = [];
    for (const bound of [query.after && afterSql(query.after, descending), query.until && untilSql(query.until, descending)]) {
      if (!bound) continue;
      const [sql, ...params] = bound;
      bounds.push(sql);
      boundParams.push(...params);
    }
    const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
    const sql = `SELECT * FROM (SELECT r.*, ${value} AS sort_value, ${START_SQL} AS sort_start FROM runs r WHERE r.project = ? AND ${filter.where})
      WHERE ${bounds.length === 0 ? '1' : bounds.join(' AND ')} ORDER BY ${orderBySql(descending)}${limit}`;
    const rows = this.statement(sql).all(...valueParams, project, ...filter.params, ...boundParams) as (RunRow & { sort_value: number | string | null; sort_start: number })[];
    const cursorOf = new Map(rows.map((r) => [r.id, { value: r.sort_value, startTime: r.sort_start, id: r.id }]));
    let runs = this.infos(rows, now);
    if (filter.residual) runs = runs.filter(filter.residual);
    return { runs, cursors: runs.map((r) => cursorOf.get(r.id)!) };
  }

  /** The cursors of these runs of `project` in an order (runs not there are left out). */
  cursorsOf(project: string, ids: readonly string[], order: RunOrder): Map<string, PageCursor> {
    const [value, ...valueParams] = orderValueSql(order.column, this.now());
    const sql = `SELECT r.id AS id, ${value} AS value, ${START_SQL} AS startTime FROM json_each(?) j CROSS JOIN runs r ON r.project = ? AND r.id = j.value`;
    const rows = this.statement(sql).all(...valueParams, JSON.stringify(ids), project) as PageCursor[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** How many runs of a project (or all) the filter selects, without reading them when SQL can count. */
  count(project?: string, filterText?: string): number {
    const filter = this.compile(filterText);
    if (filter.residual) return this.listRuns(project, { filter: filterText }).length;
    const params = project === undefined ? filter.params : [project, ...filter.params];
    return this.statement(`SELECT count(*) FROM runs r WHERE ${project === undefined ? '1' : 'r.project = ?'} AND ${filter.where}`).pluck().get(...params) as number;
  }

  /** The run groups of a project with how many of their runs the filter selects (and how many run), counted in SQL when it can. */
  groupCounts(project: string, filterText?: string): GroupCount[] {
    const filter = this.compile(filterText);
    if (filter.residual) {
      const counts = new Map<string, GroupCount>();
      for (const run of this.listRuns(project, { filter: filterText })) {
        if (!run.group) continue;
        const c = counts.get(run.group) ?? { group: run.group, runCount: 0, runningCount: 0 };
        counts.set(run.group, { ...c, runCount: c.runCount + 1, runningCount: c.runningCount + (run.state === 'running' ? 1 : 0) });
      }
      return [...counts.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    }
    const sql = `SELECT r.run_group AS "group", count(*) AS runCount, sum(r.state = 'running') AS runningCount FROM runs r
      WHERE r.project = ? AND r.run_group IS NOT NULL AND r.run_group != '' AND ${filter.where} GROUP BY r.run_group ORDER BY r.run_group`;
    return this.statement(sql).all(project, ...filter.params) as GroupCount[];
  }

  /** One run as listed, or undefined. */
  runInfo(key: RunKey): RunInfo | undefined {
    const row = this.row(key);
    return row ? this.infos([row])[0] : undefined;
  }

  /** True when some run was read from another tool's files (its `source`, as RunInfo has it), without reading any run. */
  hasSourcedRuns(): boolean {
    return this.s.sourced.get() === 1;
  }

  /** The runs that are running, newest first. */
  liveRuns(): RunInfo[] {
    return this.infos(this.s.live.all() as RunRow[]);
  }

  /**
   * Rows as RunInfos, with their config, summary and last values (read for these runs only; the
   * CROSS JOINs keep the list of runs the outer loop: an index seek per run, never a table scan).
   */
  private infos(rows: RunRow[], now = this.now()): RunInfo[] {
    const valid = rows.filter((row) => isValidProjectName(row.project) && isValidRunId(row.id));
    if (valid.length === 0) return [];
    const rids = JSON.stringify(valid.map((r) => r.rid));
    const s = this.s;
    const configs = groupByRun(s.someConfig, [rids]);
    const explicit = groupByRun(s.someSummary, [rids]);
    const lasts = groupByRun(s.someLasts, [rids]);
    const defs = groupByRun(s.someDefs, [rids]);
    return valid.map((row) => {
      const info = toRunInfo({ ...row, dir: this.runDir(row.project, row.id) }, configs.get(row.rid), lasts.get(row.rid), explicit.get(row.rid), now);
      const rows = defs.get(row.rid);
      return rows ? this.withSummaryRules(info, row.rid, parseDefinitions(rows), explicit.get(row.rid)) : info;
    });
  }

  /** The summary under the run's define_metric rules (query/metricDefs.ts). */
  private withSummaryRules(info: RunInfo, rid: number, defs: readonly MetricDefinition[], explicit: readonly { key: string }[] | undefined): RunInfo {
    if (defs.length === 0) return info;
    const s = this.s;
    const summary = { ...info.summary };
    applySummaryRules(summary, new Set((explicit ?? []).map((e) => e.key)), defs, (key) => {
      const row = s.keyAggregates.get(rid, key) as { kid: number; min: number | null; max: number | null; last: string | null } | undefined;
      if (!row) return undefined;
      return {
        min: row.min,
        max: row.max,
        last: toMetricValue(decodeValue(row.last)),
        mean: () => (s.keyMean.get(rid, row.kid) as number | null) ?? null,
        first: () => (s.keyFirst.get(rid, row.kid) as number | null) ?? null,
      };
    });
    return { ...info, summary };
  }

  /** A filter as SQL over this index (its values table, unless a migrated index is still filling it). */
  private compile(text: string | undefined, now = this.now()) {
    return compileFilterSql(text, { now, values: !valuesPending(this.db) });
  }

  /** Why parts of a filter are not SQL (each names its term): such a filter reads every run the rest selects. */
  filterNotSql(text: string): readonly string[] {
    return this.compile(text).notSql;
  }

  /** Prepared once per distinct SQL text (filters repeat: the explorer's, the compare page's). */
  private statement(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size >= 200) this.cache.clear();
      this.cache.set(sql, (statement = this.db.prepare(sql)));
    }
    return statement;
  }

  getRun(key: RunKey): RunDetail | undefined {
    const row = this.row(key);
    if (!row) return undefined;
    const s = this.s;
    const rid = row.rid;
    const config = groupByRun(s.runConfig, [rid]).get(rid);
    const metricRows = this.history.keys(rid);
    const lasts = metricRows.map((m) => ({ run: rid, key: m.key, value: m.last }));
    const explicit = groupByRun(s.runSummary, [rid]).get(rid);
    const now = this.now();
    const definitions = parseDefinitions(groupByRun(s.runDefs, [rid]).get(rid));
    const info = this.withSummaryRules(toRunInfo(row, config, lasts, explicit, now), rid, definitions, explicit);
    const metrics: MetricKeyInfo[] = metricRows.map((m) => ({
      ...definitionFields(definitionFor(definitions, m.key)),
      key: m.key,
      count: m.count,
      firstStep: m.first_step ?? 0,
      lastStep: m.last_step ?? 0,
      min: m.min,
      max: m.max,
      last: toMetricValue(decodeValue(m.last)),
    }));
    const files: RunFile[] = [];
    for (const name of ['events.jsonl', 'output.jsonl', 'system.jsonl', 'edits.jsonl']) {
      try {
        const st = statSync(join(row.dir, name));
        files.push({ path: name, size: st.size, mtime: st.mtimeMs / 1000 });
      } catch {
        // Not written (yet).
      }
    }
    files.push(...this.sourceRecordFiles(row));
    for (const f of s.files.all(rid) as { path: string; size: number; mtime: number }[]) files.push({ path: f.path, size: f.size, mtime: f.mtime });
    const artifacts: ArtifactRef[] = (s.artifacts.all(rid) as { direction: 'input' | 'output'; name: string; type: string; version: string; digest: string; size: number; path: string; ts: number }[]).map(
      (a) => ({ direction: a.direction, name: a.name, type: a.type, version: a.version, digest: a.digest, size: a.size, dir: this.artifactDir(row.project, a.name, a.version, a.path), ts: a.ts }),
    );
    return {
      ...info,
      ...this.fileRoots(row),
      meta: JSON.parse(row.meta) as RunMeta,
      configTree: JSON.parse(row.config_tree) as Record<string, unknown>,
      metrics,
      systemMetrics: s.systemKeys.all(rid) as string[],
      files,
      artifacts,
      alerts: s.alerts.all(rid) as RunAlert[],
      forkOf: row.fork_of ? (JSON.parse(row.fork_of) as { run: string; step: number }) : null,
      segments: closedSegments(row, now),
      outputLines: row.output_lines,
      problems: s.problems.all(rid) as IngestProblem[],
    };
  }

  readOutput(key: RunKey, fromLine: number, count: number): OutputLine[] {
    const row = this.row(key);
    if (!row || count <= 0) return [];
    const rows = this.s.output.all(row.rid, Math.max(0, Math.floor(fromLine)), Math.floor(count)) as OutputLine[];
    for (const r of rows) if (r.text.endsWith('\r')) (r as { text: string }).text = r.text.slice(0, -1);
    return rows;
  }

  searchOutput(key: RunKey, text: string, limit = 1000): number[] {
    const row = this.row(key);
    if (!row || text === '') return [];
    return this.s.searchOutput.all(row.rid, text.toLowerCase(), limit) as number[];
  }

  /** A run's row, its folder derived from the layout; undefined for a key that is not valid. */
  row(key: RunKey): RunRow | undefined {
    const parsed = parseRunKey(key);
    if (!parsed || !isValidProjectName(parsed.project) || !isValidRunId(parsed.id)) return undefined;
    const row = this.s.run.get(parsed.project, parsed.id) as RunRow | undefined;
    if (row) row.dir = this.runDir(row.project, row.id);
    return row;
  }

  /** A run read in place: the source's files its records are read from (each named relative to its folder; the first of a name). */
  private sourceRecordFiles(row: RunRow): RunFile[] {
    const kept = this.s.source.get(row.rid) as { source: string; dirs: string } | undefined;
    const source = kept && sourceNamed(kept.source);
    if (!kept || !source) return [];
    const out = new Map<string, RunFile>();
    for (const file of source.recordFiles({ source: kept.source, id: row.id, sourceId: row.id, dirs: JSON.parse(kept.dirs) as string[] })) {
      try {
        const st = statSync(file);
        if (!out.has(basename(file))) out.set(basename(file), { path: basename(file), size: st.size, mtime: st.mtimeMs / 1000 });
      } catch {
        // gone since it was read: the run keeps what was read
      }
    }
    return [...out.values()];
  }

  /** A run read in place: the folders its file and media paths are relative to (its own, then its source's). Others: none (their own folder). */
  private fileRoots(row: RunRow): { fileRoots?: string[] } {
    const kept = this.s.source.get(row.rid) as { source: string; dirs: string } | undefined;
    const source = kept && sourceNamed(kept.source);
    if (!kept || !source) return {};
    return { fileRoots: [row.dir, ...source.fileRoots({ source: kept.source, id: row.id, sourceId: row.id, dirs: JSON.parse(kept.dirs) as string[] })] };
  }

  /** The other tools' folders the runs of `project` read in place serve files from (one SQL read; no run listed). */
  sourceFileRoots(project: string): string[] {
    const roots = new Set<string>();
    for (const kept of this.s.projectSources.all(project) as { id: string; source: string; dirs: string }[]) {
      const source = sourceNamed(kept.source);
      if (!source) continue;
      for (const dir of source.fileRoots({ source: kept.source, id: kept.id, sourceId: kept.id, dirs: JSON.parse(kept.dirs) as string[] })) roots.add(dir);
    }
    return [...roots];
  }

  /** Where a run's folder is: always derived from the layout, never taken from the index. */
  runDir(project: string, id: string): string {
    return join(this.storeDir, 'projects', project, 'runs', id);
  }

  /** An artifact's folder, kept inside the store whatever path its record gave. */
  private artifactDir(project: string, name: string, version: string, path: string): string {
    const resolved = resolve(this.storeDir, path);
    const root = resolve(this.storeDir);
    if (resolved === root || resolved.startsWith(root + sep)) return resolved;
    if (isValidArtifactName(name) && /^v\d+$/.test(version)) return join(this.storeDir, 'projects', project, 'artifacts', name, version);
    return join(this.storeDir, 'projects', project, 'artifacts');
  }
}
