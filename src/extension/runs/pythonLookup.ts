// Finding a Python interpreter on PATH, and checking one that was named. Pure apart from the
// file-system probe it is given, so it is tested with a fake PATH of real files.

import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export type IsExecutable = (file: string) => boolean;

export const isExecutableFile: IsExecutable = (file) => {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first `names` entry found on `envPath`, as an absolute path. */
export function findOnPath(
  names: readonly string[],
  envPath: string | undefined,
  platform: NodeJS.Platform = process.platform,
  isExecutable: IsExecutable = isExecutableFile,
): string | undefined {
  const dirs = (envPath ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  for (const name of names) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const candidate = join(dir, name + ext);
        if (isExecutable(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

export const DEFAULT_PYTHON_NAMES: Readonly<Record<string, readonly string[]>> = {
  win32: ['python', 'py', 'python3'],
  default: ['python3', 'python'],
};

/**
 * An interpreter someone named (setting, task field): an absolute or relative path must be an
 * executable file; a bare command must be on PATH. Returns the path to run, or why it cannot be.
 */
export function checkInterpreter(
  given: string,
  envPath: string | undefined,
  base: string | undefined,
  platform: NodeJS.Platform = process.platform,
  isExecutable: IsExecutable = isExecutableFile,
): { readonly ok: true; readonly path: string } | { readonly ok: false; readonly error: string } {
  const value = given.trim();
  const hasSeparator = value.includes('/') || (platform === 'win32' && value.includes('\\'));
  if (!hasSeparator) {
    const found = findOnPath([value], envPath, platform, isExecutable);
    return found ? { ok: true, path: found } : { ok: false, error: `"${value}" is not on PATH.` };
  }
  const full = path.resolve(base ?? process.cwd(), value);
  return isExecutable(full) ? { ok: true, path: full } : { ok: false, error: `${full} does not exist or is not executable.` };
}
