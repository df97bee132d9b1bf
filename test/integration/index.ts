// The in-host test entry (the @vscode/test-electron contract): the extension host loads this
// bundle and awaits run(). scripts/test.mjs bundles it with every test/integration/**/*.test.ts,
// which `runlog:integration-tests` lists; the results file is what the runner trusts.
import { format } from 'node:util';
import Mocha from 'mocha';
import { testFiles } from 'runlog:integration-tests';
import { RESULTS_ENV, describeFailure, writeResults, type TestFailure } from '../harness/results';

/** Marks the suite's own output among everything the workbench logs (the runner shows only these). */
export const SUITE_LOG_PREFIX = '[suite] ';

export function run(): Promise<void> {
  // The extension host forwards console.log's arguments unformatted; format them here.
  (Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = (...args) => {
    for (const line of format(...args).split('\n')) console.log(SUITE_LOG_PREFIX + line);
  };
  const resultsFile = process.env[RESULTS_ENV];
  const started = Date.now();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000, slow: 20_000, reporter: 'spec' });
  const grep = process.env.RUNLOG_TEST_GREP;
  if (grep) mocha.grep(grep);
  // What mocha.loadFiles() does per file, for modules already inside this bundle.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  let filesWithTests = 0;
  for (const file of testFiles) {
    const before = mocha.suite.suites.length + mocha.suite.tests.length;
    file.load();
    if (mocha.suite.suites.length + mocha.suite.tests.length > before) filesWithTests++;
  }

  return new Promise((resolve, reject) => {
    const failures: TestFailure[] = [];
    const runner = mocha.run((failed) => {
      const stats = runner.stats;
      if (resultsFile) {
        writeResults(resultsFile, {
          layer: 'integration',
          passed: stats?.passes ?? 0,
          failed: stats?.failures ?? failed,
          pending: stats?.pending ?? 0,
          failures,
          files: filesWithTests,
          durationMs: Date.now() - started,
        });
      }
      if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
      else resolve();
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => failures.push(describeFailure(test, error)));
  });
}
