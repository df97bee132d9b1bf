// `runlog import <path>...`: W&B run folders into the store (src/core/sources/importer.ts).

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeImport, importRuns } from '../core/sources/importer';
import { WandbSource } from '../core/sources/wandb/WandbSource';

export interface ImportIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** Runs found past this many get a progress line each. */
const PROGRESS_FROM = 10;

export function runImport(paths: readonly string[], storeDir: string, json: boolean, io: ImportIo): number {
  mkdirSync(storeDir, { recursive: true });
  const source = new WandbSource();
  const result = importRuns(source, paths.map((p) => resolve(io.cwd, p)), storeDir, {
    onProgress: (done, total, run) => {
      if (total >= PROGRESS_FROM) io.stderr(`importing ${done + 1}/${total}: ${run.id}\n`);
    },
  });
  if (json) io.stdout(`${JSON.stringify(result)}\n`);
  else io.stdout(describeImport(result, storeDir, source.label));
  return result.runs.length === 0 && result.skipped.length > 0 ? 1 : 0;
}
