// Where an ingest pass looks: the whole store (every project and run folder), or only the folders
// that changed (named by file-watcher events), the live runs and a rolling slice of the rest.

import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { runKey, type RunKey } from '../model';
import { isValidProjectName, isValidRunId } from '../names';

export interface RunLocation {
  readonly project: string;
  readonly id: string;
  readonly dir: string;
}

/** What a targeted pass reads: nothing else of the store is listed or stat'ed. */
export interface IngestTargets {
  /** List `projects/` again (a project folder was created or removed). */
  listProjects: boolean;
  /** Projects whose `runs/` folder is listed again (new and vanished runs). */
  readonly projects: Set<string>;
  /** Run folders read (new bytes) or, when gone, forgotten. */
  readonly runs: Map<RunKey, RunLocation>;
}

/** What one pass read, for tests and the benchmark: a targeted pass reads a few folders, not the store. */
export interface PassStats {
  readonly full: boolean;
  /** Folders listed (readdir): `projects/` and each project's `runs/`. */
  foldersListed: number;
  /** Run folders whose files were stat'ed and read. */
  runsRead: number;
}

export function emptyTargets(): IngestTargets {
  return { listProjects: false, projects: new Set(), runs: new Map() };
}

export function runLocation(storeDir: string, project: string, id: string): RunLocation {
  return { project, id, dir: join(storeDir, 'projects', project, 'runs', id) };
}

/**
 * Adds what a change at `path` (a file or folder inside the store) asks to read again. Paths
 * outside `projects/` (the index, sweeps) ask for nothing; the index's own changes reach the
 * store through its change log.
 */
export function addChangedPath(targets: IngestTargets, storeDir: string, path: string): void {
  const parts = relative(storeDir, path).split(sep).filter((p) => p !== '' && p !== '.');
  if (parts[0] !== 'projects') return;
  const [, project, runs, id] = parts;
  if (project === undefined) {
    targets.listProjects = true;
    return;
  }
  if (!isValidProjectName(project)) return;
  if (runs !== 'runs' || id === undefined) {
    targets.projects.add(project);
    return;
  }
  if (isValidRunId(id)) targets.runs.set(runKey(project, id), runLocation(storeDir, project, id));
}

/** Every project and run folder of the store. */
export function discover(storeDir: string, stats?: PassStats): { projects: Set<string>; runs: Map<RunKey, RunLocation> } {
  const projects = new Set(listProjects(storeDir, stats));
  const runs = new Map<RunKey, RunLocation>();
  for (const project of projects) {
    for (const id of listRunIds(storeDir, project, stats)) runs.set(runKey(project, id), runLocation(storeDir, project, id));
  }
  return { projects, runs };
}

export function listProjects(storeDir: string, stats?: PassStats): string[] {
  if (stats) stats.foldersListed++;
  return subdirectories(join(storeDir, 'projects')).filter(isValidProjectName);
}

export function listRunIds(storeDir: string, project: string, stats?: PassStats): string[] {
  if (stats) stats.foldersListed++;
  return subdirectories(join(storeDir, 'projects', project, 'runs')).filter(isValidRunId);
}

/** listProjects without blocking: the folder is read off the event loop. */
export async function listProjectsAsync(storeDir: string): Promise<string[]> {
  return subdirectoriesAsync(join(storeDir, 'projects'), isValidProjectName);
}

/** listRunIds without blocking (a project of 100,000 runs is one 100,000-entry folder). */
export async function listRunIdsAsync(storeDir: string, project: string): Promise<string[]> {
  return subdirectoriesAsync(join(storeDir, 'projects', project, 'runs'), isValidRunId);
}

/** A thousand entries at a time, each batch read off the event loop and checked before the next. */
async function subdirectoriesAsync(dir: string, valid: (name: string) => boolean): Promise<string[]> {
  const names: string[] = [];
  try {
    if (!(await lstat(dir)).isDirectory()) return [];
    for await (const e of await opendir(dir, { bufferSize: 1024 })) if (e.isDirectory() && valid(e.name)) names.push(e.name);
  } catch {
    // Gone or unreadable meanwhile: what was listed so far.
  }
  return names;
}

function subdirectories(dir: string): string[] {
  try {
    // A link (to a folder outside the store) is not followed: the store is data from anyone.
    if (!lstatSync(dir).isDirectory()) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

export function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function statOrUndefined(path: string): Stats | undefined {
  try {
    // lstat: a run file that is a link (maybe to a file outside the store) is not read.
    const s = lstatSync(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}
