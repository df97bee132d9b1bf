// Runs the bundled integration suite inside a real VS Code extension host. One suite, two hosts:
// desktop VS Code through @vscode/test-electron when RUNLOG_VSCODE_EXECUTABLE (or
// RUNLOG_TEST_HOST=electron) asks for it, otherwise code-server driven by headless Chromium.
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { root } from './toolchain.mjs';
import { freshWorkspace } from './workspace.mjs';

const RESULTS_ENV = 'RUNLOG_TEST_RESULTS';

/**
 * What the in-host suite reads from its environment (test/integration/index.ts).
 * @param {{ resultsFile: string, grep?: string }} options
 */
function suiteEnv(options) {
  return { [RESULTS_ENV]: options.resultsFile, ...(options.grep ? { RUNLOG_TEST_GREP: options.grep } : {}) };
}

export function integrationHost() {
  if (process.env.RUNLOG_VSCODE_EXECUTABLE || process.env.RUNLOG_TEST_HOST === 'electron') return 'electron';
  return 'code-server';
}

/**
 * @typedef {object} HostRun
 * @property {number | undefined} exitCode what the host reported when the suite finished
 * @property {string | undefined} error why the host run went wrong, if it did
 * @property {string} logTail the host's last log lines, for failure reports
 */

/**
 * @param {{ bundle: string, resultsFile: string, logFile: string, timeoutMs?: number, grep?: string }} options
 * @returns {Promise<HostRun>}
 */
export async function runIntegrationHost(options) {
  rmSync(options.resultsFile, { force: true });
  const workspace = freshWorkspace();
  try {
    return integrationHost() === 'electron'
      ? await runInElectron(options, workspace.dir)
      : await runInCodeServer(options, workspace.dir);
  } finally {
    workspace.remove();
  }
}

/**
 * @param {{ bundle: string, resultsFile: string, grep?: string }} options
 * @param {string} workspace
 * @returns {Promise<HostRun>}
 */
async function runInElectron(options, workspace) {
  const executable = process.env.RUNLOG_VSCODE_EXECUTABLE;
  if (executable && !existsSync(executable)) {
    return { exitCode: undefined, error: `RUNLOG_VSCODE_EXECUTABLE names ${executable}, which does not exist`, logTail: '' };
  }
  const { runTests } = await import('@vscode/test-electron');
  const userData = mkdtempSync(join(tmpdir(), 'runlog-vscode-user-'));
  try {
    const exitCode = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      ...(process.env.RUNLOG_VSCODE_VERSION ? { version: process.env.RUNLOG_VSCODE_VERSION } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: options.bundle,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
      extensionTestsEnv: { ...suiteEnv(options), RUNLOG_TEST_WORKSPACE: workspace },
    }).catch((/** @type {unknown} */ error) => {
      // runTests rejects when the suite fails; the results file says how.
      if (existsSync(options.resultsFile)) return 1;
      throw error;
    });
    return { exitCode, error: undefined, logTail: '' };
  } catch (error) {
    return { exitCode: undefined, error: `desktop VS Code run failed: ${String(error)}`, logTail: '' };
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
}

/**
 * @param {{ bundle: string, resultsFile: string, logFile: string, timeoutMs?: number, grep?: string }} options
 * @param {string} workspace
 * @returns {Promise<HostRun>}
 */
async function runInCodeServer(options, workspace) {
  const server = await startCodeServer({
    logFile: options.logFile,
    env: { ...suiteEnv(options), RUNLOG_TEST_WORKSPACE: workspace },
  });
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {() => Promise<unknown>} */
  let closeLog = async () => {};
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    /** @type {(code: number) => void} */
    let onExitCode = () => {};
    const exitCode = new Promise((resolve) => (onExitCode = resolve));
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => onExitCode(code));
    const workbenchLog = createWriteStream(options.logFile.replace(/[^/]*$/, 'workbench.log'));
    closeLog = () => new Promise((resolve) => workbenchLog.end(resolve));
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ level, /** @type {string} */ message) =>
      printHostLog(level, message, workbenchLog),
    );
    const url = workbenchUrl(server, {
      folder: workspace,
      extensionDevelopmentPath: root,
      extensionTestsPath: options.bundle,
      disableExtensions: true,
    });
    // The suite's own end is waited for below; the load event can lag far behind on a busy machine.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
    const timeoutMs = options.timeoutMs ?? 30 * 60_000;
    /** @type {Promise<HostRun>} */
    const outcome = Promise.race([
      exitCode.then((code) => ({ exitCode: /** @type {number} */ (code), error: undefined, logTail: '' })),
      server.exited.then(({ code, signal }) => ({
        exitCode: undefined,
        error: `code-server exited during the suite (code ${code}, signal ${signal})`,
        logTail: '',
      })),
      new Promise((resolve) => page.once('crash', () => resolve({ exitCode: undefined, error: 'the workbench page crashed', logTail: '' }))),
      new Promise((resolve) => {
        timer = setTimeout(
          () => resolve({ exitCode: undefined, error: `the suite did not finish within ${timeoutMs / 1000} s`, logTail: '' }),
          timeoutMs,
        );
      }),
    ]);
    const result = await outcome;
    return { ...result, logTail: server.logTail() };
  } catch (error) {
    return { exitCode: undefined, error: `integration host failed: ${error instanceof Error ? error.message : String(error)}`, logTail: server.logTail() };
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server.stop();
    await closeLog();
  }
}

// Everything the workbench logs arrives here; the suite marks its own lines (test/integration/index.ts).
const SUITE_LOG_PREFIX = '[suite] ';

/**
 * @param {string} level
 * @param {string} message
 * @param {import('node:fs').WriteStream} log
 */
function printHostLog(level, message, log) {
  const verbose = process.env.RUNLOG_TEST_VERBOSE === '1';
  for (const line of String(message).split('\n')) {
    log.write(`${level} ${line}\n`);
    if (line.startsWith(SUITE_LOG_PREFIX)) process.stdout.write(`  ${line.slice(SUITE_LOG_PREFIX.length)}\n`);
    else if (verbose) process.stdout.write(`  [${level}] ${line}\n`);
  }
}
