// A sweep's files in the store, read for the CLI and the editor. The Python SDK writes them
// (sdk/python/runlog/_sweeps/state.py) and owns the search; README.md (On-disk format, Sweeps)
// documents them. Here: read a sweep and its trials, derive crashed trials, and set its control
// state (running / paused / stopped), the one file the editor and the CLI write.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_STATES, type RunState } from '../model';
import { SWEEP_CONTROLS, type SweepControl, type SweepInfo, type SweepTrial } from './sweepModel';

export { SWEEP_CONTROLS, type SweepControl, type SweepInfo, type SweepTrial } from './sweepModel';

const SWEEP_ID = /^[a-z0-9_-]{1,64}$/;
const TRIAL_FILE = /^(\d{6,})\.json$/;

export class SweepNotFoundError extends Error {}

export interface SweepEnvironment {
  readonly hostname: string;
  isPidAlive(pid: number): boolean;
  /** The state of the trial's run in the index, if indexed. */
  runState(project: string, id: string): RunState | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function sweepsDir(store: string): string {
  return join(store, 'sweeps');
}

export function sweepDir(store: string, id: string): string {
  if (!SWEEP_ID.test(id)) throw new SweepNotFoundError(`"${id}" is not a sweep id (1-64 characters of a-z 0-9 _ -).`);
  return join(store, 'sweeps', id);
}

export function listSweepIds(store: string): string[] {
  if (!existsSync(sweepsDir(store))) return [];
  return readdirSync(sweepsDir(store))
    .filter((n) => SWEEP_ID.test(n) && existsSync(join(sweepsDir(store), n, 'sweep.json')))
    .sort();
}

export function readControl(store: string, id: string): SweepControl {
  try {
    const data = JSON.parse(readFileSync(join(sweepDir(store, id), 'control.json'), 'utf8')) as unknown;
    const state = isObj(data) ? data.state : undefined;
    return (SWEEP_CONTROLS as readonly unknown[]).includes(state) ? (state as SweepControl) : 'running';
  } catch {
    return 'running';
  }
}

/** Writes control.json by atomic rename: agents finish their trial, then stop or wait. */
export function writeControl(store: string, id: string, state: SweepControl): void {
  const dir = sweepDir(store, id);
  if (!existsSync(join(dir, 'sweep.json'))) throw new SweepNotFoundError(`no sweep "${id}" in ${store}.`);
  const tmp = join(dir, `control.json.tmp-${process.pid}-${Date.now()}`);
  writeFileSync(tmp, JSON.stringify({ state, ts: Date.now() / 1000 }) + '\n');
  renameSync(tmp, join(dir, 'control.json'));
}

function readTrialRecords(store: string, id: string): Obj[] {
  const dir = join(sweepDir(store, id), 'trials');
  if (!existsSync(dir)) return [];
  const out: Obj[] = [];
  for (const name of readdirSync(dir)) {
    const m = TRIAL_FILE.exec(name);
    if (!m) continue;
    try {
      const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
      if (isObj(data) && data.trial === Number(m[1])) out.push(data);
    } catch {
      // being replaced this instant, or never completed: the next read sees it
    }
  }
  return out.sort((a, b) => (a.trial as number) - (b.trial as number));
}

function toTrial(raw: Obj, env: SweepEnvironment): SweepTrial {
  const run = isObj(raw.run) ? raw.run : {};
  const agent = isObj(raw.agent) ? raw.agent : {};
  const project = str(run.project) ?? '';
  const runId = str(run.id) ?? '';
  let state: RunState = (RUN_STATES as readonly unknown[]).includes(raw.state) ? (raw.state as RunState) : 'crashed';
  if (state === 'running') {
    const pid = num(agent.pid);
    if (agent.host === env.hostname) state = pid !== null && env.isPidAlive(pid) ? 'running' : 'crashed';
    else if (env.runState(project, runId) === 'crashed') state = 'crashed';
  }
  return {
    trial: raw.trial as number,
    state,
    params: isObj(raw.params) ? raw.params : {},
    project,
    runId,
    metric: num(raw.metric),
    reason: str(raw.reason),
    note: str(raw.note) ?? str(raw.search_note),
    claimed: num(raw.claimed) ?? 0,
    ended: num(raw.ended),
  };
}

export function readSweep(store: string, id: string, env: SweepEnvironment): SweepInfo {
  const path = join(sweepDir(store, id), 'sweep.json');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SweepNotFoundError(`no sweep "${id}" in ${store}.`);
    throw new Error(`${path} is not readable JSON: ${(error as Error).message}`);
  }
  if (!isObj(data) || data.format !== 'runlog-sweep' || data.version !== 1 || !isObj(data.config)) {
    throw new Error(`${path} is not a sweep of format version 1.`);
  }
  const config = data.config;
  const metricRaw = isObj(config.metric) ? config.metric : null;
  const metric = metricRaw && typeof metricRaw.name === 'string'
    ? { name: metricRaw.name, goal: metricRaw.goal === 'maximize' ? 'maximize' as const : 'minimize' as const }
    : null;
  const trials = readTrialRecords(store, id).map((t) => toTrial(t, env));
  const counts = Object.fromEntries(RUN_STATES.map((s) => [s, 0])) as Record<RunState, number>;
  for (const t of trials) counts[t.state]++;
  const ended = trials.filter((t) => t.state !== 'running');
  let best: SweepTrial | null = null;
  if (metric) {
    for (const t of ended) {
      if (t.metric === null) continue;
      if (best === null || (metric.goal === 'minimize' ? t.metric < best.metric! : t.metric > best.metric!)) best = t;
    }
  }
  const total = num(data.total);
  const control = readControl(store, id);
  const done = total !== null && ended.length >= total;
  return {
    id,
    project: str(data.project) ?? '',
    name: str(config.name),
    created: num(data.created) ?? 0,
    method: str(config.method) ?? '?',
    metric,
    program: str(config.program),
    total,
    control,
    state: done ? 'done' : control,
    counts,
    trials,
    best,
    metricMissing: metric !== null && ended.length > 0 && ended.every((t) => t.metric === null),
    config,
  };
}

/** Ensures a store's sweeps folder exists (for watchers). */
export function ensureSweepsDir(store: string): void {
  mkdirSync(sweepsDir(store), { recursive: true });
}
