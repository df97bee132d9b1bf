// Builds the two bundles (extension host: Node/CJS; webviews: browser/ESM with chart.js inside),
// the CLI, and copies the native SQLite module beside them so the vsix carries what it loads.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  absWorkingDir: root,
};

const host = {
  ...common,
  entryPoints: { extension: 'src/extension/extension.ts', cli: 'src/cli/main.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['vscode', 'better-sqlite3'],
};

// The `runlog` command's entry: it checks the Node it runs on before cli.js loads the native
// module, so it must load on old Nodes too.
const launcher = {
  ...common,
  entryPoints: { runlog: 'src/cli/launcher.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node14',
};

const webview = {
  ...common,
  entryPoints: {
    runPage: 'src/webview/runPage/main.ts',
    comparePage: 'src/webview/comparePage/main.ts',
    sweepPage: 'src/webview/sweepPage/main.ts',
    // A notebook renderer: an ES module that exports activate(), loaded by the notebook's webview.
    notebookRenderer: 'src/webview/notebook/runRenderer.ts',
  },
  outdir: 'dist/webview',
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
};

function copyNativeModule() {
  // better-sqlite3 ships N-API prebuilds; its loader requires them relative to lib/.
  const src = join(root, 'node_modules', 'better-sqlite3');
  const dest = join(root, 'dist', 'node_modules', 'better-sqlite3');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const part of ['package.json', 'lib', 'prebuilds', 'LICENSE']) {
    if (existsSync(join(src, part))) cpSync(join(src, part), join(dest, part), { recursive: true });
  }
}

const entries = [host, launcher, webview].filter((c) => Object.values(c.entryPoints).every((p) => existsSync(join(root, p))));
copyNativeModule();
if (watch) {
  for (const config of entries) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(entries.map((config) => esbuild.build(config)));
}
