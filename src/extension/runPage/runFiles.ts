// Resolving paths that a webview names. The webview is untrusted: whatever a message says, the
// result must be a file inside the run directory, after following every symlink.
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

export type Contained = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/** True when `child` is `parent` or lies below it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `relPath` inside `baseDir`, or why it is refused: absolute paths, `..`
 * segments, anything whose real path (symlinks followed) leaves `baseDir`, and missing files.
 */
export async function resolveInside(baseDir: string, relPath: string): Promise<Contained> {
  if (relPath.length === 0 || relPath.includes('\u0000')) return { ok: false, reason: 'The path is empty or malformed.' };
  if (path.isAbsolute(relPath) || path.win32.isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) {
    return { ok: false, reason: `"${relPath}" is an absolute path; only paths inside the run are allowed.` };
  }
  const segments = relPath.split(/[\\/]+/);
  if (segments.includes('..')) return { ok: false, reason: `"${relPath}" leaves the run directory.` };
  let realBase: string;
  try {
    realBase = await realpath(baseDir);
  } catch {
    return { ok: false, reason: `The run directory ${baseDir} no longer exists.` };
  }
  const joined = path.resolve(realBase, ...segments);
  if (!isInside(realBase, joined)) return { ok: false, reason: `"${relPath}" leaves the run directory.` };
  let real: string;
  try {
    real = await realpath(joined);
  } catch {
    return { ok: false, reason: `"${relPath}" does not exist in the run directory.` };
  }
  if (!isInside(realBase, real)) return { ok: false, reason: `"${relPath}" is a link that points outside the run directory.` };
  try {
    const info = await stat(real);
    if (!info.isFile() && !info.isDirectory()) return { ok: false, reason: `"${relPath}" is not a file.` };
  } catch {
    return { ok: false, reason: `"${relPath}" does not exist in the run directory.` };
  }
  return { ok: true, path: real };
}
