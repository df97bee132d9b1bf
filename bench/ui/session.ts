// A real VS Code for the UI figures: code-server with Runlog in development mode, headless
// Chromium driving the workbench (as in test/e2e/harness.ts), and bench/host/probe.ts loaded
// into the extension host as its tests module, reached over HTTP on 127.0.0.1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { PROBE_ENV } from '../host/env';

export const repo = join(__dirname, '..', '..');
export const probeBundle = join(repo, 'out', 'bench', 'probe.js');
export const logDir = join(repo, 'test-results', 'bench');

export interface BenchSession {
  readonly page: Page;
  /** Calls the in-host probe. */
  probe<T = Record<string, unknown>>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** The content frame of the newest webview. */
  webviewFrame(): FrameLocator;
  screenshot(name: string): Promise<string>;
  logTail(): string;
}

/** Bundles the probe into one CommonJS file the extension host can load (`vscode` left to the host). */
export async function bundleProbe(): Promise<string> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: repo,
    entryPoints: [join(repo, 'bench', 'host', 'probe.ts')],
    outfile: probeBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode', 'better-sqlite3'],
    logLevel: 'warning',
  });
  return probeBundle;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withBenchSession<T>(
  options: { name: string; workspace: string; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv },
  body: (session: BenchSession) => Promise<T>,
): Promise<T> {
  const { startCodeServer, workbenchUrl } = await import('../../scripts/lib/codeServer.mjs');
  const { launchChromium } = await import('../../scripts/lib/browser.mjs');
  mkdirSync(logDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'runlog-bench-probe-'));
  const portFile = join(scratch, 'port');
  const server = await startCodeServer({
    logFile: join(logDir, `${options.name}-code-server.log`),
    settings: { 'workbench.colorTheme': 'Default Dark Modern', ...options.settings },
    env: { ...options.env, [PROBE_ENV]: portFile },
  });
  const hostLog: string[] = [];
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.exposeFunction('codeAutomationExit', () => {});
      await page.exposeFunction('codeAutomationLog', (level: string, message: string) => {
        hostLog.push(`${level} ${message}`);
        if (hostLog.length > 200) hostLog.shift();
      });
      await page.goto(
        workbenchUrl(server, { folder: options.workspace, extensionDevelopmentPath: repo, extensionTestsPath: probeBundle, disableExtensions: true }),
      );
      await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 });
      await page.waitForFunction(() => (globalThis as { driver?: unknown }).driver !== undefined, undefined, { timeout: 60_000 });
      await page.evaluate(() => (globalThis as unknown as { driver: { whenWorkbenchRestored(): Promise<void> } }).driver.whenWorkbenchRestored());
      await page.locator('.part.activitybar [aria-label^="Runlog"]').first().waitFor({ state: 'attached', timeout: 60_000 });
      const deadline = Date.now() + 60_000;
      while (!existsSync(portFile) || readFileSync(portFile, 'utf8') === '') {
        if (Date.now() > deadline) throw new Error(`the probe did not start in the extension host\n${hostLog.slice(-20).join('\n')}\n${server.logTail()}`);
        await sleep(50);
      }
      const port = Number(readFileSync(portFile, 'utf8'));
      const probe = async <R>(command: string, args: Record<string, unknown> = {}): Promise<R> => {
        const response = await fetch(`http://127.0.0.1:${port}/${command}`, { method: 'POST', body: JSON.stringify(args) });
        const result = (await response.json()) as R & { error?: string };
        if (!response.ok) throw new Error(`probe ${command} failed: ${result.error ?? response.status}`);
        return result;
      };
      const session: BenchSession = {
        page,
        probe,
        webviewFrame: () => page.locator('iframe.webview.ready').last().contentFrame().frameLocator('iframe#active-frame'),
        async screenshot(name) {
          const file = join(logDir, `${name}.png`);
          await page.screenshot({ path: file });
          return file;
        },
        logTail: () => [...hostLog.slice(-20), server.logTail()].join('\n'),
      };
      try {
        return await body(session);
      } catch (error) {
        await session.screenshot(`failed-${options.name}`).catch(() => undefined);
        throw error;
      } finally {
        await probe('done').catch(() => undefined);
      }
    } finally {
      await browser.close().catch(() => {});
    }
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
