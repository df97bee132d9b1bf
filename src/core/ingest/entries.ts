// One line of a run file, checked against the format and applied to the run's session.

import { checkEditRecord, checkEventRecord, checkHeader, checkOutputRecord, checkSystemRecord, FORMAT_MAJOR } from '../format/records';
import { readLines } from '../format/jsonl';
import { parseJson } from '../format/json';
import type { RunSession } from './RunSession';

export type RunFileKind = 'events' | 'edits' | 'output' | 'system';

export function applyEntry(session: RunSession, file: RunFileKind, label: string, line: number, value: unknown): void {
  const invalid = (message: string) => session.problem({ file: label, line, kind: 'invalid', message: `${label} line ${line}: ${message}, skipped` });
  switch (file) {
    case 'events': {
      const checked = checkEventRecord(value);
      if (checked === undefined) return; // an unknown record type from a newer minor version
      if (!checked.ok) return invalid(checked.error);
      const skipped = session.applyEvent(checked.record);
      if (skipped) session.problem({ file: label, line, kind: 'invalid', message: `${label} line ${line}: ${skipped}; those values skipped` });
      return;
    }
    case 'edits': {
      const checked = checkEditRecord(value);
      if (checked === undefined) return;
      if (!checked.ok) return invalid(checked.error);
      session.applyEdit(checked.record);
      return;
    }
    case 'output': {
      const checked = checkOutputRecord(value);
      if (!checked.ok) return invalid(checked.error);
      session.applyOutput(checked.record);
      return;
    }
    case 'system': {
      const checked = checkSystemRecord(value);
      if (!checked.ok) return invalid(checked.error);
      session.applySystem(checked.record);
      return;
    }
  }
}

/** True while the file's header still names a format version this Runlog cannot read (the problem is recorded again). */
export function stillRefused(path: string, session: RunSession, label: string): boolean {
  const { lines } = readLines(path, { offset: 0, line: 0 }, 64 * 1024);
  let value: unknown;
  try {
    value = parseJson(lines[0] ?? '');
  } catch {
    return false;
  }
  const verdict = checkHeader(value);
  if (verdict.kind !== 'unsupported') return false;
  session.problem({ file: label, line: 1, kind: 'unsupported-version', message: unsupportedMessage(label, verdict.version) });
  return true;
}

export function unsupportedMessage(label: string, version: unknown): string {
  return `${label}: format version ${JSON.stringify(version)} is not supported (this Runlog reads version ${FORMAT_MAJOR}); the run's events are not shown. Update Runlog to read it.`;
}
