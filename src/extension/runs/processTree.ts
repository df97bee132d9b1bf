// Stopping a run's whole process tree: SIGINT first (Python raises KeyboardInterrupt and the SDK
// records the end), SIGTERM after a grace period, SIGKILL after another, then whatever the tree
// left behind. Node only, no `vscode`.

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

const isWindows = process.platform === 'win32';

/** Whether a process with this pid exists (a zombie counts until its parent reaps it). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ProcRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

function readProcTable(): Promise<ProcRow[]> {
  if (process.platform === 'linux') {
    const rows: ProcRow[] = [];
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      entries = [];
    }
    for (const name of entries) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        rows.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
      } catch {
        // The process ended while we read.
      }
    }
    if (rows.length) return Promise.resolve(rows);
  }
  if (isWindows) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve([]);
      const rows: ProcRow[] = [];
      for (const line of stdout.split('\n')) {
        const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
        if (pid && ppid !== undefined && pgid !== undefined) rows.push({ pid, ppid, pgid });
      }
      resolve(rows);
    });
  });
}

/** Every process below `pid`, children before grandchildren. */
export async function descendantsOf(pid: number): Promise<number[]> {
  const rows = await readProcTable();
  const children = new Map<number, number[]>();
  for (const r of rows) {
    const list = children.get(r.ppid) ?? [];
    list.push(r.pid);
    children.set(r.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (!out.includes(c)) {
        out.push(c);
        queue.push(c);
      }
    }
  }
  return out;
}

/** Whether `pid` leads its own process group, so one signal to the group reaches its children. */
export async function leadsProcessGroup(pid: number): Promise<boolean> {
  if (isWindows) return false;
  const row = (await readProcTable()).find((r) => r.pid === pid);
  return row !== undefined && row.pgid === pid;
}

function signal(pid: number, sig: StopSignal | NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

function taskkill(pid: number, force: boolean): Promise<void> {
  return new Promise((resolve) => {
    execFile('taskkill', ['/pid', String(pid), '/T', ...(force ? ['/F'] : [])], () => resolve());
  });
}

export interface StopTreeOptions {
  /** Seconds to wait after SIGINT and again after SIGTERM. */
  readonly graceSec: number;
  /** Signal the process group (`-pid`) rather than the process alone. */
  readonly group: boolean;
  /** Resolves true when the process has exited, false after `ms`. */
  readonly waitExit: (ms: number) => Promise<boolean>;
}

/**
 * Stops `pid` and everything it started. Resolves with the signal that ended it (undefined when
 * it was already gone). Descendants that escaped the group (`setsid`) are killed at the end.
 */
export async function stopProcessTree(pid: number, options: StopTreeOptions): Promise<StopSignal | undefined> {
  if (!isAlive(pid)) return undefined;
  const graceMs = Math.max(0, options.graceSec) * 1000;
  if (isWindows) {
    await taskkill(pid, false);
    if (await options.waitExit(graceMs)) return 'SIGTERM';
    await taskkill(pid, true);
    await options.waitExit(graceMs);
    return 'SIGKILL';
  }
  const before = await descendantsOf(pid);
  const send = (sig: StopSignal): void => {
    if (!(options.group && signal(-pid, sig))) signal(pid, sig);
    // Children outside the group get SIGTERM/SIGKILL directly; SIGINT is the process's own to handle.
    if (sig !== 'SIGINT') for (const child of before) signal(child, sig);
  };
  let ended: StopSignal | undefined;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    send(sig);
    if (await options.waitExit(sig === 'SIGKILL' ? 5000 : graceMs)) {
      ended = sig;
      break;
    }
  }
  // The process is gone; its children may not be (workers that ignore SIGINT, daemons).
  if (options.group) signal(-pid, 'SIGKILL');
  const after = await descendantsOf(pid);
  for (const child of new Set([...before, ...after])) if (isAlive(child)) signal(child, 'SIGKILL');
  return ended ?? 'SIGKILL';
}

/** Polls until `pid` is gone or `ms` pass: for processes this extension did not start. */
export function pollExit(pid: number): (ms: number) => Promise<boolean> {
  return (ms) =>
    new Promise((resolve) => {
      const deadline = Date.now() + ms;
      const tick = (): void => {
        if (!isAlive(pid)) resolve(true);
        else if (Date.now() >= deadline) resolve(false);
        else setTimeout(tick, 100);
      };
      tick();
    });
}
