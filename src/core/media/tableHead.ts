// The first rows of a table file without parsing all of it: a 100k-row table is a few MB of JSON
// that takes a few hundred ms to parse on a loaded machine, while its first page is in its first
// few KB. The SDK writes `{"columns": [...], "data": [[...], ...]}` on one line; anything else
// (keys in another order, a cut that falls before the rows asked for) answers undefined and the
// caller parses the whole file (core/media/tableData.ts).

import type { TableData } from './tableData';

/** Where the JSON value starting at `i` ends (exclusive), or -1 when it runs past the text. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '[' || c === '{') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') {
        j = stringEnd(text, j) - 1;
        if (j < 0) return -1;
      } else if (d === '[' || d === '{') depth++;
      else if (d === ']' || d === '}') {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // A number, true, false, null (or Python's bare NaN / Infinity): up to the next delimiter.
  for (let j = i; j < text.length; j++) if (',]} \t\r\n'.includes(text[j]!)) return j;
  return -1;
}

function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

function parseValue(slice: string): unknown {
  try {
    return JSON.parse(slice);
  } catch {
    // Python's json writes NaN and ±Infinity bare (as parseTable does for the whole file).
    return JSON.parse(slice.replace(/\bNaN\b|-?\bInfinity\b/g, 'null'));
  }
}

/**
 * The columns and first `count` rows from the start of a table file's text, and whether the rows
 * ended there; undefined when the text does not hold them all or is not laid out as expected.
 */
export function parseTableHead(text: string, count: number): (TableData & { readonly complete: boolean }) | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  let columns: string[] | undefined;
  try {
    for (i = skipSpace(text, i + 1); i < text.length; ) {
      const keyEnd = text[i] === '"' ? stringEnd(text, i) : -1;
      if (keyEnd < 0) return undefined;
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipSpace(text, keyEnd);
      if (text[i] !== ':') return undefined;
      i = skipSpace(text, i + 1);
      if (key === 'data') {
        if (!columns || text[i] !== '[') return undefined;
        const rows: unknown[][] = [];
        for (i = skipSpace(text, i + 1); rows.length < count; ) {
          if (text[i] === ']') return { columns, rows, complete: true };
          const end = text[i] === '[' ? valueEnd(text, i) : -1;
          if (end < 0) return undefined;
          rows.push(parseValue(text.slice(i, end)) as unknown[]);
          i = skipSpace(text, end);
          if (text[i] === ',') i = skipSpace(text, i + 1);
          else if (text[i] !== ']') return undefined;
        }
        return { columns, rows, complete: text[i] === ']' };
      }
      const end = valueEnd(text, i);
      if (end < 0) return undefined;
      if (key === 'columns') {
        const value = JSON.parse(text.slice(i, end)) as unknown;
        if (!Array.isArray(value) || !value.every((c) => typeof c === 'string')) return undefined;
        columns = value;
      }
      i = skipSpace(text, end);
      if (text[i] !== ',') return undefined;
      i = skipSpace(text, i + 1);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
