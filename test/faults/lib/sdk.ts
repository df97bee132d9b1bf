// Helpers of the fault and abuse suite: real python3 processes running the SDK in sdk/python
// against a store folder, and an independent reader of the run files (what was really written,
// to compare with what the index holds).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const SDK_PATH = join(ROOT, 'sdk', 'python');
export const PYTHON = process.env.RUNLOG_TEST_PYTHON ?? 'python3';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const temps: string[] = [];

/** A fresh temp folder, removed by `removeTemps()`. */
export function tempDir(prefix = 'runlog-faults-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The environment of an SDK script writing to `store`: no inherited run context, quiet. */
export function sdkEnv(store: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('RUNLOG_')) delete env[key];
  return {
    ...env,
    PYTHONPATH: SDK_PATH,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    RUNLOG_DIR: store,
    RUNLOG_QUIET: '1',
    RUNLOG_SYSTEM_INTERVAL: '0',
    RUNLOG_HEARTBEAT_INTERVAL: '0.5',
    ...extra,
  };
}

/** `python3 -c code args…` with the SDK importable; an argument vector, never a shell. */
export function startPython(code: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  return spawn(PYTHON, ['-c', code, ...args], { cwd, env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a child's output and resolves when it has exited (killed after `timeoutMs`). */
export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<ProcessResult> {
  return new Promise((resolveResult, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
}

export function runPython(code: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ProcessResult> {
  return finished(startPython(code, args, env), timeoutMs);
}

/** Resolves with the first stdout line matching `pattern` (rejects if the process ends first). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let pending = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const hit = lines.find((l) => pattern.test(l));
      if (hit !== undefined) done(undefined, hit);
    };
    const onClose = () => done(new Error(`the process ended before printing a line matching ${pattern}`));
    const done = (error?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('close', onClose);
      if (error) reject(error);
      else resolveLine(line!);
    };
    child.stdout?.on('data', onData);
    child.once('close', onClose);
  });
}

export interface RunFileContent {
  /** Parsed complete lines (each ended by `\n`), in order. */
  readonly records: Record<string, unknown>[];
  /** Complete lines that did not parse. */
  readonly corrupt: number;
  /** Bytes after the last `\n`. */
  readonly tailBytes: number;
}

/** Reads a `.jsonl` run file the way the format defines it, independently of src/core. */
export function readRunFile(path: string): RunFileContent {
  if (!existsSync(path)) return { records: [], corrupt: 0, tailBytes: 0 };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const text = bytes.subarray(0, end).toString('utf8');
  const records: Record<string, unknown>[] = [];
  let corrupt = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line.replace(/\b(-?Infinity|NaN)\b/g, 'null')) as Record<string, unknown>);
    } catch {
      corrupt++;
    }
  }
  return { records, corrupt, tailBytes: bytes.length - end };
}

/** Step → value of one metric as the run's `events.jsonl` holds it (later records win). */
export function historyInFile(eventsPath: string, metric: string): Map<number, unknown> {
  const points = new Map<number, unknown>();
  for (const r of readRunFile(eventsPath).records) {
    if (r.type !== 'history') continue;
    const data = r.data as Record<string, unknown>;
    if (metric in data) points.set(r.step as number, data[metric]);
  }
  return points;
}
