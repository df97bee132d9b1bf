// A run's state, derived as README.md (On-disk format) "State" says. Pure, so tests can drive the
// clock and the processes.
//
// A run with no `exit` record and no newer `state` edit is alive or crashed:
// - on this host, with a recorded pid: alive exactly while that process lives, and is the same
//   process (its start time matches the one the SDK recorded, so a reused pid does not count);
// - on another host (or with no pid): alive while its heartbeats arrive; crashed once
//   MISSED_HEARTBEATS of them did not. Silence is measured on this host's clock, from when the
//   ingest last read a new record of the run, so a clock that differs between hosts and a viewer
//   that slept do not count as silence.

import type { RunState } from '../model';
import { isSameProcess, type ProcessProbe } from './processes';

export { isPidAlive } from './processes';

/** Heartbeats an SDK may miss before its run, on another host, reads as crashed. */
export const MISSED_HEARTBEATS = 3;
/** The heartbeat interval of SDKs that did not record theirs (the SDK's default). */
export const DEFAULT_HEARTBEAT_SEC = 5;
/** Added to the heartbeat deadline for the ingest's own poll and a shared file system's lag. */
export const HEARTBEAT_SLACK_SEC = 2;
/**
 * Seconds of silence by the writer's own clock after which a run on another host has crashed,
 * whatever this host last read: a run found (or re-indexed) long after it died.
 */
export const REMOTE_STALE_SEC = 600;

export interface StateInputs {
  readonly lastInitTs: number | null;
  /** The last `exit` record after the last `init`. */
  readonly exit: { readonly ts: number; readonly code: number; readonly state: 'finished' | 'failed' | 'killed' } | null;
  /** The newest `state` edit. */
  readonly edit: { readonly ts: number; readonly state: 'finished' | 'failed' | 'killed'; readonly code: number | null } | null;
  /** Newest timestamp written by the run's process (any record, heartbeats included), by its clock. */
  readonly lastSeen: number | null;
  /** This host's clock when the ingest last read a new record of the run; null when unknown. */
  readonly heardAt: number | null;
  readonly pid: number | null;
  /** Epoch seconds the run's process started, as its SDK recorded (`init.pid_start`). */
  readonly pidStart: number | null;
  readonly host: string | null;
  /** Seconds between the SDK's heartbeats (`init.heartbeat_interval`); null when not recorded. */
  readonly heartbeatSec: number | null;
}

export interface Environment {
  /** Epoch seconds. */
  now(): number;
  readonly hostname: string;
  /** What this host knows of process `pid` (processes.ts's probeProcess outside tests). */
  probeProcess(pid: number): ProcessProbe;
}

export interface DerivedState {
  readonly state: RunState;
  readonly exitCode: number | null;
  /** Epoch seconds; null while running. */
  readonly endTime: number | null;
}

export function deriveState(inputs: StateInputs, env: Environment): DerivedState {
  if (inputs.exit) return { state: inputs.exit.state, exitCode: inputs.exit.code, endTime: inputs.exit.ts };
  const { edit } = inputs;
  if (edit && (inputs.lastInitTs === null || edit.ts > inputs.lastInitTs)) {
    return { state: edit.state, exitCode: edit.code, endTime: inputs.lastSeen ?? edit.ts };
  }
  const lastSeen = inputs.lastSeen ?? inputs.lastInitTs;
  const alive = judgedByProcess(inputs, env) ? isSameProcess(env.probeProcess(inputs.pid!), inputs.pidStart) : heartbeatsArrive(inputs, env);
  return alive ? { state: 'running', exitCode: null, endTime: null } : { state: 'crashed', exitCode: null, endTime: lastSeen };
}

/** This host can see the run's process: it is on this host and recorded its pid. */
export function judgedByProcess(inputs: Pick<StateInputs, 'host' | 'pid'>, env: Pick<Environment, 'hostname'>): boolean {
  return inputs.pid !== null && (inputs.host === null || inputs.host === env.hostname);
}

/** Seconds of silence after which a run judged by heartbeats has crashed. */
export function heartbeatDeadline(heartbeatSec: number | null): number {
  const interval = heartbeatSec !== null && heartbeatSec > 0 ? heartbeatSec : DEFAULT_HEARTBEAT_SEC;
  return MISSED_HEARTBEATS * interval + HEARTBEAT_SLACK_SEC;
}

function heartbeatsArrive(inputs: StateInputs, env: Environment): boolean {
  const lastSeen = inputs.lastSeen ?? inputs.lastInitTs;
  const now = env.now();
  // No record yet: alive while the files the SDK made are new (their time stands in as heardAt).
  if (lastSeen === null) return inputs.heardAt !== null && now - inputs.heardAt <= heartbeatDeadline(inputs.heartbeatSec);
  if (now - lastSeen > REMOTE_STALE_SEC) return false;
  const heard = inputs.heardAt ?? lastSeen;
  return now - heard <= heartbeatDeadline(inputs.heartbeatSec);
}
