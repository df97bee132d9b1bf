// "A run that lives somewhere else": the one interface every foreign run reader implements
// (W&B's offline folders today; TensorBoard event files or MLflow's mlruns/ would each be one
// more folder beside wandb/). A source finds runs under roots and reads each one incrementally
// into format v1 records (README.md, On-disk format), so the index ingests them and `runlog
// import` writes them with the same code that handles Runlog's own runs.

import type { EventRecord, Json, OutputRecord, SystemRecord } from '../format/records';

/** A run a source found: where its files are and what identifies it. */
export interface SourceRunRef {
  /** The source's name, e.g. `wandb`. */
  readonly source: string;
  /** The run id as Runlog stores it (`[a-z0-9_-]{1,64}`). */
  readonly id: string;
  /** The source's own id, when it had to be changed to fit Runlog's rules. */
  readonly sourceId: string;
  /** Folders that hold the run, oldest first (a resumed W&B run has several). */
  readonly dirs: readonly string[];
}

/**
 * A media value logged in a history step (an image, a table, a histogram …), kept as the source
 * wrote it; the batch's events hold the format 1.1 `media` records made from it.
 */
export interface SourceMedia {
  readonly step: number;
  readonly key: string;
  /** The source's type name, e.g. `image-file`, `table-file`, `histogram`. */
  readonly type: string;
  /** The file its (first) media record names, relative to the Runlog run's folder, when it has one. */
  readonly path: string | undefined;
  readonly value: { readonly [key: string]: Json };
}

/** How a run looks from its files now. */
export type SourceState = 'running' | 'finished' | 'failed' | 'crashed';

/** What one read added since the last. */
export interface SourceBatch {
  readonly events: EventRecord[];
  readonly output: OutputRecord[];
  readonly system: SystemRecord[];
  readonly media: SourceMedia[];
  /** Definitions (e.g. W&B's define_metric) kept as written; no format v1 record holds them. */
  readonly definitions: Json[];
  /** Bad input met in this read, each a sentence naming the file and what was wrong. */
  readonly problems: string[];
  /** Bytes read from the source's files in this read. */
  bytes: number;
  /** Records read in this read (the source's own unit). */
  records: number;
}

/** Reads one run; `cursor()` is plain JSON, so a reader can be re-opened where it stopped. */
export interface SourceRunReader {
  /** `now` (epoch seconds) judges whether a silent writer is gone, so its last partial line is due. */
  read(now?: number): SourceBatch;
  cursor(): Json;
  /** The run's state judged from its files: the exit record, else growth within a window. */
  state(now: number): { readonly state: SourceState; readonly exitCode: number | null };
  /** Standing notes about the run (a header-only file, a cut-off tail …), for its page. */
  notes(now: number): string[];
}

export interface RunSource {
  readonly name: string;
  /** How the editor labels its runs, e.g. `W&B`. */
  readonly label: string;
  /** Finds runs under these folders (each may be a source folder, one run's folder or one file). */
  discover(roots: readonly string[]): { runs: SourceRunRef[]; skipped: { path: string; reason: string }[] };
  open(run: SourceRunRef, cursor?: Json): SourceRunReader;
  /** The source's folders whose files a Runlog run keeps a copy of, and where in the run's folder. */
  fileCopies(run: SourceRunRef): FileCopy[];
  /** The sizes and times of the run's files: unchanged means a read would add nothing. */
  signature(run: SourceRunRef): string;
  /** The files the run's records are read from (absolute), for the run's file list. */
  recordFiles(run: SourceRunRef): string[];
  /**
   * Read in place, the folders the paths of the run's records (`file`, `media`) are relative to,
   * in the order they are tried: W&B's run folder and its `files/`, where a copy puts them
   * under the Runlog run's folder.
   */
  fileRoots(run: SourceRunRef): string[];
}

/** Copy the files under `from` (a source folder) to `to` (relative to the Runlog run's folder), but not those under `except`. */
export interface FileCopy {
  readonly from: string;
  readonly to: string;
  /** Folders under `from` (relative to it) that another copy covers. */
  readonly except?: readonly string[];
  /** The files are never rewritten once written (e.g. named by their content): hard-link them where possible instead of storing them twice. */
  readonly link?: boolean;
}

export function emptyBatch(): SourceBatch {
  return { events: [], output: [], system: [], media: [], definitions: [], problems: [], bytes: 0, records: 0 };
}
