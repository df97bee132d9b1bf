// `runlog sweep …`: create a sweep, run an agent, show, list, stop, pause or resume one. The search
// and the agent belong to the Python SDK (`python -m runlog._sweeps`); this file starts it with an
// argument vector and reads the sweep's files (src/core/sweeps) for the rest.

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunState } from '../core/model';
import { isPidAlive } from '../core/ingest/state';
import { listSweepIds, readSweep, SweepNotFoundError, writeControl, type SweepEnvironment, type SweepInfo } from '../core/sweeps/sweepFiles';
import { Store } from '../core/store/Store';
import type { CliIo } from './main';
import { table } from './table';

export const SWEEP_HELP = `Sweeps (W&B's sweep config; the search runs in the Python SDK):
  runlog sweep create <file> [--project P]   create a sweep from a YAML or JSON file; prints its id
  runlog sweep agent <id> [--count N]        run trials, each as a subprocess (program/command)
  runlog sweep show <id> [--json]            method, state, trial counts, best run and metric
  runlog sweep ls [--json]                   every sweep of the store
  runlog sweep stop|pause|resume <id>        agents finish their trial, then stop or wait
Python: $RUNLOG_PYTHON, else python3; the SDK bundled with Runlog is put first on PYTHONPATH.`;

const ARGS: Record<string, number> = { create: 1, agent: 1, show: 1, ls: 0, stop: 1, pause: 1, resume: 1 };

class SweepUsageError extends Error {}

export async function runSweepCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { dir?: string; json?: boolean; count?: string; project?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { dir: { type: 'string' }, json: { type: 'boolean' }, count: { type: 'string' }, project: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr(`runlog sweep: ${(error as Error).message}\n`);
    return 1;
  }
  const [sub, ...args] = positionals;
  if (values.help || sub === undefined) {
    (values.help ? io.stdout : io.stderr)(SWEEP_HELP + '\n');
    return values.help ? 0 : 1;
  }
  const expected = ARGS[sub];
  if (expected === undefined) {
    io.stderr(`runlog sweep: unknown command "${sub}" (commands: ${Object.keys(ARGS).join(', ')}).\n`);
    return 1;
  }
  if (args.length !== expected) {
    io.stderr(`runlog sweep ${sub}: expected ${expected} argument(s), got ${args.length}.\n`);
    return 1;
  }
  if (values.count !== undefined && sub !== 'agent') return usage(io, sub, '--count is an option of "sweep agent" only.');
  if (values.project !== undefined && sub !== 'create') return usage(io, sub, '--project is an option of "sweep create" only.');
  const dir = resolve(io.cwd, values.dir ?? io.env.RUNLOG_DIR ?? '.runlog');
  try {
    switch (sub) {
      case 'create': {
        const extra = values.project === undefined ? [] : ['--project', values.project];
        return await runPython(['create', resolve(io.cwd, args[0]!), ...extra, '--dir', dir], io);
      }
      case 'agent': {
        if (values.count !== undefined && !/^[1-9]\d*$/.test(values.count)) return usage(io, sub, `--count must be a positive integer, not "${values.count}".`);
        const count = values.count === undefined ? [] : ['--count', values.count];
        return await runPython(['agent', args[0]!, ...count, '--dir', dir], io);
      }
      case 'stop':
      case 'pause':
      case 'resume': {
        requireStore(dir);
        const state = sub === 'stop' ? 'stopped' : sub === 'pause' ? 'paused' : 'running';
        writeControl(dir, args[0]!, state);
        io.stdout(values.json ? JSON.stringify({ sweep: args[0], control: state }) + '\n' : `Sweep ${args[0]} is ${state}${sub === 'resume' ? '' : ': agents finish their current trial, then ' + (sub === 'stop' ? 'exit' : 'wait')}.\n`);
        return 0;
      }
      case 'show': {
        requireStore(dir);
        const sweep = readSweep(dir, args[0]!, sweepEnvironment(dir));
        io.stdout(values.json ? JSON.stringify(sweep) + '\n' : describeSweep(sweep));
        return 0;
      }
      case 'ls': {
        requireStore(dir);
        const env = sweepEnvironment(dir);
        const sweeps = listSweepIds(dir).map((id) => readSweep(dir, id, env));
        if (values.json) {
          io.stdout(JSON.stringify(sweeps.map(({ trials: _t, config: _c, ...rest }) => rest)) + '\n');
          return 0;
        }
        const rows = sweeps.map((s) => [s.id, s.project, s.method, s.state, progress(s), s.best ? `${s.metric!.name}=${formatMetric(s.best.metric!)} (${s.best.runId})` : '-']);
        io.stdout(rows.length === 0 ? 'no sweeps\n' : table(['SWEEP', 'PROJECT', 'METHOD', 'STATE', 'TRIALS', 'BEST'], rows));
        return 0;
      }
    }
  } catch (error) {
    const notFound = error instanceof SweepNotFoundError || error instanceof SweepUsageError;
    io.stderr(`runlog sweep ${sub}: ${(error as Error).message}\n`);
    return notFound ? 1 : 2;
  }
  return 1;
}

function usage(io: CliIo, sub: string, message: string): number {
  io.stderr(`runlog sweep ${sub}: ${message}\n`);
  return 1;
}

function requireStore(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SweepUsageError(`no Runlog store at ${dir} (pass --dir or set RUNLOG_DIR).`);
}

/** Crashed-trial detection needs the runs' states: read them from the index when it opens. */
export function sweepEnvironment(dir: string): SweepEnvironment {
  let states: Map<string, RunState> | undefined;
  return {
    hostname: hostname(),
    isPidAlive,
    runState(project, id) {
      if (!states) {
        states = new Map();
        let store: Store | undefined;
        try {
          store = Store.open(dir);
          for (const r of store.listRuns(undefined)) if (r.sweepId !== null) states.set(r.key, r.state);
        } catch {
          // no usable index: trials on other hosts read as their files say
        } finally {
          store?.close();
        }
      }
      return states.get(`${project}/${id}`);
    },
  };
}

/** The SDK bundled beside the CLI (dist/../sdk/python), or in the source tree. */
export function bundledSdk(): string | undefined {
  return [resolve(__dirname, '..', 'sdk', 'python'), resolve(__dirname, '..', '..', 'sdk', 'python')].find((p) => existsSync(join(p, 'runlog', '_sweeps')));
}

function runPython(args: readonly string[], io: CliIo): Promise<number> {
  const python = io.env.RUNLOG_PYTHON || 'python3';
  const sdk = bundledSdk();
  const env = { ...io.env };
  if (sdk) env.PYTHONPATH = env.PYTHONPATH ? `${sdk}${delimiter}${env.PYTHONPATH}` : sdk;
  return new Promise((done) => {
    const child = spawn(python, ['-m', 'runlog._sweeps', ...args], { cwd: io.cwd, env, shell: false, stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (t: string) => io.stdout(t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => io.stderr(t));
    child.on('error', (e) => {
      io.stderr(`runlog sweep: cannot start ${python}: ${e.message} (set RUNLOG_PYTHON)\n`);
      done(2);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

function progress(s: SweepInfo): string {
  const ended = s.trials.length - s.counts.running;
  return `${ended}/${s.total ?? '∞'}${s.counts.running ? ` (+${s.counts.running} running)` : ''}`;
}

function formatMetric(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
}

function describeSweep(s: SweepInfo): string {
  const lines = [
    `Sweep:      ${s.id}${s.name ? ` (${s.name})` : ''}`,
    `Project:    ${s.project}`,
    `Method:     ${s.method}`,
    `State:      ${s.state}`,
    `Metric:     ${s.metric ? `${s.metric.name} (${s.metric.goal})` : '-'}`,
    `Trials:     ${progress(s)}; ${(['finished', 'killed', 'failed', 'crashed'] as const).map((k) => `${s.counts[k]} ${k}`).join(', ')}`,
    `Best:       ${s.best ? `run ${s.best.runId} (trial ${s.best.trial}), ${s.metric!.name} = ${formatMetric(s.best.metric!)}` : '-'}`,
  ];
  if (s.metricMissing) lines.push(`Note:       no ended trial logged the metric "${s.metric!.name}"`);
  if (s.trials.length > 0) {
    lines.push('');
    const rows = s.trials.map((t) => [String(t.trial), t.runId, t.state, t.metric === null ? '-' : formatMetric(t.metric), JSON.stringify(t.params), t.reason ?? t.note ?? '']);
    lines.push(table(['TRIAL', 'RUN', 'STATE', s.metric?.name.toUpperCase() ?? 'METRIC', 'PARAMS', 'NOTE'], rows).trimEnd());
  }
  return lines.join('\n') + '\n';
}
