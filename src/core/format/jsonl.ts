// Reads a JSON-lines file from a byte offset: complete lines only, so a writer that is halfway
// through a line is never read half. The byte offset and line count after the last complete
// line come back for the next read.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseJson } from './json';

export interface JsonLinesPosition {
  /** Byte offset of the first unread line. */
  readonly offset: number;
  /** Number of lines before `offset` (line numbers are 1-based: the next line is `line + 1`). */
  readonly line: number;
}

export interface ParsedLine {
  readonly line: number;
  readonly value: unknown;
}

export interface LineProblem {
  readonly line: number;
  readonly kind: 'corrupt' | 'torn';
  readonly message: string;
}

export interface JsonLinesSlice {
  readonly entries: ParsedLine[];
  readonly problems: LineProblem[];
  /** Where the next read starts. */
  readonly next: JsonLinesPosition;
  /** The file's size when read. */
  readonly size: number;
  /** Bytes after the last newline at the end of the file: a line still being written, or torn. */
  readonly tailBytes: number;
  /** True when the read stopped at `maxBytes` with more complete lines left. */
  readonly more: boolean;
}

export interface ReadOptions {
  /** Stop after about this many bytes (a longer single line is still read whole). */
  readonly maxBytes?: number;
  /** The writer has ended: a last line without `\n` is torn (reported), not pending. */
  readonly ended?: boolean;
  /** For messages: how to name the file. */
  readonly label?: string;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const PREVIEW = 80;

/** Thrown when the file is now shorter than the stored offset: it was replaced or truncated. */
export class FileShrankError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly offset: number,
  ) {
    super(`${path} is ${size} bytes, shorter than the ${offset} bytes already read: it was truncated or replaced`);
  }
}

/** Reads the complete lines from `from.offset`, parsing each (NaN/Infinity tokens accepted). */
export function readJsonLines(path: string, from: JsonLinesPosition, options: ReadOptions = {}): JsonLinesSlice {
  const { lines, next, size, tail, more } = readLines(path, from, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const label = options.label ?? path;
  const entries: ParsedLine[] = [];
  const problems: LineProblem[] = [];
  let line = from.line;
  for (const text of lines) {
    line++;
    if (text.length === 0 || (text.length === 1 && text === '\r')) continue;
    try {
      entries.push({ line, value: parseJson(text) });
    } catch (error) {
      problems.push({ line, kind: 'corrupt', message: `${label} line ${line}: not valid JSON (${(error as Error).message}): ${preview(text)}` });
    }
  }
  if (tail !== undefined && options.ended) {
    problems.push({ line: line + 1, kind: 'torn', message: `${label} line ${line + 1}: torn last line (no newline; the writer ended mid-line): ${preview(tail)}` });
  }
  return { entries, problems, next, size, tailBytes: tail === undefined ? 0 : Buffer.byteLength(tail), more };
}

interface RawLines {
  readonly lines: string[];
  readonly next: JsonLinesPosition;
  readonly size: number;
  readonly tail: string | undefined;
  readonly more: boolean;
}

/** The complete lines (without `\n`) starting at `from.offset`, at most about `maxBytes` of them. */
export function readLines(path: string, from: JsonLinesPosition, maxBytes: number): RawLines {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < from.offset) throw new FileShrankError(path, size, from.offset);
    const available = size - from.offset;
    if (available === 0) return { lines: [], next: from, size, tail: undefined, more: false };
    let want = Math.min(available, maxBytes);
    let buffer = Buffer.allocUnsafe(want);
    let filled = readFully(fd, buffer, 0, want, from.offset);
    let lastNewline = buffer.lastIndexOf(10, filled - 1);
    // One line longer than maxBytes: keep reading until its newline or the end of the file.
    while (lastNewline < 0 && from.offset + filled < size) {
      want = Math.min(available, Math.max(want * 2, filled + (1 << 20)));
      const bigger = Buffer.allocUnsafe(want);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
      filled += readFully(fd, buffer, filled, want - filled, from.offset + filled);
      lastNewline = buffer.lastIndexOf(10, filled - 1);
    }
    const atEnd = from.offset + filled >= size;
    const tail = atEnd && lastNewline < filled - 1 ? buffer.toString('utf8', lastNewline + 1, filled) : undefined;
    if (lastNewline < 0) return { lines: [], next: from, size, tail, more: false };
    const text = buffer.toString('utf8', 0, lastNewline);
    const lines = text.split('\n');
    return {
      lines,
      next: { offset: from.offset + lastNewline + 1, line: from.line + lines.length },
      size,
      tail,
      more: !atEnd,
    };
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buffer: Buffer, at: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function preview(text: string): string {
  const oneLine = text.slice(0, PREVIEW + 1).replace(/\s+/g, ' ');
  return oneLine.length > PREVIEW ? JSON.stringify(oneLine.slice(0, PREVIEW)) + '…' : JSON.stringify(oneLine);
}
