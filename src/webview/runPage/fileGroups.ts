// The Files tab's two lists: what the run saved (`files/`, from run.save) and Runlog's own
// record files (events.jsonl, output.jsonl, … at the top of the run directory; README.md,
// "On-disk format"), which a person rarely needs and which sit behind a disclosure.
import type { RunFile } from '../../core/model';

export const SAVED_FILES_DIR = 'files/';

export function splitRunFiles(files: readonly RunFile[]): { saved: RunFile[]; records: RunFile[] } {
  const saved: RunFile[] = [];
  const records: RunFile[] = [];
  for (const file of files) (file.path.startsWith(SAVED_FILES_DIR) ? saved : records).push(file);
  return { saved, records };
}
