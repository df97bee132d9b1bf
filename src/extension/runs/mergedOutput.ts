// One ordered byte stream for a child's stdout and stderr. Two pipes lose the order between the
// streams (whichever pipe the event loop reads first wins); a terminal merges them because both
// descriptors name the same tty. A connected Unix socket given as both descriptors does the same
// without a tty. Node only.

import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface MergedOutput {
  /** Give this as both stdout and stderr to `spawn`, then call `releaseChildEnd()`. */
  readonly childEnd: net.Socket;
  /** Everything the child (and its children) write, in the order they wrote it. */
  readonly readEnd: net.Socket;
  /** Closes this process's copy of the child's end, so `readEnd` ends when the child's copies close. */
  releaseChildEnd(): void;
}

/** Undefined where Unix sockets are not available (Windows); callers fall back to two pipes. */
export async function openMergedOutput(): Promise<MergedOutput | undefined> {
  if (process.platform === 'win32') return undefined;
  const socketPath = path.join(tmpdir(), `runlog-${process.pid}-${randomBytes(6).toString('hex')}.sock`);
  const server = net.createServer();
  try {
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, resolve);
    });
    const childEnd = net.connect(socketPath);
    await new Promise<void>((resolve, reject) => {
      childEnd.once('connect', resolve);
      childEnd.once('error', reject);
    });
    const readEnd = await accepted;
    return { childEnd, readEnd, releaseChildEnd: () => childEnd.destroy() };
  } catch {
    return undefined;
  } finally {
    server.close();
    try {
      unlinkSync(socketPath);
    } catch {
      // Already removed by close().
    }
  }
}
