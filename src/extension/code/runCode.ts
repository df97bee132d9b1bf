// The code a run ran, as the SDK recorded it in `<run>/code/` (README, On-disk format): its git
// commit and a patch (`git diff HEAD` plus small untracked text files). Rebuilds a run's files
// from the repository it came from, read-only there: `git show`, `git archive`, and `git apply`
// in a folder of our own. Every git is started with an argument vector. No `vscode` import.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RunCode {
  /** The repository's top folder when the run started. */
  readonly root: string;
  readonly commit: string;
  readonly branch?: string;
  /** The patch's path, or undefined when the run's tree was clean or the diff was left out. */
  readonly patch: string | undefined;
  /** Why the diff is not there (too large, git failed), when it is not. */
  readonly leftOut?: string;
  readonly untracked: readonly string[];
}

export class RunCodeError extends Error {}

/** The run's code record; undefined when it has none (recorded off, no git, no repository). */
export function readRunCode(runDir: string): RunCode | undefined {
  const file = path.join(runDir, 'code', 'code.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RunCodeError(`${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = raw as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || typeof r.root !== 'string' || typeof r.commit !== 'string' || !/^[0-9a-f]{7,64}$/.test(r.commit)) {
    throw new RunCodeError(`${file} does not name a repository and a commit.`);
  }
  const patch = typeof r.diff === 'string' && r.diff === 'diff.patch' ? path.join(runDir, 'code', 'diff.patch') : undefined;
  return {
    root: r.root,
    commit: r.commit,
    ...(typeof r.branch === 'string' ? { branch: r.branch } : {}),
    patch: patch && fs.existsSync(patch) && fs.statSync(patch).size > 0 ? patch : undefined,
    ...(typeof r.left_out === 'string' ? { leftOut: r.left_out } : {}),
    untracked: Array.isArray(r.untracked) ? r.untracked.filter((p): p is string => typeof p === 'string') : [],
  };
}

interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs git with an argument vector. `outside`: a folder that is no repository (apply there as a plain patch tool). */
export function git(args: readonly string[], cwd: string, options: { outside?: boolean; stdout?: NodeJS.WritableStream } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
    // Stops git from finding a repository above `cwd` (a new folder inside the workspace, say).
    if (options.outside) env.GIT_CEILING_DIRECTORIES = path.dirname(path.resolve(cwd));
    const child = spawn('git', ['-c', 'core.quotepath=off', '-c', 'color.ui=never', ...args], { cwd, env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    if (options.stdout) child.stdout.pipe(options.stdout);
    else child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
    child.on('error', (e) => reject(new RunCodeError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (or not on PATH).' : `git could not start: ${e.message}`)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err.trim() }));
  });
}

/** Throws a clear message unless the run's repository is here and holds its commit. */
export async function checkRepository(code: RunCode): Promise<void> {
  if (!fs.existsSync(code.root)) throw new RunCodeError(`The repository the run started in, ${code.root}, is not on this machine.`);
  const has = await git(['cat-file', '-e', `${code.commit}^{commit}`], code.root);
  if (has.code !== 0) throw new RunCodeError(`The repository ${code.root} does not have the run's commit ${code.commit.slice(0, 12)} (fetch it first).`);
}

/** Paths the patch touches (old and new names), read by git itself. */
export async function patchPaths(patch: string): Promise<string[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-patch-'));
  try {
    const r = await git(['apply', '--numstat', '-z', patch], scratch, { outside: true });
    if (r.code !== 0) throw new RunCodeError(`The run's patch cannot be read: ${r.stderr}`);
    // -z: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0".
    const fields = r.stdout.toString('utf8').split('\0');
    const paths: string[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (!f) continue;
      const parts = f.split('\t');
      if (parts.length < 3) continue;
      if (parts[2]) paths.push(parts[2]);
      else {
        paths.push(fields[i + 1] ?? '', fields[i + 2] ?? '');
        i += 2;
      }
    }
    return paths.filter(Boolean);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Paths that differ between two commits of one repository. */
export async function commitDiffPaths(root: string, a: string, b: string): Promise<string[]> {
  if (a === b) return [];
  const r = await git(['diff', '--name-only', '-z', '--no-renames', a, b], root);
  if (r.code !== 0) throw new RunCodeError(`git diff ${a.slice(0, 12)} ${b.slice(0, 12)} failed: ${r.stderr}`);
  return r.stdout.toString('utf8').split('\0').filter(Boolean);
}

function insideFolder(dir: string, rel: string): string {
  const full = path.resolve(dir, rel);
  if (full !== dir && !full.startsWith(dir + path.sep)) throw new RunCodeError(`The run's code names a path outside its folder: ${rel}`);
  return full;
}

/** The files `paths` of the run's code (commit + patch), as bytes; absent files are left out. */
export async function runFiles(code: RunCode, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-code-'));
  try {
    for (const rel of paths) {
      const shown = await git(['show', `${code.commit}:${rel}`], code.root);
      if (shown.code !== 0) continue; // not in the commit: new in the patch, or not in this run at all
      const full = insideFolder(dir, rel);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, shown.stdout);
    }
    if (code.patch) await applyPatch(code.patch, dir);
    const files = new Map<string, Buffer>();
    for (const rel of paths) {
      const full = insideFolder(dir, rel);
      if (fs.existsSync(full) && fs.statSync(full).isFile()) files.set(rel, fs.readFileSync(full));
    }
    return files;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function applyPatch(patch: string, dir: string): Promise<void> {
  const applied = await git(['apply', '--whitespace=nowarn', patch], dir, { outside: true });
  if (applied.code !== 0) throw new RunCodeError(`The run's working-tree diff does not apply to its commit: ${applied.stderr}`);
}

/**
 * Restores the run's whole tree (commit, then its patch) into `dest`, a folder that must not
 * exist yet or be empty: never over files that are there. Resolves with the number of files.
 */
export async function checkoutRunCode(code: RunCode, dest: string): Promise<number> {
  await checkRepository(code);
  dest = path.resolve(dest);
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) throw new RunCodeError(`${dest} is not empty; choose a new or empty folder.`);
  if (isInside(dest, code.root)) {
    // A folder inside the repository is fine (git apply runs with a ceiling), but never its root.
    if (path.resolve(code.root) === dest) throw new RunCodeError(`${dest} is the repository itself; choose a new folder.`);
  }
  fs.mkdirSync(dest, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { shell: false, stdio: ['pipe', 'ignore', 'pipe'] });
    let tarErr = '';
    tar.stderr.on('data', (b: Buffer) => (tarErr += b.toString()));
    tar.on('error', (e) => reject(new RunCodeError(`tar could not start: ${e.message}`)));
    const archived = git(['archive', '--format=tar', code.commit], code.root, { stdout: tar.stdin });
    archived.then((r) => {
      if (r.code !== 0) reject(new RunCodeError(`git archive failed: ${r.stderr}`));
    }, reject);
    tar.on('close', (c) => (c === 0 ? resolve() : reject(new RunCodeError(`tar failed: ${tarErr.trim()}`))));
  });
  if (code.patch) await applyPatch(code.patch, dest);
  return countFiles(dest);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(path.resolve(parent), child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}

/** A config as sorted, indented JSON: the same keys line up in a diff whatever order they were set in. */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

/** Text for a diff pane: UTF-8, or a line saying the file is binary. */
export function displayText(bytes: Buffer | undefined): string {
  if (!bytes) return '';
  if (bytes.includes(0)) return `(binary file, ${bytes.length} bytes)\n`;
  return bytes.toString('utf8');
}

/** The files two runs' code differ in, with each run's text: what the diff editor shows. */
export async function codeDifferences(a: RunCode, b: RunCode, maxFiles = 200): Promise<{ path: string; left: string | undefined; right: string | undefined }[]> {
  await checkRepository(a);
  await checkRepository(b);
  const paths = new Set<string>();
  for (const code of [a, b]) if (code.patch) for (const p of await patchPaths(code.patch)) paths.add(p);
  // Two clones of one project: the commits' differences, as far as the first run's repository has both.
  const hasBoth = (await git(['cat-file', '-e', `${b.commit}^{commit}`], a.root)).code === 0;
  if (hasBoth) for (const p of await commitDiffPaths(a.root, a.commit, b.commit)) paths.add(p);
  const list = [...paths].sort().slice(0, maxFiles);
  const [left, right] = await Promise.all([runFiles(a, list), runFiles(b, list)]);
  const out: { path: string; left: string | undefined; right: string | undefined }[] = [];
  for (const p of list) {
    const l = left.get(p);
    const r = right.get(p);
    if (l && r && l.equals(r)) continue;
    if (!l && !r) continue;
    out.push({ path: p, left: l ? displayText(l) : undefined, right: r ? displayText(r) : undefined });
  }
  return out;
}
