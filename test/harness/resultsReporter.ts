// Mocha reporter for the layers that run in plain Node (unit, faults, e2e): mocha's spec output,
// plus the results file named by RUNLOG_TEST_RESULTS when the run ends.
import Mocha from 'mocha';
import { RESULTS_ENV, describeFailure, writeResults, type TestFailure } from './results';

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class ResultsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const started = Date.now();
    const failures: TestFailure[] = [];
    runner.on(EVENT_TEST_FAIL, (test, error) => failures.push(describeFailure(test, error)));
    runner.once(EVENT_RUN_END, () => {
      const file = process.env[RESULTS_ENV];
      if (!file) return;
      const stats = runner.stats;
      writeResults(file, {
        layer: process.env.RUNLOG_TEST_LAYER ?? 'unknown',
        passed: stats?.passes ?? 0,
        failed: stats?.failures ?? failures.length,
        pending: stats?.pending ?? 0,
        failures,
        files: new Set(collectFiles(runner.suite)).size,
        durationMs: Date.now() - started,
      });
    });
  }
}

function collectFiles(suite: Mocha.Suite): string[] {
  const own = suite.file === undefined ? [] : [suite.file];
  return [...own, ...suite.tests.flatMap((t) => (t.file === undefined ? [] : [t.file])), ...suite.suites.flatMap(collectFiles)];
}

export default ResultsReporter;
