// The interoperability suite's helpers: run a ported training script under a given interpreter
// with the SDK and its `wandb` stand-in on PYTHONPATH, in a fresh store, and read what it stored.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, finished, inheritedEnv, ROOT, SDK, startPython, StoreFolder, type PyResult } from '../harness/python';
import type { JsonRecord } from '../harness/jsonl';

export { cleanTemps, ROOT, SDK, type JsonRecord };

export const STAND_IN = join(SDK, 'runlog', 'wandb_compat');
const SCRIPTS = join(__dirname, 'scripts');

const missing = JSON.parse(process.env.RUNLOG_INTEROP_MISSING || '{}') as Record<string, string>;

/** Debian's python3 (python3-torch, -numpy, -sklearn, -matplotlib, -pil from apt). */
export function systemPython(): string {
  return process.env.RUNLOG_INTEROP_SYSTEM_PYTHON || '/usr/bin/python3';
}

/** The cached venv's python; throws, naming each package, where one could not be installed. */
export function venvPython(...packages: string[]): string {
  const gone = packages.filter((p) => p in missing);
  if (gone.length > 0) throw new Error(gone.map((p) => `${p} cannot be had: ${missing[p]}`).join('\n'));
  const python = process.env.RUNLOG_INTEROP_VENV_PYTHON;
  if (!python) throw new Error('no interop venv: run this suite with `npm run test:interop`, which builds it');
  return python;
}

export class InteropWorkspace extends StoreFolder {
  constructor() {
    super('runlog-interop-');
  }

  /** Runs `scripts/<script>` with `python` in the workspace; fails with its output if it exits non-zero. */
  async run(python: string, script: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 540_000): Promise<PyResult> {
    const child = startPython(python, [join(SCRIPTS, script)], this.dir, {
      ...inheritedEnv('RUNLOG_', 'WANDB_'),
      PYTHONPATH: [SDK, STAND_IN].join(':'),
      PYTHONUNBUFFERED: '1',
      RUNLOG_DIR: this.store,
      RUNLOG_SYSTEM_INTERVAL: '0',
      RUNLOG_WANDB: 'always',
      ...env,
    });
    const result = await finished(child, timeoutMs);
    if (result.code !== 0) throw new Error(`${script} exited ${result.code} ${result.signal ?? ''}\n--- stderr ---\n${result.stderr.slice(-6000)}\n--- stdout ---\n${result.stdout.slice(-2000)}`);
    return result;
  }

  /** Config as a reader replays it (merged `config` records). */
  config(runDir: string): Record<string, unknown> {
    return Object.assign({}, ...this.events(runDir, 'config').map((r) => r.data as Record<string, unknown>));
  }

  /** History rows (step + data), in file order. */
  history(runDir: string): { step: number; data: Record<string, unknown> }[] {
    return this.events(runDir, 'history').map((r) => ({ step: r.step as number, data: r.data as Record<string, unknown> }));
  }

  /** Values of one metric in step order. */
  series(runDir: string, key: string): unknown[] {
    return this.history(runDir).filter((h) => key in h.data).map((h) => h.data[key]);
  }

  summary(runDir: string): Record<string, unknown> {
    return Object.assign({}, ...this.events(runDir, 'summary').map((r) => r.data as Record<string, unknown>));
  }

  exitState(runDir: string): unknown {
    return this.events(runDir, 'exit').at(-1)?.state;
  }

  manifest(project: string, name: string, version: string): JsonRecord {
    return JSON.parse(readFileSync(join(this.store, 'projects', project, 'artifacts', name, version, 'manifest.json'), 'utf8')) as JsonRecord;
  }

  aliases(project: string, name: string): Record<string, string> {
    const file = join(this.store, 'projects', project, 'artifacts', name, 'aliases.jsonl');
    const out: Record<string, string> = {};
    if (!existsSync(file)) return out;
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const rec = JSON.parse(line) as { alias: string; version: string };
      out[rec.alias] = rec.version;
    }
    return out;
  }
}

/** Every value is a finite number. */
export function allNumbers(values: unknown[]): boolean {
  return values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
}
