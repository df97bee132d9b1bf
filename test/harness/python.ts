// Runs real python processes against the SDK in sdk/python, each in a fresh store, and reads
// what they stored. Shared by the SDK's unit tests (test/unit/sdk) and the interop suite.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readJsonl, recordsOf, type JsonRecord } from './jsonl';

export const ROOT = resolve(__dirname, '../..');
export const SDK = join(ROOT, 'sdk', 'python');
export const EXAMPLES = join(ROOT, 'examples');
export const PYTHON = process.env.RUNLOG_TEST_PYTHON ?? 'python3';
/** Debian's python3, where apt's python3-numpy/-torch/-pil/-matplotlib/-sklearn live (.ci/run installs them). */
export const SYSTEM_PYTHON = process.env.RUNLOG_TEST_SYSTEM_PYTHON ?? '/usr/bin/python3';

export interface PyResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const temps: string[] = [];
const children: ChildProcess[] = [];

/** A fresh temp folder (removed by `cleanTemps`). */
export function tempDir(prefix = 'runlog-sdk-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Kills any script a failed test left running, then removes the temp folders. */
export function cleanTemps(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The environment of `process.env` without the variables whose names start with one of `prefixes`. */
export function inheritedEnv(...prefixes: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (prefixes.some((p) => key.startsWith(p))) delete env[key];
  return env;
}

/** Starts `python args` with an argument vector; `cleanTemps` kills it if a test leaves it running. */
export function startPython(python: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(python, args, { cwd, env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

/** A temp folder for scripts to run in, with a store (`RUNLOG_DIR`) inside it, and readers of that store. */
export class StoreFolder {
  readonly dir: string;
  readonly store: string;

  constructor(prefix?: string) {
    this.dir = tempDir(prefix);
    this.store = join(this.dir, 'store');
  }

  runDir(project: string, id: string): string {
    return join(this.store, 'projects', project, 'runs', id);
  }

  /** IDs of the runs in a project, sorted. */
  runIds(project: string): string[] {
    const dir = join(this.store, 'projects', project, 'runs');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }

  /** The only run of the project. */
  onlyRun(project: string): string {
    const ids = this.runIds(project);
    if (ids.length !== 1) throw new Error(`expected one run in ${project}, found ${ids.join(', ') || 'none'}`);
    return this.runDir(project, ids[0]!);
  }

  events(runDir: string, type?: string): JsonRecord[] {
    return recordsOf(join(runDir, 'events.jsonl'), type);
  }
}

/** A workspace of the SDK's unit tests: scripts run quiet, with short intervals. */
export class Workspace extends StoreFolder {
  /** `python`: the interpreter its scripts run under (tests of numpy/torch/PIL code use SYSTEM_PYTHON). */
  constructor(readonly python: string = PYTHON) {
    super();
  }

  /** Environment of every script: short intervals keep the suite fast; quiet unless asked. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...inheritedEnv('RUNLOG_'),
      PYTHONPATH: SDK,
      PYTHONUNBUFFERED: '1',
      RUNLOG_DIR: this.store,
      RUNLOG_QUIET: '1',
      RUNLOG_HEARTBEAT_INTERVAL: '0.2',
      RUNLOG_SYSTEM_INTERVAL: '0',
      ...extra,
    };
  }

  /** Writes `code` to `<name>` in the workspace and returns its path. */
  script(code: string, name = 'script.py'): string {
    const path = join(this.dir, name);
    writeFileSync(path, code.replace(/^\n/, ''));
    return path;
  }

  start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return startPython(this.python, args, this.dir, this.env(env));
  }

  /** Runs `python3 <args>` to completion. */
  run(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<PyResult> {
    return finished(this.start(args, env), timeoutMs);
  }

  /** Runs a script given as source text. */
  py(code: string, env: NodeJS.ProcessEnv = {}, name = 'script.py'): Promise<PyResult> {
    return this.run([this.script(code, name)], env);
  }

  output(runDir: string): JsonRecord[] {
    return recordsOf(join(runDir, 'output.jsonl'));
  }

  system(runDir: string): JsonRecord[] {
    return readJsonl(join(runDir, 'system.jsonl')).records;
  }
}

export function finished(child: ChildProcess, timeoutMs = 120_000): Promise<PyResult> {
  return new Promise((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`python did not finish within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** Polls `check` every 50 ms until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined | null | false;
    try {
      value = check();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** History rows of a run as {step: data}, in file order. */
export function history(records: readonly JsonRecord[]): { step: number; data: JsonRecord }[] {
  return records.filter((r) => r.type === 'history').map((r) => ({ step: r.step as number, data: r.data as JsonRecord }));
}
