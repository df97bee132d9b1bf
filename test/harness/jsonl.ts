// A small JSON-lines reader for the SDK tests, independent of src/core: it reads what the Python
// SDK wrote exactly as FORMAT.md describes it (bare NaN / Infinity / -Infinity tokens allowed,
// a last line without a newline reported as torn).

import { existsSync, readFileSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonRecord = { [key: string]: Json };

export interface JsonlFile {
  readonly records: JsonRecord[];
  /** Text after the last newline, when there is any. */
  readonly torn: string | null;
  /** Complete lines that did not parse. */
  readonly corrupt: string[];
}

const MARKS: Record<string, number> = {
  '\u0000NaN': NaN,
  '\u0000Infinity': Infinity,
  '\u0000-Infinity': -Infinity,
};

/** JSON.parse, plus the non-finite number tokens Python's json module writes. */
export function parseJsonLine(line: string): Json {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      out += line.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => line.startsWith(t, i));
    if (token) {
      out += JSON.stringify('\u0000' + token);
      i += token.length;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && value in MARKS ? MARKS[value] : value)) as Json;
}

export function readJsonl(path: string): JsonlFile {
  if (!existsSync(path)) return { records: [], torn: null, corrupt: [] };
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop()!;
  const records: JsonRecord[] = [];
  const corrupt: string[] = [];
  for (const line of lines) {
    try {
      const value = parseJsonLine(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) records.push(value);
      else corrupt.push(line);
    } catch {
      corrupt.push(line);
    }
  }
  return { records, torn: last === '' ? null : last, corrupt };
}

/** Records of one type from a file that must be whole (no torn or corrupt line). */
export function recordsOf(path: string, type?: string): JsonRecord[] {
  const file = readJsonl(path);
  if (file.torn !== null || file.corrupt.length > 0) {
    throw new Error(`${path}: torn ${JSON.stringify(file.torn)}, corrupt ${JSON.stringify(file.corrupt)}`);
  }
  return type === undefined ? file.records : file.records.filter((r) => r.type === type);
}
