/** A command line the CLI cannot run as given (exit code 1). */
export class UsageError extends Error {}
