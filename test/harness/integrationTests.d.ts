// The module scripts/test.mjs generates while bundling the integration suite: one loader per
// test/integration/**/*.test.ts file, run after mocha has defined describe/it.
declare module 'runlog:integration-tests' {
  export interface IntegrationTestFile {
    readonly name: string;
    readonly load: () => void;
  }
  export const testFiles: readonly IntegrationTestFile[];
}
