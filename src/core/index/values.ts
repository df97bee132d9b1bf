// How config, summary and metric values travel between the files, SQLite and the model.

import { parseJson, stringifyJson } from '../format/json';
import type { MetricValue } from '../model';

/** Encodes a value for a TEXT column; non-finite numbers survive (`NaN`, `Infinity`). */
export function encodeValue(value: unknown): string {
  return stringifyJson(value === undefined ? null : value);
}

export function decodeValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

/** A leaf for tables and filters: objects and lists become their JSON text. */
export function toMetricValue(value: unknown): MetricValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return stringifyJson(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens nested objects to `a/b` keys; lists stay whole. */
export function flatten(tree: Record<string, unknown>, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) flatten(value, path, into);
    else into[path] = value;
  }
  return into;
}

/** Deep-merges `patch` into `base` (objects merge, everything else replaces). Returns `base`. */
export function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    const current = base[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value);
    else base[key] = isPlainObject(value) ? deepMerge({}, value) : value;
  }
  return base;
}

/** A history value as SQLite stores it: booleans become 0/1; NaN becomes NULL on bind. */
export function toStoredNumber(value: unknown): number | null | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null) return null;
  return undefined;
}
