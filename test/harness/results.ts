// The results file every test layer writes and scripts/test.mjs reads. A layer that dies before
// writing it, or that ran no test, counts as failed: a silent host must never look like a pass.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface TestFailure {
  readonly title: string;
  readonly message: string;
  readonly stack?: string;
}

export interface TestResults {
  readonly layer: string;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly failures: readonly TestFailure[];
  /** Test files the layer loaded; zero means the suite never loaded. */
  readonly files: number;
  readonly durationMs: number;
}

/** Environment variable naming the results file (set by scripts/test.mjs). */
export const RESULTS_ENV = 'RUNLOG_TEST_RESULTS';

export function writeResults(file: string, results: TestResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export interface FailedTestLike {
  fullTitle(): string;
}

export function describeFailure(test: FailedTestLike, error: unknown): TestFailure {
  if (error instanceof Error) {
    return error.stack === undefined
      ? { title: test.fullTitle(), message: error.message }
      : { title: test.fullTitle(), message: error.message, stack: error.stack };
  }
  return { title: test.fullTitle(), message: String(error) };
}
