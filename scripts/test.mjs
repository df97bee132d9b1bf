// Runlog's test runner: `node scripts/test.mjs [unit|integration|e2e|faults ...] [--grep TEXT]`.
// No layer named runs typecheck, unit, integration and e2e. Builds first, runs each layer, prints per-layer
// counts and timings, and ends with exactly one line `N passed, N failed` over all layers.
// A layer whose results file is missing, that loaded no test file or ran no test counts as failed.
//
//   typecheck    `npm run typecheck` (tsc over the extension and the webviews): esbuild and tsx
//                strip types without checking them; counts as one test
//   unit         mocha + tsx over test/unit/**/*.test.ts in this Node (>= 22)
//   integration  test/integration/**/*.test.ts bundled into one file and run by mocha inside a
//                real VS Code extension host: code-server + headless Chromium by default; desktop
//                VS Code through @vscode/test-electron when RUNLOG_VSCODE_EXECUTABLE names one
//                (or RUNLOG_TEST_HOST=electron, which downloads RUNLOG_VSCODE_VERSION or stable)
//   e2e          mocha + tsx over test/e2e/**/*.e2e.ts: Playwright drives code-server as a person
//   faults       mocha + tsx over test/faults/**/*.test.ts and test/faults/**/*.e2e.ts (these
//                drive code-server like e2e); long fault runs, not in the default run
//   interop      mocha + tsx over test/interop/**/*.test.ts: real third-party training code
//                (Debian's python3-torch & co., and lightning, transformers, accelerate, keras,
//                optuna, pandas in a venv cached under the tools folder) run against the SDK's
//                `wandb` stand-in; not in the default run (`npm run test:interop`, .ci/run)
//
// Results: test-results/<layer>.json; code-server logs: test-results/{integration,e2e}/;
// screenshots: test-results/screenshots/. RUNLOG_TEST_VERBOSE=1 shows the workbench's own log.
// Node 24 and code-server are installed on first use into .vscode-test/ (or RUNLOG_TOOLS_DIR).
import { fileURLToPath } from 'node:url';
import { reexecUnderModernNode } from './lib/toolchain.mjs';

// better-sqlite3 13 and the harness need Node >= 22: on an older Node, re-run under Node 24.
await reexecUnderModernNode(fileURLToPath(import.meta.url));

const { existsSync, mkdirSync, readFileSync, rmSync } = await import('node:fs');
const { delimiter, dirname, join, relative } = await import('node:path');
const { execFileSync } = await import('node:child_process');
const { root, ensureCodeServer, envWithNodeFirst } = await import('./lib/toolchain.mjs');
const { runStatus } = await import('./lib/proc.mjs');
const { bundleIntegrationTests, findTests } = await import('./lib/bundle.mjs');
const { integrationHost, runIntegrationHost } = await import('./lib/integration.mjs');

// Version managers (pyenv, asdf) put a shell-script shim first on PATH that costs a few hundred
// ms of CPU per `python3` started; the suites start hundreds. Put the interpreter the shim picks
// first on PATH instead, so every layer (and the VS Code it starts) runs the same Python directly.
preferRealPython();

const LAYERS = ['typecheck', 'unit', 'integration', 'e2e', 'faults', 'interop'];
const DEFAULT_LAYERS = ['typecheck', 'unit', 'integration', 'e2e'];
const resultsDir = join(root, 'test-results');

/**
 * @typedef {object} LayerOutcome
 * @property {string} layer
 * @property {number} passed
 * @property {number} failed
 * @property {number} pending
 * @property {string[]} problems why the layer is failed beyond its failing tests
 * @property {{ title: string, message: string }[]} failures
 * @property {number} seconds
 */

const argv = process.argv.slice(2);
const grepAt = argv.indexOf('--grep');
const grep = grepAt >= 0 ? argv[grepAt + 1] : undefined;
if (grepAt >= 0 && !grep) {
  console.error('--grep needs a pattern');
  process.exit(2);
}
const requested = argv.filter((_, i) => grepAt < 0 || (i !== grepAt && i !== grepAt + 1));
for (const layer of requested) {
  if (!LAYERS.includes(layer)) {
    console.error(`unknown layer "${layer}"; expected one of: ${LAYERS.join(', ')}`);
    process.exit(2);
  }
}
const layers = requested.length > 0 ? requested : DEFAULT_LAYERS;
// The faults layer's *.e2e.ts files drive a real VS Code too.
const faultsInVSCode = layers.includes('faults') && findTests('test/faults/**/*.e2e.ts').length > 0;
const needsBuild = layers.some((l) => l === 'integration' || l === 'e2e') || faultsInVSCode;
const needsHost = needsBuild;

mkdirSync(resultsDir, { recursive: true });
const started = Date.now();
const seconds = (/** @type {number} */ since) => (Date.now() - since) / 1000;

/** @type {string | undefined} */
let buildProblem;
if (needsBuild) {
  const t = Date.now();
  console.log('\n== build ==');
  const code = await runStatus(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  if (code !== 0) buildProblem = `the build failed (node scripts/build.mjs exited with ${code})`;
  else if (!existsSync(join(root, 'dist', 'extension.js'))) buildProblem = 'the build produced no dist/extension.js';
  console.log(`build: ${buildProblem ? 'FAILED' : 'ok'} (${seconds(t).toFixed(1)} s)`);
}

/** @type {string | undefined} */
let toolchainProblem;
if (needsHost && !buildProblem && integrationHostNeedsCodeServer()) {
  const t = Date.now();
  try {
    await ensureCodeServer();
    console.log(`toolchain: code-server ready (${seconds(t).toFixed(1)} s)`);
  } catch (error) {
    toolchainProblem = `code-server is not available: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function integrationHostNeedsCodeServer() {
  return layers.includes('e2e') || faultsInVSCode || integrationHost() === 'code-server';
}

/** @type {LayerOutcome[]} */
const outcomes = [];
for (const layer of layers) {
  console.log(`\n== ${layer} ==`);
  const t = Date.now();
  const outcome = await runLayer(layer);
  outcome.seconds = seconds(t);
  outcomes.push(outcome);
  console.log(`${layer}: ${summaryLine(outcome)}`);
}

console.log('\n== summary ==');
for (const o of outcomes) {
  console.log(`${o.layer.padEnd(12)} ${summaryLine(o)}`);
  for (const problem of o.problems) console.log(`  ! ${problem}`);
  for (const f of o.failures) console.log(`  x ${f.title}: ${firstLine(f.message)}`);
}
const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
console.log(`total wall time ${seconds(started).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

/** @param {LayerOutcome} o */
function summaryLine(o) {
  const pending = o.pending > 0 ? `, ${o.pending} pending` : '';
  return `${o.passed} passed, ${o.failed} failed${pending} (${o.seconds.toFixed(1)} s)`;
}

/** @param {string} text */
function firstLine(text) {
  return String(text).split('\n').find((l) => l.trim() !== '') ?? '';
}

/**
 * @param {string} layer
 * @returns {Promise<LayerOutcome>}
 */
async function runLayer(layer) {
  const resultsFile = join(resultsDir, `${layer}.json`);
  rmSync(resultsFile, { force: true });
  try {
    switch (layer) {
      case 'typecheck':
        return await runTypecheck();
      case 'unit':
        return await runMochaLayer(layer, findTests('test/unit/**/*.test.ts'), resultsFile, { timeout: 120_000 });
      case 'faults': {
        if (faultsInVSCode && buildProblem) return failedLayer(layer, buildProblem);
        if (faultsInVSCode && toolchainProblem) return failedLayer(layer, toolchainProblem);
        const files = [...findTests('test/faults/**/*.test.ts'), ...findTests('test/faults/**/*.e2e.ts')];
        return await runMochaLayer(layer, files, resultsFile, { timeout: 300_000 });
      }
      case 'interop':
        return await runInteropLayer(resultsFile);
      case 'integration':
        return await runIntegrationLayer(resultsFile);
      case 'e2e':
        return await runE2eLayer(resultsFile);
      default:
        return failedLayer(layer, `unknown layer ${layer}`);
    }
  } catch (error) {
    return failedLayer(layer, `the ${layer} layer crashed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}

/**
 * tsc over both projects (package.json's `typecheck` script, one project after the other).
 * @returns {Promise<LayerOutcome>}
 */
async function runTypecheck() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  /** @type {string[]} */
  const problems = [];
  for (const project of ['tsconfig.json', join('src', 'webview', 'tsconfig.json')]) {
    const code = await runStatus(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root });
    if (code !== 0) problems.push(`tsc --noEmit -p ${project} found type errors (exit code ${code}; they are listed above)`);
  }
  return { layer: 'typecheck', passed: problems.length === 0 ? 1 : 0, failed: problems.length === 0 ? 0 : 1, pending: 0, problems, failures: [], seconds: 0 };
}

/**
 * @param {string} layer
 * @param {string} problem
 * @returns {LayerOutcome}
 */
function failedLayer(layer, problem) {
  return { layer, passed: 0, failed: 1, pending: 0, problems: [problem], failures: [], seconds: 0 };
}

/**
 * Reads a layer's results file and turns every way it can lie into a failure.
 * @param {string} layer
 * @param {string} resultsFile
 * @param {{ exitCode?: number, expectedFiles?: number, error?: string, logTail?: string, logFile?: string }} run
 * @returns {LayerOutcome}
 */
function judge(layer, resultsFile, run) {
  /** @type {string[]} */
  const problems = [];
  if (run.error) problems.push(run.error);
  /** @type {{ passed?: number, failed?: number, pending?: number, files?: number, failures?: { title: string, message: string }[] } | undefined} */
  let results;
  if (!existsSync(resultsFile)) {
    problems.push(`no results file at ${relative(root, resultsFile)}: the suite never finished (host died or never loaded it)`);
  } else {
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch (error) {
      problems.push(`unreadable results file ${relative(root, resultsFile)}: ${String(error)}`);
    }
  }
  const passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  const pending = results?.pending ?? 0;
  if (results) {
    if ((results.files ?? 0) === 0) problems.push('no test file was loaded');
    else if (run.expectedFiles !== undefined && results.files !== undefined && results.files < run.expectedFiles) {
      problems.push(`only ${results.files} of ${run.expectedFiles} test files registered tests`);
    }
    if (passed + failed === 0) problems.push('zero tests ran');
    if (run.exitCode !== undefined && run.exitCode !== 0 && failed === 0) {
      problems.push(`the runner exited with code ${run.exitCode} although no test failed`);
    }
  }
  if (problems.length > 0) {
    failed += 1;
    if (run.logTail) console.log(`--- last lines of ${run.logFile ? relative(root, run.logFile) : 'the host log'} ---\n${run.logTail}\n---`);
  }
  return { layer, passed, failed, pending, problems, failures: results?.failures ?? [], seconds: 0 };
}

/**
 * unit and faults: mocha + tsx in this Node (>= 22), over the files given.
 * @param {string} layer
 * @param {string[]} files
 * @param {string} resultsFile
 * @param {{ timeout: number, env?: Record<string, string> }} options
 */
async function runMochaLayer(layer, files, resultsFile, options) {
  if (files.length === 0) return failedLayer(layer, `no test files match test/${layer}/**`);
  const exitCode = await runStatus(
    process.execPath,
    [
      join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--import=tsx',
      '--reporter', join(root, 'test', 'harness', 'resultsReporter.ts'),
      '--timeout', String(options.timeout),
      '--slow', String(Math.round(options.timeout / 4)),
      '--exit',
      ...(grep ? ['--grep', grep] : []),
      ...files,
    ],
    { cwd: root, env: { ...envWithNodeFirst(), ...options.env, RUNLOG_TEST_RESULTS: resultsFile, RUNLOG_TEST_LAYER: layer } },
  );
  return judge(layer, resultsFile, { exitCode, expectedFiles: files.length });
}

/**
 * interop: builds or reuses the cached venv, then runs the suite; the tests learn which
 * interpreter to use and which packages could not be had (each such test fails, naming it).
 * @param {string} resultsFile
 */
async function runInteropLayer(resultsFile) {
  const files = findTests('test/interop/**/*.test.ts');
  if (files.length === 0) return failedLayer('interop', 'no test files match test/interop/**/*.test.ts');
  const { ensureInteropPython } = await import('./lib/interop.mjs');
  const python = await ensureInteropPython();
  const missing = Object.keys(python.missing);
  if (missing.length > 0) console.log(`interop: cannot be had: ${missing.join(', ')} (their tests fail)`);
  return runMochaLayer('interop', files, resultsFile, {
    timeout: 600_000,
    env: {
      RUNLOG_INTEROP_SYSTEM_PYTHON: python.systemPython,
      RUNLOG_INTEROP_VENV_PYTHON: python.venvPython ?? '',
      RUNLOG_INTEROP_MISSING: JSON.stringify(python.missing),
    },
  });
}

/** @param {string} resultsFile */
async function runIntegrationLayer(resultsFile) {
  if (buildProblem) return failedLayer('integration', buildProblem);
  if (toolchainProblem && integrationHost() === 'code-server') return failedLayer('integration', toolchainProblem);
  const { bundle, files } = await bundleIntegrationTests();
  if (files.length === 0) return failedLayer('integration', 'no test files match test/integration/**/*.test.ts');
  console.log(`host: ${integrationHost()}; ${files.length} test file(s) bundled into ${relative(root, bundle)}`);
  const logFile = join(resultsDir, 'integration', 'code-server.log');
  const run = await runIntegrationHost({ bundle, resultsFile, logFile, ...(grep ? { grep } : {}) });
  return judge('integration', resultsFile, { ...run, logFile, expectedFiles: files.length });
}

/** @param {string} resultsFile */
async function runE2eLayer(resultsFile) {
  if (buildProblem) return failedLayer('e2e', buildProblem);
  if (toolchainProblem) return failedLayer('e2e', toolchainProblem);
  const files = findTests('test/e2e/**/*.e2e.ts');
  if (files.length === 0) return failedLayer('e2e', 'no test files match test/e2e/**/*.e2e.ts');
  rmSync(join(resultsDir, 'screenshots'), { recursive: true, force: true });
  const exitCode = await runStatus(
    process.execPath,
    [
      join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--import=tsx',
      '--reporter', join(root, 'test', 'harness', 'resultsReporter.ts'),
      '--timeout', '600000',
      '--slow', '30000',
      '--exit',
      ...(grep ? ['--grep', grep] : []),
      ...files,
    ],
    { cwd: root, env: { ...envWithNodeFirst(), RUNLOG_TEST_RESULTS: resultsFile, RUNLOG_TEST_LAYER: 'e2e' } },
  );
  return judge('e2e', resultsFile, { exitCode, expectedFiles: files.length });
}

function preferRealPython() {
  try {
    const exe = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 60_000 }).trim();
    if (exe && existsSync(exe)) process.env.PATH = `${dirname(exe)}${delimiter}${process.env.PATH ?? ''}`;
  } catch {
    // No python3: the layers that need it say so themselves.
  }
}
