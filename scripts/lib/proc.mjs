// Child processes for the test and demo scripts: argument vectors only (no shell), and every
// long-lived child is killed with its whole process group when the script ends or is interrupted.
import { spawn } from 'node:child_process';

/** @type {Set<() => void>} */
const cleanups = new Set();
let hooked = false;

function runCleanups() {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: the process is going away.
    }
  }
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', runCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      runCleanups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Registers a synchronous cleanup that runs on exit or on a terminating signal.
 * @param {() => void} cleanup
 * @returns {() => void} removes the cleanup again
 */
export function onExit(cleanup) {
  hookExit();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Kills a child spawned with `detached: true` together with everything it started.
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} [signal]
 */
export function killGroup(child, signal = 'SIGTERM') {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Runs a command to completion with inherited output; rejects with a message naming the command.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
 * @returns {Promise<void>}
 */
export function runChecked(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      shell: false,
      detached: true,
    });
    let captured = '';
    const keep = (chunk) => {
      captured = (captured + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const remove = onExit(() => killGroup(child));
    child.on('error', (error) => {
      remove();
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      remove();
      if (code === 0) resolve();
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = captured ? `\n--- last output ---\n${captured}` : '';
        reject(new Error(`${command} ${args.join(' ')} ${how}${tail}`));
      }
    });
  });
}

/**
 * Runs a command and resolves with its exit code (never rejects on a non-zero exit).
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<number>}
 */
export function runStatus(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'inherit',
      shell: false,
      detached: true,
    });
    const remove = onExit(() => killGroup(child));
    child.on('error', (error) => {
      remove();
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      remove();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
