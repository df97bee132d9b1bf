// What this host can tell about a process by its pid: whether it exists, and when it started, so
// a pid reused by another process never keeps a dead run alive. One function per platform, each
// the platform's own means; the SDK records its start time the same way (runlog/_process.py).
//
//   Linux    /proc/<pid>/stat field 22 (start time in clock ticks after boot) + /proc/stat btime
//   macOS    `ps -o lstart= -p <pid>` (whole seconds, local time)
//   Windows  PowerShell `(Get-Process -Id <pid>).StartTime`
//
// Only Linux reads a file; the others start a program, so their start times are asked once per
// pid, in the background (the probe says "unknown" until the answer is in, a second later at the
// next pass), and kept while `process.kill(pid, 0)` says the pid lives.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessProbe {
  /** A process with this pid exists (a zombie, which has exited, does not count). */
  readonly alive: boolean;
  /** Epoch seconds the process started; null when the platform does not tell. */
  readonly startTime: number | null;
}

/** Start times recorded by the SDK and read here may differ by this much and be the same process. */
export const START_TIME_TOLERANCE_SEC = 2;

/** Linux exposes clock ticks in USER_HZ, which is 100 on every architecture Node runs on. */
const LINUX_TICKS_PER_SEC = 100;

export function probeProcess(pid: number): ProcessProbe {
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false, startTime: null };
  switch (process.platform) {
    case 'linux':
      return probeLinux(pid);
    case 'darwin':
      return probeCached(pid, startTimeFromPs);
    case 'win32':
      return probeCached(pid, startTimeFromPowerShell);
    default:
      return { alive: signalZeroAlive(pid), startTime: null };
  }
}

/** The same process: alive, and started when the run's SDK said (when both are known). */
export function isSameProcess(probe: ProcessProbe, recordedStart: number | null): boolean {
  if (!probe.alive) return false;
  if (recordedStart === null || probe.startTime === null) return true;
  return Math.abs(probe.startTime - recordedStart) <= START_TIME_TOLERANCE_SEC;
}

// ---- Linux ------------------------------------------------------------------------------

let bootTime: number | undefined;

function linuxBootTime(): number | null {
  if (bootTime === undefined) {
    const match = /^btime\s+(\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!match) return null;
    bootTime = Number(match[1]);
  }
  return bootTime;
}

/** Parses /proc/<pid>/stat: the command (field 2) is in parentheses and may hold anything. */
export function parseProcStat(text: string, boot: number | null): ProcessProbe {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3, the state: Z (zombie) and X (dead) have exited.
  const state = fields[0] ?? '';
  if (state === 'Z' || state === 'X') return { alive: false, startTime: null };
  const ticks = Number(fields[19]); // field 22
  return { alive: true, startTime: boot !== null && Number.isFinite(ticks) ? boot + ticks / LINUX_TICKS_PER_SEC : null };
}

function probeLinux(pid: number): ProcessProbe {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return { alive: false, startTime: null };
    return { alive: signalZeroAlive(pid), startTime: null };
  }
  return parseProcStat(text, linuxBootTime());
}

// ---- macOS and Windows ------------------------------------------------------------------

/** pid → its start time (null: the platform did not say), or 'asking' while the answer is out. */
const startTimes = new Map<number, number | null | 'asking'>();

function probeCached(pid: number, ask: (pid: number, answer: (start: number | null) => void) => void): ProcessProbe {
  if (!signalZeroAlive(pid)) {
    startTimes.delete(pid);
    return { alive: false, startTime: null };
  }
  const known = startTimes.get(pid);
  if (known === undefined) {
    startTimes.set(pid, 'asking');
    ask(pid, (start) => {
      if (startTimes.get(pid) === 'asking') startTimes.set(pid, start);
    });
  }
  return { alive: true, startTime: typeof known === 'number' ? known : null };
}

/** Runs `command args` (an argument vector, no shell) and gives the epoch seconds it printed. */
function askTime(command: string, args: readonly string[], env: NodeJS.ProcessEnv, answer: (start: number | null) => void): void {
  try {
    execFile(command, args, { encoding: 'utf8', env, timeout: 10_000, windowsHide: true, shell: false }, (error, stdout) => {
      const ms = error ? NaN : Date.parse(String(stdout).trim());
      answer(Number.isFinite(ms) ? ms / 1000 : null);
    });
  } catch {
    answer(null);
  }
}

function startTimeFromPs(pid: number, answer: (start: number | null) => void): void {
  askTime('ps', ['-o', 'lstart=', '-p', String(pid)], { ...process.env, LC_ALL: 'C' }, answer);
}

function startTimeFromPowerShell(pid: number, answer: (start: number | null) => void): void {
  const script = `(Get-Process -Id ${pid}).StartTime.ToUniversalTime().ToString('o')`;
  askTime('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], process.env, answer);
}

/** `process.kill(pid, 0)`: true when a process with that pid exists (EPERM counts as alive). */
export function signalZeroAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process with this pid exists on this host (a zombie does not count). */
export function isPidAlive(pid: number): boolean {
  return probeProcess(pid).alive;
}
