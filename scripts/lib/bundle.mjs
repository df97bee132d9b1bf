// Bundles the integration suite into one CommonJS file the extension host can load:
// test/integration/index.ts plus every test/integration/**/*.test.ts, mocha inside, `vscode`
// left to the host.
import { globSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { root } from './toolchain.mjs';

export const integrationBundle = join(root, 'out', 'test', 'integration', 'index.js');

/** Test files of a layer, relative to the repository, sorted. */
export function findTests(/** @type {string} */ pattern) {
  return globSync(pattern, { cwd: root }).sort();
}

/** @returns {Promise<{ bundle: string, files: string[] }>} */
export async function bundleIntegrationTests() {
  const files = findTests('test/integration/**/*.test.ts');
  /** @type {esbuild.Plugin} */
  const testList = {
    name: 'runlog-integration-tests',
    setup(build) {
      build.onResolve({ filter: /^runlog:integration-tests$/ }, () => ({ path: 'tests', namespace: 'runlog-tests' }));
      build.onLoad({ filter: /.*/, namespace: 'runlog-tests' }, () => ({
        // require() inside a function: esbuild wraps each ES module so it runs on first require,
        // i.e. after index.ts has given mocha's describe/it to the global scope.
        contents:
          'export const testFiles = [\n' +
          files.map((file) => `  { name: ${JSON.stringify(file)}, load: () => require(${JSON.stringify(`./${file}`)}) },\n`).join('') +
          '];\n',
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, 'test', 'integration', 'index.ts')],
    outfile: integrationBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    external: ['vscode', 'better-sqlite3'],
    plugins: [testList],
    logLevel: 'warning',
    // mocha's parallel mode (unused in the host) resolves worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return { bundle: integrationBundle, files: files.map((f) => relative(root, join(root, f))) };
}
