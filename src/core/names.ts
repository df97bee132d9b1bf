// Run IDs, run names and project names (README.md (On-disk format) "Layout").

// nanoid 5 is ESM only; Node 22+ loads it with require(), and esbuild bundles it from this call.
const { customAlphabet } = require('nanoid') as { customAlphabet: (alphabet: string, size: number) => () => string };

export const RUN_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
export const RUN_ID_LENGTH = 8;

/** A new random run ID: 8 characters of `[a-z0-9]`. */
export const newRunId: () => string = customAlphabet(RUN_ID_ALPHABET, RUN_ID_LENGTH);

const PROJECT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
const RUN_ID = /^[a-z0-9_-]{1,64}$/;
const ARTIFACT_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}

export function isValidRunId(id: string): boolean {
  return RUN_ID.test(id);
}

export function isValidArtifactName(name: string): boolean {
  return ARTIFACT_NAME.test(name);
}

/** Why `name` cannot be a project name, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'A project name cannot be empty.';
  if (name.length > 100) return `A project name has at most 100 characters (this one has ${name.length}).`;
  if (name.startsWith('.')) return 'A project name cannot start with ".".';
  const bad = [...name].find((c) => !/[A-Za-z0-9._-]/.test(c));
  if (bad !== undefined) return `A project name may hold only letters, digits, ".", "_" and "-" (not ${JSON.stringify(bad)}).`;
  return undefined;
}

/** Why `id` cannot be a run ID, or undefined when it can. */
export function runIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'A run ID cannot be empty.';
  if (id.length > 64) return `A run ID has at most 64 characters (this one has ${id.length}).`;
  const bad = [...id].find((c) => !/[a-z0-9_-]/.test(c));
  if (bad !== undefined) return `A run ID may hold only lowercase letters, digits, "_" and "-" (not ${JSON.stringify(bad)}).`;
  return undefined;
}
