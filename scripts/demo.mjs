// `npm run demo`: Runlog in a real VS Code with examples/ open.
//
// With a desktop `code` on PATH: opens it with the extension in development mode. Otherwise
// starts code-server on 127.0.0.1 with a freshly packaged vsix installed and prints the URL to
// open in a browser; it runs until Ctrl-C.
//
//   --browser     use code-server even when a desktop `code` exists
//   --dev         load the extension in development mode (the URL payload) instead of the vsix;
//                 code-server then runs its smoke-test driver, which hides notification toasts
//   --port N      listen on port N (default: a free one)
//   --check       open the URL once in headless Chromium, check that the workbench loads with
//                 Runlog activated, save test-results/screenshots/demo.png, and exit
import { fileURLToPath } from 'node:url';
import { reexecUnderModernNode } from './lib/toolchain.mjs';

await reexecUnderModernNode(fileURLToPath(import.meta.url));

const { existsSync, readdirSync, readFileSync, mkdirSync, statSync } = await import('node:fs');
const { delimiter, join } = await import('node:path');
const { root, envWithNodeFirst, ensureCodeServer } = await import('./lib/toolchain.mjs');
const { runChecked, runStatus } = await import('./lib/proc.mjs');
const { startCodeServer, workbenchUrl } = await import('./lib/codeServer.mjs');
const { withProgress } = await import('./lib/progress.mjs');

const args = process.argv.slice(2);
const flag = (/** @type {string} */ name) => args.includes(name);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port needs a port number, got ${args[portArg + 1]}`);
  process.exit(2);
}
const examples = join(root, 'examples');

const desktop = flag('--browser') || flag('--check') ? undefined : findOnPath('code');
if (desktop) {
  await build([]);
  console.log(`Opening ${examples} in ${desktop} with Runlog in development mode`);
  process.exit(await runStatus(desktop, [`--extensionDevelopmentPath=${root}`, examples]));
}

const dev = flag('--dev');
/** @type {string[]} */
const vsixes = [];
if (dev) {
  await build([]);
} else {
  const vsix = join(root, 'dist', 'runlog.vsix');
  await withProgress('[demo] packaging the extension into dist/runlog.vsix (npm run package)', '10–30 s', () =>
    runChecked('npm', ['run', 'package'], { cwd: root, env: envWithNodeFirst() }),
  );
  vsixes.push(vsix);
}

// Installed on first use (minutes, with its own progress lines), so say so before the wait.
await ensureCodeServer();
const server = await withProgress(`[demo] starting code-server${dev ? '' : ' and installing the vsix into it'}`, '5–20 s', () =>
  startCodeServer({
    logFile: join(root, 'test-results', 'demo', 'code-server.log'),
    smokeTestDriver: dev,
    vsixes,
    port,
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  }),
);
const url = workbenchUrl(server, dev ? { folder: examples, extensionDevelopmentPath: root } : { folder: examples });

if (flag('--check')) {
  const ok = await check(url);
  await server.stop();
  process.exit(ok ? 0 : 1);
}

console.log(`\nRunlog demo (${dev ? 'development mode' : 'installed from dist/runlog.vsix'}) is running.`);
console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
console.log('Press Ctrl-C to stop it.');
const { code, signal } = await server.exited;
console.error(`code-server stopped (code ${code}, signal ${signal}); last log lines:\n${server.logTail()}`);
process.exit(1);

/** @param {string[]} extra */
async function build(extra) {
  await runChecked(process.execPath, [join(root, 'scripts', 'build.mjs'), ...extra], { cwd: root });
}

/** @param {string} name */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Opens the demo URL as a person would and checks the workbench comes up with Runlog active.
 * @param {string} target
 */
async function check(target) {
  const { launchChromium } = await import('./lib/browser.mjs');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(target);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    const runlog = page.locator('.part.activitybar [aria-label^="Runlog"]').first();
    await runlog.waitFor({ timeout: 60_000 });
    await runlog.click();
    await page.locator('.part.sidebar .title-label', { hasText: 'Runs' }).first().waitFor({ timeout: 30_000 });
    const activation = await waitForActivation(60_000);
    // The secondary side bar (chat) stays closed, as baseSettings asks: it would take a quarter of the width.
    const auxiliaryBar = await page.locator('.part.auxiliarybar').isVisible();
    console.log(`check: secondary side bar ${auxiliaryBar ? 'OPEN (it should be closed)' : 'closed'}`);
    const shots = join(root, 'test-results', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'demo.png') });
    console.log(`check: workbench loaded at ${target}`);
    console.log(`check: ${activation ?? 'no activation of runlog.runlog in the extension host log'}`);
    console.log(`check: screenshot ${join(shots, 'demo.png')}`);
    return activation !== undefined && !auxiliaryBar;
  } catch (error) {
    console.error(`check failed: ${error instanceof Error ? error.message : String(error)}\n${server.logTail()}`);
    return false;
  } finally {
    await browser.close();
  }
}

/** The extension host log line that says Runlog activated, once it appears. */
async function waitForActivation(/** @type {number} */ timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of hostLogs(join(server.userDataDir, 'logs'))) {
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => /ExtensionService#_doActivateExtension runlog\.runlog/.test(l));
      if (line) return line.trim();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

/** @param {string} dir @returns {string[]} */
function hostLogs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /exthost\.log$/.test(f))
    .map((f) => join(dir, f));
}
