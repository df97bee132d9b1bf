// Files of a run that a page may be shown: the real path of a record's relative path under the
// first of the run's folders that holds it (Runlog's run folder; a W&B run read in place has
// several, RunDetail.fileRoots), or why it cannot be served (outside the folder, through a link
// or `..`; missing). One resolver per index or table page: each folder's and directory's real
// path is looked up once, and each file costs one lstat (a realpath only for a link), so an
// index of 1,000 images costs ~1,000 system calls instead of the ~10,000 of a realpath per file.

import { lstatSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

export type Resolved = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly problem: string };

export class RunFileResolver {
  private readonly _folders: FolderFiles[];

  constructor(folders: readonly string[]) {
    this._folders = folders.map((dir) => new FolderFiles(dir));
  }

  resolve(rel: string): Resolved {
    let first: Resolved | undefined;
    for (const folder of this._folders) {
      const resolved = folder.resolve(rel);
      if (resolved.ok) return resolved;
      first ??= resolved;
    }
    return first ?? { ok: false, problem: 'the run folder is gone' };
  }
}

class FolderFiles {
  private _root: string | null | undefined;
  private readonly _dirs = new Map<string, string | null>();

  constructor(private readonly _dir: string) {}

  resolve(rel: string): Resolved {
    if (rel === '' || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return { ok: false, problem: `path ${JSON.stringify(rel)} is outside the run folder` };
    const root = this.root();
    if (root === null) return { ok: false, problem: 'the run folder is gone' };
    const missing: Resolved = { ok: false, problem: `file missing: ${rel}` };
    const outside: Resolved = { ok: false, problem: `${rel} links outside the run folder` };
    const full = path.join(this._dir, rel);
    const parent = this.real(path.dirname(full));
    if (parent === null) return missing;
    if (!inside(root, parent)) return outside;
    const stat = lstatSync(full, { throwIfNoEntry: false });
    if (!stat) return missing;
    if (!stat.isSymbolicLink()) return { ok: true, file: path.join(parent, path.basename(full)) };
    let file: string;
    try {
      file = realpathSync.native(full);
    } catch {
      return missing;
    }
    return inside(root, file) ? { ok: true, file } : outside;
  }

  private root(): string | null {
    if (this._root === undefined) this._root = this.real(this._dir);
    return this._root;
  }

  private real(dir: string): string | null {
    let real = this._dirs.get(dir);
    if (real === undefined) {
      try {
        real = realpathSync.native(dir);
      } catch {
        real = null;
      }
      this._dirs.set(dir, real);
    }
    return real;
  }
}

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}
