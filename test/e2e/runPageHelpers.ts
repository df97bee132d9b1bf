// Helpers for the run page and compare page end-to-end tests: one VS Code session shared by
// the tests of a block, and finding the webview that shows a given page.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { withVSCode, type VSCodeSession } from './harness';

/** The secondary side bar (chat) would take a third of the window in every screenshot. */
export const SETTINGS = { 'workbench.secondarySideBar.defaultVisibility': 'hidden' } as const;

/** Keeps one VS Code session open across the tests of a describe block. */
export function useSession(options: Parameters<typeof withVSCode>[0]): () => VSCodeSession {
  let session: VSCodeSession | undefined;
  let release: (() => void) | undefined;
  let finished: Promise<unknown> | undefined;
  before(async function () {
    this.timeout(600_000);
    await new Promise<void>((ready, fail) => {
      finished = withVSCode(options, async (s) => {
        session = s;
        ready();
        await new Promise<void>((r) => (release = r));
      }).catch(fail);
    });
  });
  after(async function () {
    this.timeout(120_000);
    release?.();
    await finished;
  });
  return () => {
    assert.ok(session, 'the VS Code session did not start');
    return session;
  };
}

/** The webview whose page heading is `title` (hidden pages keep their frames, in any order). */
export async function frameTitled(vscode: VSCodeSession, title: string, timeoutMs = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await vscode.page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = vscode.webviewFrame(i);
      const heading = await frame.locator('h1.run-name').innerText({ timeout: 500 }).catch(() => undefined);
      if (heading === title) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows "${title}"`);
    await vscode.page.waitForTimeout(200);
  }
}

export async function openRun(vscode: VSCodeSession, name: string): Promise<{ frame: FrameLocator; pickedAt: number }> {
  const pickedAt = Date.now();
  await vscode.runCommandAndPick('Runlog: Open Run', name);
  return { frame: await frameTitled(vscode, name), pickedAt };
}

/** Opens the compare page of `project` from the palette and finds its frame. */
export async function openCompare(vscode: VSCodeSession, project: string): Promise<FrameLocator> {
  await vscode.runCommandAndPick('Runlog: Compare Runs', project);
  await vscode.page.locator('.tab.active', { hasText: `Compare: ${project}` }).waitFor({ timeout: 60_000 });
  return findCompareFrame(vscode, 60_000, project);
}

/** The compare page's frame (of `project`, when named: another compare page may be open too). */
export async function findCompareFrame(vscode: VSCodeSession, timeoutMs = 60_000, project?: string): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await vscode.page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = vscode.webviewFrame(i);
      const page = project === undefined ? frame.locator('.runs-table') : frame.locator('h1.run-name', { hasText: new RegExp(`^${project}$`) });
      if ((await page.count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error('no compare page webview');
    await vscode.page.waitForTimeout(200);
  }
}

/**
 * A Python script that opens a run with `init` (the arguments of `runlog.init`), logs `log` (a
 * dict expression of `step`) for 30 steps 0.1 s apart, then stays alive and silent until the
 * flag file named by its first argument exists, and then finishes.
 */
export function heldLiveScript(init: string, log: string): string {
  return `import os, sys, time
import runlog
run = runlog.init(${init})
for step in range(30):
    run.log(${log})
    time.sleep(0.1)
flag = sys.argv[1]
held = time.monotonic()
while not os.path.exists(flag) and time.monotonic() - held < 900:
    time.sleep(0.05)
run.finish()
`;
}

/** Starts a heldLiveScript file of the workspace with this repository's SDK, on the workspace's `.runlog` store. */
export function startHeldScript(workspace: string, file: string): { readonly exited: Promise<number | null>; finish(): void; kill(): void } {
  const flag = join(workspace, 'finish.flag');
  const env = { ...process.env, PYTHONPATH: join(__dirname, '..', '..', 'sdk', 'python'), RUNLOG_DIR: join(workspace, '.runlog'), RUNLOG_QUIET: '1' };
  const child = spawn('python3', [join(workspace, file), flag], { cwd: workspace, env, stdio: 'ignore' });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    exited,
    finish: () => writeFileSync(flag, 'go'),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
