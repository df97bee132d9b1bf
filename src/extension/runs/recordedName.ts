// The name a run's process recorded in its `init` record, read from the run's own files (the
// index may not have read them yet): the run is found by its ID in whichever project the script
// put it (its project= wins over the launch sheet's).

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes read from the start of events.jsonl: the header and the first `init` come first. */
const HEAD_BYTES = 256 * 1024;

export function recordedName(storeDir: string, runId: string): string | undefined {
  let projects: string[];
  try {
    projects = readdirSync(join(storeDir, 'projects'));
  } catch {
    return undefined;
  }
  for (const project of projects) {
    const head = readHead(join(storeDir, 'projects', project, 'runs', runId, 'events.jsonl'));
    if (head === undefined) continue;
    // Complete lines only: the last one may still be being written.
    for (const line of head.slice(0, head.lastIndexOf('\n') + 1).split('\n')) {
      if (!line.includes('"init"')) continue;
      try {
        const record = JSON.parse(line) as { type?: unknown; name?: unknown };
        if (record.type === 'init' && typeof record.name === 'string' && record.name !== '') return record.name;
      } catch {
        // A line that is not JSON is the index's to report.
      }
    }
  }
  return undefined;
}

function readHead(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
