// The built `runlog` command (dist/runlog.js, package.json "bin") started by the machine's
// default Node, which may be older than the Node 22 its SQLite module needs: it runs under the
// cached Node 24, or says in one line what it needs; it never dies on a signal.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cachedNode, MIN_NODE_MAJOR, WRONG_NODE_EXIT } from '../../../src/cli/launcher';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'dist', 'runlog.js');
/** The machine's default Node (Node 20 on the CI machine). */
const OLD_NODE = process.env.RUNLOG_TEST_OLD_NODE ?? '/usr/bin/node';

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    execFile(node, [BIN, ...args], { env, shell: false, timeout: 120_000 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

function majorOf(node: string): number {
  return Number(execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0]);
}

describe('the runlog command on the machine’s default Node', function () {
  this.timeout(300_000);
  let store: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    // The real build: the command as `npm run build` makes it.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    store = makeStore();
    new RunBuilder(store, 'vision', 'abc12345').init({ name: 'jolly-haze-1' }).history(0, { loss: 1 }).exit(0).write();
    env = { ...process.env };
    delete env.RUNLOG_TOOLS_DIR;
  });
  after(removeStores);

  it('runs on a Node it supports', async () => {
    const out = await run(process.execPath, ['--dir', store, 'ls'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /vision\s+abc12345\s+jolly-haze-1\s+finished/);
  });

  describe(`started by ${OLD_NODE}`, () => {
    before(function () {
      if (!existsSync(OLD_NODE) || majorOf(OLD_NODE) >= MIN_NODE_MAJOR) this.skip();
    });

    it('runs under the cached Node 24 the project installs', async () => {
      // The cache as scripts/lib/toolchain.mjs lays it out, holding the Node this test runs on.
      const tools = makeStore();
      const node = cachedNode(ROOT, { RUNLOG_TOOLS_DIR: tools });
      mkdirSync(join(node, '..'), { recursive: true });
      symlinkSync(process.execPath, node);
      const out = await run(OLD_NODE, ['--dir', store, 'ls'], { ...env, RUNLOG_TOOLS_DIR: tools });
      assert.equal(out.signal, null);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /vision\s+abc12345\s+jolly-haze-1\s+finished/);
    });

    it('with no Node 24 to run on, says in one line which Node it needs and exits non-zero, never on a signal', async () => {
      const empty = makeStore();
      const out = await run(OLD_NODE, ['--dir', store, 'ls'], { ...env, RUNLOG_TOOLS_DIR: empty });
      assert.equal(out.signal, null, 'the command died on a signal');
      assert.equal(out.code, WRONG_NODE_EXIT);
      assert.equal(out.stdout, '');
      const lines = out.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, out.stderr);
      assert.match(lines[0]!, /^runlog needs Node\.js 22 or newer \(.* on Node 20\.[\d.]+\): install Node 22\+ .*npm test/);
    });
  });
});
