#!/usr/bin/env node
// The `runlog` command's entry (package.json "bin"): checks the Node it was started with before
// anything loads the native SQLite module, which needs Node >= 22 (on an older Node it crashes
// the process with a signal and no word). On an older Node it runs the CLI under the Node 24
// that the project's scripts cache (scripts/lib/toolchain.mjs: RUNLOG_TOOLS_DIR, else
// .vscode-test/ in the package), or says in one line what it needs and exits with code 3.
// Built for old Nodes (target node14) and free of imports that could fail there.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MIN_NODE_MAJOR = 22;
export const WRONG_NODE_EXIT = 3;

/** Where the project's scripts cache Node 24, as scripts/lib/toolchain.mjs decides. */
export function cachedNode(packageRoot: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, arch = process.arch): string {
  const cacheDir = env.RUNLOG_TOOLS_DIR ? resolve(env.RUNLOG_TOOLS_DIR) : join(packageRoot, '.vscode-test');
  const pkg = `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
  return join(cacheDir, 'node24', 'node_modules', pkg, 'bin', platform === 'win32' ? 'node.exe' : 'node');
}

function main(): void {
  const cli = join(__dirname, 'cli.js');
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) {
    // A path esbuild cannot follow: cli.js stays its own file, loaded only on a Node it supports.
    (require(cli) as { main(argv: string[]): void }).main(process.argv.slice(2));
    return;
  }
  const node = cachedNode(join(__dirname, '..'), process.env);
  if (!existsSync(node)) {
    process.stderr.write(
      `runlog needs Node.js ${MIN_NODE_MAJOR} or newer (its SQLite module does not load on Node ${process.versions.node}): ` +
        `install Node ${MIN_NODE_MAJOR}+ (https://nodejs.org), or run \`npm test\` in the Runlog folder once to cache Node 24 at ${node}\n`,
    );
    process.exit(WRONG_NODE_EXIT);
  }
  const child = spawn(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit', shell: false });
  child.once('error', (error) => {
    process.stderr.write(`runlog could not start ${node}: ${error.message}\n`);
    process.exit(WRONG_NODE_EXIT);
  });
  child.once('exit', (code, signal) => {
    if (signal) process.stderr.write(`runlog: ${node} ended on signal ${signal}\n`);
    process.exit(code ?? 1);
  });
}

if (require.main === module) main();
