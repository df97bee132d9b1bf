// What stops an ingest slice, and how a failure reads in a report.

/** A file shrank or was replaced: everything read from this run is suspect; start it over. */
export class ResetRun extends Error {}
/** The run's row was deleted by another process (its folder was gone when that one looked). */
export class RunVanished extends Error {}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
