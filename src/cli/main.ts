#!/usr/bin/env node
// `runlog`: the store from a terminal. Exit codes: 0 ok, 1 usage error or not found, 2 store error, 3 (dist/runlog.js) a Node older than 22 and none to run it.

import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { stringifyJson } from '../core/format/json';
import type { HistorySeries, MetricValue, RunDetail, RunKey } from '../core/model';
import { FilterSyntaxError } from '../core/query/filter';
import { isSortKey } from '../core/query/sort';
import { formatDuration } from '../common/format';
import { NotFoundError, Store, StoreError } from '../core/store/Store';
import { runSweepCli, SWEEP_HELP } from './sweep';
import { table } from './table';
import { runImport } from './import';

const HELP = `runlog: look at the runs in a Runlog store

Usage:
  runlog ls [project] [--filter F] [--sort K] [--desc] [--limit N]
                                   list runs (all projects, or one)
  runlog projects                  list projects
  runlog show <id|project/id>      a run's overview, config, summary and metrics
  runlog history <id> <metric> [--buckets N] [--from STEP] [--to STEP]
                                   a metric's points (min/max downsampled with --buckets)
  runlog export <id> --format csv|jsonl [--out FILE]
                                   every history step of a run (jsonl writes NaN and
                                   Infinity bare, as Python's json module does)
  runlog export <id> --key K [--step N] --format csv [--out FILE]
                                   a logged table (or a plot's table), its latest step
                                   unless --step is given
  runlog media <id> [--key K]      a run's media: key, step, kind, path in the run
                                   folder and the kind's fields
  runlog reindex                   rebuild the index from the run folders
  runlog import <path>...          copy W&B runs (a wandb/ folder, a run folder or a .wandb
                                   file) into the store; run again to add what is new

Options:
  --dir <store>   the store folder (default: $RUNLOG_DIR, else ./.runlog)
  --json          machine-readable output (strict JSON; NaN and infinities as strings)
  -h, --help      this help

Filters: state:running tag:x group:g job:train name~haze config.lr>0.01 loss<0.3 (see docs).
Sort keys: start, name, state, duration, summary.<key>, config.<key>.
Exit codes: 0 ok, 1 usage error or not found, 2 store error, 3 no Node >= 22 to run on.

${SWEEP_HELP}`;

import { UsageError } from './errors';
import { listMedia, tableCsv } from './media';

/** Strict JSON for --json: NaN and infinities become the strings "NaN", "Infinity", "-Infinity". */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

const OPTIONS = {
  dir: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  filter: { type: 'string' },
  sort: { type: 'string' },
  desc: { type: 'boolean' },
  limit: { type: 'string' },
  buckets: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  key: { type: 'string' },
  step: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

const COMMANDS: Record<string, { readonly args: [number, number]; readonly options: readonly (keyof typeof OPTIONS)[] }> = {
  ls: { args: [0, 1], options: ['filter', 'sort', 'desc', 'limit'] },
  projects: { args: [0, 0], options: [] },
  show: { args: [1, 1], options: [] },
  history: { args: [2, 2], options: ['buckets', 'from', 'to'] },
  export: { args: [1, 1], options: ['format', 'out', 'key', 'step'] },
  media: { args: [1, 1], options: ['key'] },
  reindex: { args: [0, 0], options: [] },
  import: { args: [1, 1000], options: [] },
};
const GLOBAL: readonly string[] = ['dir', 'json', 'help'];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'sweep') return runSweepCli(argv.slice(1), io);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    io.stderr(`runlog: ${(error as Error).message}\nRun "runlog --help" for usage.\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === 'help') {
    io.stdout(HELP + '\n');
    return 0;
  }
  if (command === undefined) {
    io.stderr(`runlog: no command given.\n\n${HELP}\n`);
    return 1;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    io.stderr(`runlog: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}).\n`);
    return 1;
  }
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !GLOBAL.includes(name) && !spec.options.includes(name as keyof typeof OPTIONS)) {
      io.stderr(`runlog ${command}: --${name} is not an option of this command.\n`);
      return 1;
    }
  }
  if (args.length < spec.args[0] || args.length > spec.args[1]) {
    io.stderr(`runlog ${command}: expected ${spec.args[0] === spec.args[1] ? spec.args[0] : `${spec.args[0]} to ${spec.args[1]}`} argument(s), got ${args.length}.\nRun "runlog --help" for usage.\n`);
    return 1;
  }

  const dir = resolve(io.cwd, values.dir ?? io.env.RUNLOG_DIR ?? '.runlog');
  if (command === 'import') return runImport(args, dir, values.json === true, io);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr(`runlog: no Runlog store at ${dir} (pass --dir or set RUNLOG_DIR).\n`);
    return 2;
  }
  let store: Store | undefined;
  try {
    store = Store.open(dir);
    return await COMMAND_RUNNERS[command as keyof typeof COMMAND_RUNNERS](store, args, values, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof FilterSyntaxError) {
      io.stderr(`runlog ${command}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof NotFoundError) {
      io.stderr(`runlog ${command}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`runlog ${command}: ${error instanceof StoreError ? '' : 'store error: '}${(error as Error).message}\n`);
    return 2;
  } finally {
    store?.close();
  }
}

type Runner = (store: Store, args: string[], values: Values, io: CliIo) => number | Promise<number>;

const COMMAND_RUNNERS: Record<'ls' | 'projects' | 'show' | 'history' | 'export' | 'reindex' | 'media', Runner> = {
  media: (store, [ref], values, io) => listMedia(store, resolveRun(store, ref!), values.key, values.json === true, io),

  ls(store, [project], values, io) {
    if (project !== undefined && !store.listProjects().some((p) => p.name === project)) throw new NotFoundError(`no project "${project}" in ${store.dir}.`);
    const sort = values.sort;
    if (sort !== undefined && !isSortKey(sort)) throw new UsageError(`"${sort}" is not a sort key (start, name, state, duration, summary.<key>, config.<key>).`);
    const runs = store.listRuns(project, {
      filter: values.filter,
      sort,
      descending: values.desc ?? (sort === undefined ? true : false),
      limit: values.limit === undefined ? undefined : integer('--limit', values.limit, 0),
    });
    if (values.json) {
      io.stdout(toJson(runs) + '\n');
      return 0;
    }
    const header = ['PROJECT', 'ID', 'NAME', 'STATE', 'STEP', 'RUNTIME', 'STARTED'];
    const rows = runs.map((r) => [r.project, r.id, r.name, r.state, r.lastStep === null ? '-' : String(r.lastStep), formatDuration(r.runtimeSec), formatTime(r.startTime)]);
    io.stdout(table(header, rows) + (runs.length === 0 ? 'no runs\n' : ''));
    return 0;
  },

  projects(store, _args, values, io) {
    const projects = store.listProjects();
    if (values.json) {
      io.stdout(JSON.stringify(projects) + '\n');
      return 0;
    }
    io.stdout(table(['PROJECT', 'RUNS', 'RUNNING', 'LAST START'], projects.map((p) => [p.name, String(p.runCount), String(p.runningCount), p.lastStart === null ? '-' : formatTime(p.lastStart)])));
    return 0;
  },

  show(store, [ref], values, io) {
    const run = store.getRun(resolveRun(store, ref!));
    if (!run) throw new NotFoundError(`run ${ref} disappeared.`);
    if (values.json) {
      io.stdout(toJson(run) + '\n');
      return 0;
    }
    io.stdout(describeRun(run));
    return 0;
  },

  history(store, [ref, metric], values, io) {
    const key = resolveRun(store, ref!);
    const run = store.getRun(key)!;
    if (!run.metrics.some((m) => m.key === metric)) {
      throw new NotFoundError(`run ${key} has no metric "${metric}"${run.metrics.length ? ` (metrics: ${run.metrics.map((m) => m.key).join(', ')})` : ''}.`);
    }
    const series: HistorySeries = store.getHistory(key, metric!, {
      buckets: values.buckets === undefined ? undefined : integer('--buckets', values.buckets, 1),
      fromStep: values.from === undefined ? undefined : integer('--from', values.from, 0),
      toStep: values.to === undefined ? undefined : integer('--to', values.to, 0),
    });
    if (values.json) {
      io.stdout(toJson(series) + '\n');
      return 0;
    }
    let text = `step\t${metric}\n`;
    for (let i = 0; i < series.steps.length; i++) text += `${series.steps[i]}\t${formatNumber(series.values[i] ?? null)}\n`;
    io.stdout(text);
    return 0;
  },

  async export(store, [ref], values, io) {
    const format = values.format;
    if (format !== 'csv' && format !== 'jsonl') throw new UsageError(format === undefined ? '--format csv or --format jsonl is required.' : `--format must be csv or jsonl, not "${format}".`);
    const key = resolveRun(store, ref!);
    const metrics = store.getRun(key)!.metrics.map((m) => m.key);
    let out: WriteStream | undefined;
    const chunks: string[] = [];
    let size = 0;
    const write = async (text: string) => {
      if (!out) {
        io.stdout(text);
        return;
      }
      chunks.push(text);
      size += text.length;
      if (size > 1 << 20) await flush();
    };
    const flush = async () => {
      const text = chunks.join('');
      chunks.length = 0;
      size = 0;
      if (out && !out.write(text)) await new Promise<void>((done) => out!.once('drain', done));
    };
    if (values.key !== undefined && format !== 'csv') throw new UsageError('a table (--key) exports as --format csv.');
    if (values.key === undefined && values.step !== undefined) throw new UsageError('--step goes with --key (a table).');
    if (values.out !== undefined) {
      const path = resolve(io.cwd, values.out);
      out = createWriteStream(path);
      await new Promise<void>((done, fail) => {
        out!.once('open', () => done());
        out!.once('error', (e) => fail(new StoreError(`cannot write ${path}: ${e.message}`)));
      });
    }
    if (values.key !== undefined) await write(tableCsv(store, key, values.key, values.step === undefined ? undefined : integer('--step', values.step, 0)));
    else if (format === 'csv') await write(['step', 'time', ...metrics].map(csvField).join(',') + '\n');
    for (const row of values.key !== undefined ? [] : store.historyRows(key)) {
      if (format === 'csv') {
        await write([String(row.step), String(row.ts), ...metrics.map((m) => (m in row.values ? formatNumber(row.values[m] ?? null) : ''))].join(',') + '\n');
      } else {
        await write(stringifyJson({ step: row.step, time: row.ts, ...row.values }) + '\n');
      }
    }
    if (out) {
      await flush();
      await new Promise<void>((done, fail) => out!.end((e?: Error | null) => (e ? fail(e) : done())));
      if (values.json) io.stdout(JSON.stringify({ run: key, format, out: resolve(io.cwd, values.out!) }) + '\n');
    }
    return 0;
  },

  reindex(store, _args, values, io) {
    store.rebuild('requested from the command line (runlog reindex)');
    const runs = store.count();
    const problems = store.failures;
    if (values.json) io.stdout(JSON.stringify({ rebuilt: true, runs, failures: problems }) + '\n');
    else io.stdout(`Rebuilt the index of ${store.dir}: ${runs} run${runs === 1 ? '' : 's'}.\n`);
    for (const f of problems) io.stderr(`runlog reindex: ${f.run}: ${f.message}\n`);
    return problems.length > 0 ? 2 : 0;
  },
};

/** `project/id`, an ID, or an unambiguous ID prefix. */
export function resolveRun(store: Store, ref: string): RunKey {
  if (ref.includes('/')) {
    if (!store.getRun(ref)) throw new NotFoundError(`no run ${ref} in ${store.dir}.`);
    return ref;
  }
  // `id:` selects by prefix in SQL; the exact ID wins over longer ones it prefixes.
  const runs = store.listRuns(undefined, { filter: `id:${JSON.stringify(ref)}` }).filter((r) => r.id.startsWith(ref));
  let matches = runs.filter((r) => r.id === ref);
  if (matches.length === 0) matches = runs;
  if (matches.length === 0) throw new NotFoundError(`no run with ID ${ref} in ${store.dir}.`);
  if (matches.length > 1) throw new UsageError(`"${ref}" matches ${matches.length} runs (${matches.slice(0, 5).map((r) => r.key).join(', ')}); give project/id.`);
  return matches[0]!.key;
}

function integer(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be an integer of at least ${min}, not "${text}".`);
  return n;
}

function describeRun(run: RunDetail): string {
  const lines: string[] = [];
  const field = (name: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') lines.push(`${(name + ':').padEnd(12)} ${value}`);
  };
  field('Run', run.path);
  field('Name', run.name);
  field('State', run.state + (run.exitCode !== null ? ` (exit code ${run.exitCode})` : ''));
  field('Started', formatTime(run.startTime));
  if (run.endTime !== null) field('Ended', formatTime(run.endTime));
  field('Runtime', formatDuration(run.runtimeSec));
  field('Duration', formatDuration(run.durationSec));
  field('Last step', run.lastStep);
  field('Group', run.group);
  field('Job type', run.jobType);
  field('Tags', run.tags.join(', '));
  field('Notes', run.notes);
  field('Host', run.host);
  field('Command', run.command?.join(' '));
  field('Folder', run.dir);
  if (run.forkOf) field('Forked from', `${run.forkOf.run} at step ${run.forkOf.step}`);
  const section = (title: string, entries: [string, MetricValue][]) => {
    if (entries.length === 0) return;
    lines.push('', `${title}:`);
    for (const [k, v] of entries) lines.push(`  ${k} = ${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`);
  };
  section('Config', Object.entries(run.config));
  section('Summary', Object.entries(run.summary));
  if (run.metrics.length > 0) {
    lines.push('', 'Metrics:');
    lines.push(
      table(
        ['  KEY', 'POINTS', 'STEPS', 'MIN', 'MAX', 'LAST'],
        run.metrics.map((m) => [`  ${m.key}`, String(m.count), `${m.firstStep}..${m.lastStep}`, formatNumber(m.min), formatNumber(m.max), typeof m.last === 'number' ? formatNumber(m.last) : JSON.stringify(m.last)]),
      ).trimEnd(),
    );
  }
  if (run.artifacts.length > 0) {
    lines.push('', 'Artifacts:');
    for (const a of run.artifacts) lines.push(`  ${a.direction} ${a.name}:${a.version} (${a.type}, ${a.size} bytes)`);
  }
  if (run.problems.length > 0) {
    lines.push('', 'Problems reading this run:');
    for (const p of run.problems) lines.push(`  ${p.message}`);
  }
  return lines.join('\n') + '\n';
}


function formatNumber(value: number | null): string {
  if (value === null) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  return String(value);
}

function formatTime(epochSec: number): string {
  return new Date(epochSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Runs the command line of this process (dist/runlog.js calls it once the Node is right). */
export function main(argv: readonly string[]): void {
  void runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main(process.argv.slice(2));
