// SQLite's quick_check of an index file, in a worker thread: it reads every page (about 1.5 s
// for the 100,000-run bench index), which the editor's event loop must not wait for. The worker
// opens its own read-only connection (a connection is never shared across threads) and closes it.

import { Worker } from 'node:worker_threads';

/** What quick_check said: `ok`, or the damage it found, or why the file could not be read. */
export type QuickCheck = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly code?: string };

// Plain CommonJS run with `eval`: the extension is one bundle, so the worker has no file of its
// own; it loads the same better-sqlite3 module the bundle loads (resolved here, passed in).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let result;
try {
  const db = new Database(workerData.path, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const check = String(db.pragma('quick_check', { simple: true }));
    // Its first findings (it lists up to 100, one a line).
    result = check === 'ok' ? { ok: true } : { ok: false, message: 'quick_check: ' + check.split('\\n').filter(Boolean).slice(0, 3).join('; ') };
  } finally {
    db.close();
  }
} catch (error) {
  result = { ok: false, message: 'quick_check: ' + String(error && error.message), code: error && error.code };
}
parentPort.postMessage(result);
`;

export interface QuickCheckRun {
  readonly result: Promise<QuickCheck | undefined>;
  /** Stops the worker (its connection is closed with it); `result` then resolves undefined. */
  stop(): void;
}

/**
 * Runs quick_check on the index at `path` in a worker. `result` is undefined when the check could
 * not run at all (no worker threads, stopped): the caller goes on without it, as a pass that
 * meets a damaged page still rebuilds the index.
 */
export function quickCheckInWorker(path: string): QuickCheckRun {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: require.resolve('better-sqlite3'), path } });
  } catch {
    return { result: Promise.resolve(undefined), stop: () => undefined };
  }
  worker.unref();
  const result = new Promise<QuickCheck | undefined>((resolve) => {
    worker.once('message', (message: QuickCheck) => resolve(message));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return { result, stop: () => void worker.terminate() };
}
