// The index file on disk, apart from what SQLite sees through an open connection: opening (or
// creating) it, whether it is still the file a connection has open, and setting a damaged one aside.

import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { isUnusableIndexError, openIndex, type Db } from '../index/schema';
import { StoreError } from './errors';

export const INDEX_FILE = 'index.sqlite';

export function fileIno(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
}

/**
 * Why the index file at `path` is no longer the healthy file a connection opened as inode
 * `openIno`: `'replaced'` (another file at its path), a reason to rebuild (deleted, overwritten,
 * truncated), or undefined. One stat and a 100-byte read: cheap enough for every pass.
 */
export function indexFileProblem(path: string, openIno: number): string | undefined {
  let size: number;
  let ino: number;
  try {
    const st = statSync(path);
    size = st.size;
    ino = st.ino;
  } catch {
    return 'the index file was deleted while Runlog had it open';
  }
  if (ino !== openIno) return 'replaced';
  const header = Buffer.alloc(100);
  let read = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // unreadable for a moment: the pass itself reports real I/O errors
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return 'the index file was overwritten or emptied while Runlog had it open';
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  const pages = header.readUInt32BE(28);
  // The page count in the header is valid when the change counter matches "version valid for".
  if (header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0 && size < pages * pageSize) {
    return 'the index file was truncated while Runlog had it open';
  }
  return undefined;
}

/** Renames a damaged index (and its -wal/-shm) to `<index>.corrupt-<ts>`; returns that name. */
export function moveAside(indexPath: string): string | undefined {
  if (!existsSync(indexPath)) {
    for (const suffix of ['-wal', '-shm']) rmSync(indexPath + suffix, { force: true });
    return undefined;
  }
  const aside = `${indexPath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(indexPath, aside);
    for (const suffix of ['-wal', '-shm']) if (existsSync(indexPath + suffix)) renameSync(indexPath + suffix, aside + suffix);
    return aside;
  } catch {
    for (const suffix of ['', '-wal', '-shm']) rmSync(indexPath + suffix, { force: true });
    return undefined;
  }
}

export function openIndexReadonly(indexPath: string): Db {
  if (!existsSync(indexPath)) throw new StoreError(`No Runlog index at ${indexPath}; open the store writable once to build it.`);
  try {
    return openIndex(indexPath, { readonly: true });
  } catch (error) {
    throw new StoreError(`Cannot read the Runlog index at ${indexPath}: ${(error as Error).message}`);
  }
}

/**
 * Opens the index of the store at `dir` for writing, creating the folder and the file when
 * missing; an unusable file is set aside for a new one. `reason` says why the new index must be
 * built from the run folders (undefined: the index was there and usable).
 */
export function openOrCreateIndex(dir: string, indexPath: string, check = true): { db: Db; reason: string | undefined } {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StoreError(`Cannot create the Runlog store folder ${dir}: ${(error as Error).message}`);
  }
  const reason = existsSync(indexPath) ? undefined : 'the index did not exist';
  try {
    return { db: openIndex(indexPath, { check }), reason };
  } catch (error) {
    if (!isUnusableIndexError(error)) throw new StoreError(`Cannot open the Runlog index at ${indexPath}: ${(error as Error).message}`);
    const aside = moveAside(indexPath);
    try {
      return { db: openIndex(indexPath), reason: `the index could not be used (${(error as Error).message})${aside ? `; the old file was kept as ${aside}` : ''}` };
    } catch (again) {
      throw new StoreError(`Cannot create the Runlog index at ${indexPath}: ${(again as Error).message}`);
    }
  }
}

/**
 * Closes a connection to a damaged or vanished index file. Closing checkpoints the WAL into the
 * file, an I/O that may fail there; the file is set aside or replaced whatever happens, so a
 * failed close must not stop the rebuild.
 */
export function closeQuietly(db: Db): void {
  try {
    db.close();
  } catch {
    // The connection is closed either way.
  }
}
