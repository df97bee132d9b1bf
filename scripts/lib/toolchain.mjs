// Installs, once, what the tests and the demo need beyond node_modules, into .vscode-test/ in the
// repository: Node 24 from the npm registry (better-sqlite3 13 needs Node >= 22; code-server needs 24)
// and code-server (VS Code's workbench and extension host, served to a browser).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecked } from './proc.mjs';
import { withProgress } from './progress.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where Node 24 and code-server are cached: .vscode-test/ in the repository unless RUNLOG_TOOLS_DIR says. */
export const cacheDir = process.env.RUNLOG_TOOLS_DIR ? resolve(process.env.RUNLOG_TOOLS_DIR) : join(root, '.vscode-test');

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const nodePackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** @param {string} version */
export function nodeMajor(version = process.versions.node) {
  return Number(version.split('.')[0]);
}

/** The npm to run: the one that started us when there is one, else npm on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.c?js$/.test(cli) && existsSync(cli)) return { command: process.execPath, prefix: [cli] };
  return { command: 'npm', prefix: [] };
}

/**
 * @param {readonly string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function npm(args, env) {
  const { command, prefix } = npmCommand();
  return runChecked(command, [...prefix, ...args], { env, cwd: root });
}

/** @param {string} file */
function readVersion(file) {
  try {
    return /** @type {{ version?: string }} */ (JSON.parse(readFileSync(file, 'utf8'))).version;
  } catch {
    return undefined;
  }
}

/**
 * Node 24's folder (with bin/node and include/node): the running Node when it is 24, else the
 * cached npm package, installed on first use.
 * @returns {Promise<{ node: string, home: string }>}
 */
export async function ensureNode24() {
  if (nodeMajor() === 24) {
    const home = join(dirname(process.execPath), '..');
    if (existsSync(join(home, 'include', 'node', 'node_api.h'))) return { node: process.execPath, home };
  }
  const prefix = join(cacheDir, 'node24');
  const home = join(prefix, 'node_modules', nodePackage);
  const node = join(home, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (readVersion(join(home, 'package.json')) === NODE_VERSION && existsSync(node)) return { node, home };
  mkdirSync(prefix, { recursive: true });
  await withProgress(`[toolchain] installing Node ${NODE_VERSION} (${nodePackage}, about 30 MB) from the npm registry into ${prefix}`, '10–60 s, once', () =>
    npm(['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${nodePackage}@${NODE_VERSION}`], process.env),
  );
  if (!existsSync(node)) throw new Error(`npm installed ${nodePackage}@${NODE_VERSION} but ${node} is missing`);
  return { node, home };
}

/** Paths of the code-server install, whether or not it exists yet. */
export function codeServerPaths() {
  const prefix = join(cacheDir, 'code-server');
  const home = join(prefix, 'node_modules', 'code-server');
  return { prefix, home, entry: join(home, 'out', 'node', 'entry.js') };
}

function codeServerInstalled() {
  const { home, entry } = codeServerPaths();
  // The postinstall step installs VS Code's own dependencies; without them the server cannot start.
  return (
    readVersion(join(home, 'package.json')) === CODE_SERVER_VERSION &&
    existsSync(entry) &&
    existsSync(join(home, 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'))
  );
}

/**
 * code-server, installed on first use with Node 24 first on PATH and its headers as nodedir
 * (needs the system package libkrb5-dev for its kerberos addon).
 * @returns {Promise<{ node: string, entry: string, home: string }>}
 */
export async function ensureCodeServer() {
  const node24 = await ensureNode24();
  const { prefix, home, entry } = codeServerPaths();
  if (codeServerInstalled()) return { node: node24.node, entry, home };
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // A manifest of our own, so npm treats the folder as a project and its install-script policy
  // (npm >= 11.9) allows the two packages whose scripts code-server needs.
  writeFileSync(
    join(prefix, 'package.json'),
    JSON.stringify(
      { private: true, allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true } },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    PATH: `${dirname(node24.node)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24.home,
  };
  // npm_execpath of an npm running under another Node would run the install under that Node;
  // code-server's postinstall refuses any Node but 24, so use the npm on PATH under Node 24.
  delete env.npm_execpath;
  delete env.npm_node_execpath;
  delete env.npm_config_user_agent;
  // npm hides install scripts' output, and code-server's postinstall (VS Code's own packages and
  // a native kerberos addon) is most of the wait: say what is happening while it is silent.
  await withProgress(
    `[toolchain] installing code-server ${CODE_SERVER_VERSION} (VS Code in a browser, about 300 MB) into ${prefix}`,
    '2–4 minutes, once; later runs reuse it',
    () => runChecked('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { env, cwd: prefix }),
  );
  if (!codeServerInstalled()) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} did not install completely into ${prefix} ` +
        '(its postinstall builds a kerberos addon: install the system package libkrb5-dev and retry)',
    );
  }
  return { node: node24.node, entry, home };
}

/**
 * Re-runs the current script under Node 24 when the running Node is older than 22.
 * Resolves only when no re-run was needed.
 * @param {string} script absolute path of the script to re-run
 */
export async function reexecUnderModernNode(script) {
  if (nodeMajor() >= 22) return;
  const { node } = await ensureNode24();
  console.log(`[toolchain] Node ${process.versions.node} is too old (better-sqlite3 13 needs >= 22): re-running under ${node}`);
  const { runStatus } = await import('./proc.mjs');
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const code = await runStatus(node, [script, ...process.argv.slice(2)], { env });
  process.exit(code);
}

/** The environment with Node >= 22 first on PATH, so tools started by name use it. */
export function envWithNodeFirst() {
  return { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
}
