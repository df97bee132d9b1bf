// Starts a private code-server (a real VS Code: workbench in a browser, Node extension host) on a
// free loopback port, with every piece of state inside one temp folder that stop() removes.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { killGroup, onExit, runChecked } from './proc.mjs';
import { ensureCodeServer } from './toolchain.mjs';

const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/;

/** Settings every session gets: nothing that pops up, phones home or asks for trust. */
export const baseSettings = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  // The secondary side bar (chat) opens empty on a quarter of the width and cuts the Runs view's
  // descriptions: closed in the demo and in every test session alike.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // As desktop VS Code, where Runlog's users are: code-server is a web build, whose default is
  // "afterDelay". An auto-save racing a test's own save made that save return false (dirty,
  // nothing written) in loaded CI runs.
  'files.autoSave': 'off',
});

/**
 * @typedef {object} CodeServerOptions
 * @property {string} logFile where code-server's stdout and stderr go
 * @property {Record<string, unknown>} [settings] User settings added to baseSettings
 * @property {NodeJS.ProcessEnv} [env] extra environment (reaches the extension host)
 * @property {boolean} [smokeTestDriver] honour the URL payload (development mode, tests); default true
 * @property {string} [host] address to bind; default 127.0.0.1
 * @property {number} [port] port to bind; default 0 (a free one)
 * @property {number} [startTimeoutMs]
 * @property {readonly string[]} [vsixes] extensions to install (with --install-extension) before starting
 * @property {boolean} [workspaceTrust] keep Workspace Trust on: folders open untrusted (Restricted Mode)
 */

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} origin e.g. http://127.0.0.1:PORT
 * @property {string} stateDir the temp folder holding user data, extensions, XDG data and TMPDIR
 * @property {string} extensionsDir
 * @property {string} userDataDir
 * @property {() => string} logTail the last lines code-server wrote
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {() => Promise<void>} stop
 */

/**
 * @param {CodeServerOptions} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options) {
  const { node, entry } = await ensureCodeServer();
  const stateDir = mkdtempSync(join(tmpdir(), 'runlog-code-server-'));
  const dirs = {
    userData: join(stateDir, 'user-data'),
    extensions: join(stateDir, 'extensions'),
    xdg: join(stateDir, 'xdg'),
    tmp: join(stateDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const trustSettings = options.workspaceTrust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' }
    : {};
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...baseSettings, ...trustSettings, ...options.settings }, null, 2),
  );
  // Written first: a --config path that does not exist gets a generated password instead.
  const config = join(stateDir, 'config.yaml');
  const bind = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
  writeFileSync(config, `bind-addr: ${bind}\nauth: none\ncert: false\n`);

  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const childEnv = {
    ...process.env,
    ...options.env,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    XDG_DATA_HOME: dirs.xdg,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    TMPDIR: dirs.tmp,
  };
  for (const vsix of options.vsixes ?? []) {
    await runChecked(node, [entry, '--config', config, ...common, '--install-extension', vsix, '--force'], {
      cwd: stateDir,
      env: childEnv,
      quiet: true,
    }).catch((error) => {
      rmSync(stateDir, { recursive: true, force: true });
      throw new Error(`code-server could not install ${vsix}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  const args = [
    entry,
    '--config', config,
    '--bind-addr', bind,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...common,
  ];
  if (options.smokeTestDriver ?? true) args.push('--vscode-option', 'enable-smoke-test-driver');

  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  const child = spawn(node, args, {
    cwd: stateDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    detached: true,
  });
  const removeCleanup = onExit(() => {
    killGroup(child, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** @type {string[]} */
  const recent = [];
  let pending = '';
  /** @type {(port: number) => void} */
  let onPort = () => {};
  const portFound = new Promise((resolve) => (onPort = resolve));
  /** @param {Buffer} chunk */
  const consume = (chunk) => {
    log.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      recent.push(line);
      if (recent.length > 60) recent.shift();
      const match = LISTENING.exec(line);
      if (match) onPort(Number(match[1]));
    }
  };
  child.stdout.on('data', consume);
  child.stderr.on('data', consume);
  const logTail = () => [...recent, pending].filter(Boolean).join('\n');

  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // Its extension host and other helpers share the process group.
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Group already empty.
    }
    await new Promise((resolve) => log.end(resolve));
    removeCleanup();
    rmSync(stateDir, { recursive: true, force: true });
  };

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const port = await Promise.race([
    portFound,
    exited.then(({ code, signal }) => {
      throw new Error(`code-server exited before listening (code ${code}, signal ${signal})\n${logTail()}`);
    }),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms\n${logTail()}`)), timeoutMs);
    }),
  ]).catch(async (error) => {
    await stop();
    throw error;
  }).finally(() => clearTimeout(timer));

  return {
    port: /** @type {number} */ (port),
    origin: `http://127.0.0.1:${port}`,
    stateDir,
    extensionsDir: dirs.extensions,
    userDataDir: dirs.userData,
    logTail,
    exited,
    stop,
  };
}

/**
 * The workbench URL that opens `folder`, with an optional development payload
 * (honoured when code-server runs with the smoke-test driver option).
 * @param {{ origin: string, port: number }} server
 * @param {{ folder?: string, extensionDevelopmentPath?: string | readonly string[], extensionTestsPath?: string, disableExtensions?: boolean }} what
 */
export function workbenchUrl(server, what) {
  const remote = (/** @type {string} */ path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  /** @type {[string, string][]} */
  const payload = [];
  // Several development extensions: one payload entry each (a test's stand-in beside Runlog).
  for (const path of [what.extensionDevelopmentPath ?? []].flat()) payload.push(['extensionDevelopmentPath', remote(path)]);
  if (what.extensionTestsPath) payload.push(['extensionTestsPath', remote(what.extensionTestsPath)]);
  if (what.disableExtensions) payload.push(['disableExtensions', 'true']);
  const query = new URLSearchParams();
  if (what.folder) query.set('folder', what.folder);
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  const search = query.toString();
  return `${server.origin}/${search ? `?${search}` : ''}`;
}
