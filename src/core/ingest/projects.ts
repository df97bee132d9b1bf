// A project's row in the index, kept to its folder: added when the folder is seen, dropped only
// when the folder is gone (decided under the write lock: a listing may be older than the row).

import { join } from 'node:path';
import type { Db } from '../index/schema';
import { isDirectory } from './scan';
import type { ChangeCollector } from './changes';

export function addProject(db: Db, project: string, changes: ChangeCollector): void {
  if (db.prepare('INSERT OR IGNORE INTO projects (name) VALUES (?)').run(project).changes > 0) changes.projectsChanged();
}

/** Drops the project's row if its folder is gone now; true when it was dropped. */
export function dropProjectIfGone(db: Db, storeDir: string, project: string, changes: ChangeCollector): boolean {
  const folder = join(storeDir, 'projects', project);
  const removed = db.transaction(() => !isDirectory(folder) && db.prepare('DELETE FROM projects WHERE name = ?').run(project).changes > 0).immediate();
  if (removed) changes.projectsChanged();
  return removed;
}
