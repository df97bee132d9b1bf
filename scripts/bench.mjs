// Runlog's benchmark: `npm run bench [-- --quick]`. Builds the extension, makes sure the real
// VS Code (code-server) is there, then runs bench/main.ts, which measures every figure beside a
// baseline taken in the same run, prints the table and writes bench/results.json. Exits
// non-zero only when the benchmark could not run; a figure that misses its target is reported.
import { fileURLToPath } from 'node:url';
import { reexecUnderModernNode } from './lib/toolchain.mjs';

// better-sqlite3 13 needs Node >= 22: on an older Node, re-run under Node 24.
await reexecUnderModernNode(fileURLToPath(import.meta.url));

const { join } = await import('node:path');
const { root, ensureCodeServer, envWithNodeFirst } = await import('./lib/toolchain.mjs');
const { runStatus } = await import('./lib/proc.mjs');

const started = Date.now();
console.log('== build ==');
const built = await runStatus(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
if (built !== 0) {
  console.error(`the build failed (exit ${built}); nothing was measured`);
  process.exit(2);
}
try {
  await ensureCodeServer();
} catch (error) {
  console.error(`code-server is not available, so the UI figures cannot run: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const code = await runStatus(
  process.execPath,
  ['--import=tsx', join(root, 'bench', 'main.ts'), ...process.argv.slice(2)],
  { cwd: root, env: { ...envWithNodeFirst(), BENCH_STARTED_AT: String(started) } },
);
process.exit(code);
