import type { RunDetail, RunInfo } from '../../core/model';
import type { RunRow } from '../../common/comparePageProtocol';
import type { RunView } from '../../common/runPageProtocol';
import { toWireRecord, toWireValue } from '../../common/wire';

/** A run as the run page receives it: every number that JSON would lose kept as a marker. */
export function toRunView(run: RunDetail): RunView {
  const { config, summary, configTree: _tree, metrics, ...rest } = run;
  return {
    ...rest,
    config: toWireRecord(config),
    summary: toWireRecord(summary),
    metrics: metrics.map((m) => ({ ...m, min: toWireValue(m.min), max: toWireValue(m.max), last: toWireValue(m.last) })),
  };
}

/** A compare-table row. */
export function toRunRow(run: RunInfo): RunRow {
  return {
    key: run.key,
    id: run.id,
    project: run.project,
    entity: run.entity,
    path: run.path,
    name: run.name,
    state: run.state,
    group: run.group,
    jobType: run.jobType,
    sweepId: run.sweepId,
    tags: run.tags,
    notes: run.notes,
    startTime: run.startTime,
    endTime: run.endTime,
    lastSeen: run.lastSeen,
    runtimeSec: run.runtimeSec,
    durationSec: run.durationSec,
    lastStep: run.lastStep,
    exitCode: run.exitCode,
    pid: run.pid,
    host: run.host,
    program: run.program,
    command: run.command,
    cwd: run.cwd,
    dir: run.dir,
    config: toWireRecord(run.config),
    summary: toWireRecord(run.summary),
  };
}
