// What the user changes about runs: names, notes, tags and states go to the run's `edits.jsonl`
// (the files stay the truth) and are ingested at once; moves and deletes act on the folders.

import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson } from '../format/json';
import type { EditRecord } from '../format/records';
import type { ChangeCollector } from '../ingest/changes';
import type { StoreIngestor } from '../ingest/StoreIngestor';
import type { RunRow } from '../index/rows';
import type { Db } from '../index/schema';
import { runKey, type IngestFailure, type RunKey } from '../model';
import { projectNameProblem } from '../names';
import { NotFoundError, StoreError } from './errors';

/** What the edits need of the store that owns them. */
export interface EditHost {
  readonly dir: string;
  readonly readonly: boolean;
  readonly db: Db;
  readonly ingestor: StoreIngestor;
  readonly pending: ChangeCollector;
  now(): number;
  row(key: RunKey): RunRow | undefined;
  emit(): void;
  reportFailures(failures: IngestFailure[]): void;
}

export class StoreEdits {
  private lastEditTs = 0;

  constructor(private readonly host: EditHost) {}

  rename(key: RunKey, name: string): void {
    if (name.trim() === '') throw new StoreError('A run name cannot be empty.');
    this.edit(key, { type: 'name', ts: this.editTime(), name });
  }

  setNotes(key: RunKey, notes: string): void {
    this.edit(key, { type: 'notes', ts: this.editTime(), text: notes });
  }

  setTags(key: RunKey, tags: readonly string[]): void {
    const clean = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
    this.edit(key, { type: 'tags', ts: this.editTime(), tags: clean });
  }

  markState(key: RunKey, state: 'killed' | 'failed' | 'finished', code?: number): void {
    // The edit must read as newer than the segment it ends, even if clocks disagree a little.
    const segmentStart = this.host.row(key)?.last_init_ts ?? 0;
    const ts = Math.max(this.editTime(), segmentStart + 0.001);
    this.edit(key, code === undefined ? { type: 'state', ts, state } : { type: 'state', ts, state, code });
  }

  /** Now, but strictly after the previous edit, so two quick edits keep their order. */
  private editTime(): number {
    const now = this.host.now();
    this.lastEditTs = now > this.lastEditTs ? now : this.lastEditTs + 1e-6;
    return this.lastEditTs;
  }

  private edit(key: RunKey, record: EditRecord): void {
    const row = this.writableRow(key);
    try {
      appendFileSync(join(row.dir, 'edits.jsonl'), stringifyJson(record) + '\n');
    } catch (error) {
      throw new StoreError(`Cannot write the edit to ${join(row.dir, 'edits.jsonl')}: ${(error as Error).message}`);
    }
    this.ingestOne(row);
  }

  /** Ingests one run now (after an edit). The edit is already on disk: a failure here is reported, not thrown. */
  private ingestOne(row: { project: string; id: string; dir: string }): void {
    const host = this.host;
    try {
      host.ingestor.ingestRun({ project: row.project, id: row.id, dir: row.dir }, host.pending);
    } catch (error) {
      host.reportFailures([{ run: runKey(row.project, row.id), file: (error as { file?: string }).file ?? row.dir, message: (error as Error).message }]);
    }
    host.emit();
  }

  private writableRow(key: RunKey): RunRow {
    if (this.host.readonly) throw new StoreError('This store was opened read-only; it cannot change runs.');
    const row = this.host.row(key);
    if (!row) throw new NotFoundError(`No run ${key} in the store at ${this.host.dir}.`);
    if (!existsSync(row.dir)) throw new NotFoundError(`The folder of run ${key} (${row.dir}) no longer exists.`);
    return row;
  }

  moveRun(key: RunKey, toProject: string): RunKey {
    const host = this.host;
    const row = this.writableRow(key);
    const problem = projectNameProblem(toProject);
    if (problem) throw new StoreError(problem);
    if (toProject === row.project) return key;
    if (row.state === 'running') throw new StoreError(`Run ${key} is still running; stop it before moving it.`);
    const runsDir = join(host.dir, 'projects', toProject, 'runs');
    const target = join(runsDir, row.id);
    if (existsSync(target)) throw new StoreError(`Project ${toProject} already has a run with ID ${row.id}; cannot move ${key} there.`);
    try {
      mkdirSync(runsDir, { recursive: true });
      renameSync(row.dir, target);
    } catch (error) {
      throw new StoreError(`Cannot move ${row.dir} to ${target}: ${(error as Error).message}`);
    }
    const newKey = runKey(toProject, row.id);
    host.db.transaction(() => {
      host.db.prepare('INSERT OR IGNORE INTO projects (name) VALUES (?)').run(toProject);
      host.db.prepare('UPDATE runs SET project = ?, dir = ? WHERE rid = ?').run(toProject, target, row.rid);
    }).immediate();
    host.pending.runRemoved(key);
    host.pending.runAdded(newKey);
    host.emit();
    return newKey;
  }

  deleteRuns(keys: readonly RunKey[]): void {
    const host = this.host;
    if (host.readonly) throw new StoreError('This store was opened read-only; it cannot delete runs.');
    const errors: string[] = [];
    for (const key of keys) {
      const row = host.row(key);
      if (!row) continue;
      try {
        rmSync(row.dir, { recursive: true, force: true });
      } catch (error) {
        errors.push(`${key}: ${(error as Error).message}`);
        continue;
      }
      host.ingestor.removeRun(row.rid);
      host.pending.runRemoved(key);
    }
    host.emit();
    if (errors.length > 0) throw new StoreError(`Could not delete every run folder:\n${errors.join('\n')}`);
  }
}
