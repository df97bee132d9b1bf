// One launched script: spawned from an argument vector (never a shell), in its own process group
// so Stop reaches everything it started, with its output decoded and announced as events.
// Node only, no `vscode`: the task terminal and the Output channel subscribe to it.

import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { RunExecution } from '../tasks/runExecution';
import { openMergedOutput } from './mergedOutput';
import { stopProcessTree, type StopSignal } from './processTree';
import { Signal } from './signal';

export interface ProcessOutput {
  readonly text: string;
  /** Known only where the two streams come through separate pipes (Windows). */
  readonly stream?: 'stdout' | 'stderr';
}

export interface ProcessExit {
  /** The exit code; null when a signal ended it or it never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Stop was asked for before it ended. */
  readonly stopped: boolean;
  /** Why it could not start (e.g. the interpreter does not exist). */
  readonly spawnError?: string;
}

/**
 * The one exit code shown everywhere (task terminal, Output channel, run record): a process
 * ended by a signal reports 128 + its number, as shells do and as the SDK records (SIGINT 130,
 * SIGTERM 143); 1 when it never started.
 */
export function exitCodeOf(exit: Pick<ProcessExit, 'code' | 'signal'>): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? os.constants.signals[exit.signal] : undefined;
  return number !== undefined ? 128 + number : 1;
}

/** How the process ended, for a person: "exit code 0", "exit code 130 (SIGINT)". */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal'>): string {
  return exit.code === null && exit.signal ? `exit code ${exitCodeOf(exit)} (${exit.signal})` : `exit code ${exitCodeOf(exit)}`;
}

/** How long to wait for output after the process exits (a child it left may still hold the pipe). */
const DRAIN_MS = 2000;

export class RunProcess {
  private child: ChildProcess | undefined;
  private started = false;
  private stopping: Promise<StopSignal | undefined> | undefined;
  private exitInfo: ProcessExit | undefined;
  private gone = false;
  private readonly goneWaiters: (() => void)[] = [];

  private readonly _onOutput = new Signal<ProcessOutput>();
  readonly onOutput = this._onOutput.event;
  private readonly _onExit = new Signal<ProcessExit>();
  /** Fires once, after the output has drained. */
  readonly onExit = this._onExit.event;

  constructor(readonly execution: RunExecution) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exited(): ProcessExit | undefined {
    return this.exitInfo;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Spawns the process; a failure to start arrives as an exit with `spawnError`. */
  async start(): Promise<void> {
    if (this.started) throw new Error('The process was already started.');
    this.started = true;
    const { command, args, env, cwd } = this.execution;
    const merged = await openMergedOutput();
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], {
        cwd,
        env: { ...env },
        shell: false,
        detached: process.platform !== 'win32',
        windowsHide: true,
        stdio: merged ? ['ignore', merged.childEnd, merged.childEnd] : ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      merged?.releaseChildEnd();
      merged?.readEnd.destroy();
      this.finish(null, null, `${command} could not be started: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    merged?.releaseChildEnd();
    this.child = child;

    const streams: [Readable, ProcessOutput['stream']][] = merged
      ? [[merged.readEnd, undefined]]
      : [
          [child.stdout!, 'stdout'],
          [child.stderr!, 'stderr'],
        ];
    let open = streams.length;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (drainTimer) clearTimeout(drainTimer);
      for (const [readable] of streams) readable.destroy();
      this.finish(exit?.code ?? null, exit?.signal ?? null);
    };
    for (const [readable, stream] of streams) {
      const decoder = new StringDecoder('utf8');
      readable.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) this._onOutput.fire(stream ? { text, stream } : { text });
      });
      readable.on('error', () => undefined);
      readable.on('close', () => {
        const rest = decoder.end();
        if (rest) this._onOutput.fire(stream ? { text: rest, stream } : { text: rest });
        if (--open === 0 && exit) done();
      });
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid !== undefined || this.exitInfo) return;
      for (const [readable] of streams) readable.destroy();
      this.processGone();
      this.finish(null, null, err.code === 'ENOENT' ? `${command} was not found.` : `${command} could not be started: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      this.processGone();
      if (open === 0) done();
      else drainTimer = setTimeout(done, DRAIN_MS);
    });
  }

  private processGone(): void {
    this.gone = true;
    for (const w of this.goneWaiters.splice(0)) w();
  }

  private finish(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void {
    if (this.exitInfo) return;
    this.exitInfo = { code, signal, stopped: this.stopping !== undefined, ...(spawnError ? { spawnError } : {}) };
    this._onExit.fire(this.exitInfo);
  }

  /** Resolves true once the process has exited (its output may still be draining), false after `ms`. */
  waitExit(ms: number): Promise<boolean> {
    if (this.gone) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.goneWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * SIGINT, then SIGTERM, then SIGKILL, `graceSec` apart, to the whole process tree. Resolves
   * once the tree is gone, with the signal that ended the process.
   */
  stop(graceSec: number): Promise<StopSignal | undefined> {
    const pid = this.child?.pid;
    if (pid === undefined || this.gone) return this.stopping ?? Promise.resolve(undefined);
    this.stopping ??= stopProcessTree(pid, {
      graceSec,
      group: process.platform !== 'win32',
      waitExit: (ms) => this.waitExit(ms),
    });
    return this.stopping;
  }

  dispose(): void {
    this._onOutput.dispose();
    this._onExit.dispose();
  }
}
