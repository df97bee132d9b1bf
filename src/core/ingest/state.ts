// A run's state, derived as README.md (On-disk format) "State" says. Pure, so tests can drive the clock.

import type { RunState } from '../model';

/** Seconds without a heartbeat after which a run on this host whose process is gone has crashed. */
export const LOCAL_STALE_SEC = 60;
/** Seconds without a heartbeat after which a run on another host has crashed. */
export const REMOTE_STALE_SEC = 600;

export interface StateInputs {
  readonly lastInitTs: number | null;
  /** The last `exit` record after the last `init`. */
  readonly exit: { readonly ts: number; readonly code: number; readonly state: 'finished' | 'failed' | 'killed' } | null;
  /** The newest `state` edit. */
  readonly edit: { readonly ts: number; readonly state: 'finished' | 'failed' | 'killed'; readonly code: number | null } | null;
  /** Newest timestamp written by the run's process (any record, heartbeats included). */
  readonly lastSeen: number | null;
  readonly pid: number | null;
  readonly host: string | null;
}

export interface Environment {
  /** Epoch seconds. */
  now(): number;
  readonly hostname: string;
  isPidAlive(pid: number): boolean;
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
  const silentFor = lastSeen === null ? Infinity : env.now() - lastSeen;
  const local = inputs.host === null || inputs.host === env.hostname;
  const alive = local
    ? silentFor < LOCAL_STALE_SEC || (inputs.pid !== null && inputs.host !== null && env.isPidAlive(inputs.pid))
    : silentFor < REMOTE_STALE_SEC;
  return alive ? { state: 'running', exitCode: null, endTime: null } : { state: 'crashed', exitCode: null, endTime: lastSeen };
}

/** `process.kill(pid, 0)`: true when a process with that pid exists (EPERM counts as alive). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
