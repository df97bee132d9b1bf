// Run IDs, run names and project names (README.md (On-disk format) "Layout").

// nanoid 5 is ESM only; Node 22+ loads it with require(), and esbuild bundles it from this call.
const { customAlphabet } = require('nanoid') as { customAlphabet: (alphabet: string, size: number) => () => string };

export const RUN_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
export const RUN_ID_LENGTH = 8;

/** A new random run ID: 8 characters of `[a-z0-9]`. */
export const newRunId: () => string = customAlphabet(RUN_ID_ALPHABET, RUN_ID_LENGTH);

// Project names and run IDs are folder names. They follow W&B's rule (no / \\ # ? % :, see
// https://docs.wandb.ai/ref/python/init) minus what some file system refuses (< > " | *, control
// characters, a leading "." or space, a trailing "." or space, Windows device names); run IDs also
// hold no spaces. The Python SDK applies the same rule (sdk/python/runlog/_store.py).
const FORBIDDEN = /[/\\#?%:<>"|*\u0000-\u001f\u007f]/u;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;
const ARTIFACT_NAME = /^[A-Za-z0-9._-]{1,128}$/;
export const PROJECT_NAME_MAX = 128;
export const RUN_ID_MAX = 64;

function folderNameProblem(name: string, what: string, max: number): string | undefined {
  if (name.length === 0) return `${what} cannot be empty.`;
  if (name.length > max) return `${what} has at most ${max} characters (this one has ${name.length}).`;
  if (name.startsWith('.')) return `${what} cannot start with ".".`;
  if (name.startsWith(' ') || name.endsWith(' ') || name.endsWith('.')) return `${what} cannot start or end with a space, or end with ".".`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `${what} cannot hold ${JSON.stringify(bad[0])} (none of / \\ # ? % : < > " | * or control characters).`;
  if (RESERVED.test(name)) return `${what} cannot be a Windows device name (${name.split('.')[0]}).`;
  return undefined;
}

export function isValidProjectName(name: string): boolean {
  return projectNameProblem(name) === undefined;
}

export function isValidRunId(id: string): boolean {
  return runIdProblem(id) === undefined;
}

export function isValidArtifactName(name: string): boolean {
  return ARTIFACT_NAME.test(name);
}

/** Why `name` cannot be a project name, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  return folderNameProblem(name, 'A project name', PROJECT_NAME_MAX);
}

/** Why `id` cannot be a run ID, or undefined when it can. */
export function runIdProblem(id: string): string | undefined {
  if (/\s/u.test(id)) return 'A run ID cannot hold spaces.';
  return folderNameProblem(id, 'A run ID', RUN_ID_MAX);
}
