// End-to-end sessions: a real VS Code (code-server) with Runlog loaded in development mode, a
// fresh copy of the fixture workspace, and headless Chromium driving the workbench the way a
// person would: the command palette, the activity bar, tree rows, webviews, screenshots.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { eventually } from '../harness/eventually';
export { eventually };

export type Theme = 'Default Dark Modern' | 'Default Light Modern';

export interface VSCodeOptions {
  /** `workbench.colorTheme`; dark by default. */
  readonly theme?: Theme;
  /** More User settings. */
  readonly settings?: Record<string, unknown>;
  /** Runs before the folder is opened, e.g. to write fixture runs into `<workspace>/.runlog`. */
  readonly prepareWorkspace?: (workspace: string) => void | Promise<void>;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Extra environment for code-server and its extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** Names the screenshot taken when `body` fails (test-results/screenshots/failed-<name>.png). */
  readonly name?: string;
  /** Keep Workspace Trust on, so the folder opens untrusted (Restricted Mode). */
  readonly workspaceTrust?: boolean;
  /**
   * Packaged extensions (vsix files) installed beside Runlog in development mode, e.g. a test's
   * debugger stand-in. (A second development path is not an option: code-server loads only the
   * last one given.) Other installed extensions are then left enabled: there are no others.
   */
  readonly alsoInstall?: readonly string[];
  /** Install this packaged extension (code-server --install-extension) instead of loading the repository in development mode. */
  readonly vsix?: string;
}

export interface VSCodeSession {
  readonly page: Page;
  /** Absolute path of the opened workspace folder (a fresh temp copy). */
  readonly workspace: string;
  readonly port: number;
  /** code-server's extensions folder (where an installed vsix is unpacked). */
  readonly extensionsDir: string;
  /** Errors thrown in the workbench page, for tests that assert there were none. */
  readonly pageErrors: readonly string[];
  /** Runs a command from the palette by its full title, e.g. `Runlog: Open Run`. */
  runCommand(title: string): Promise<void>;
  /** Picks the quick-pick item whose label is `label` (after a command asked for one). */
  pickQuickItem(label: string): Promise<void>;
  /**
   * Runs a command that asks for one item and picks `label`. A quick pick closes when it loses
   * the focus, and a webview that finishes loading takes it: when the picker closes before the
   * pick is made, the command is run again (three tries), as a person would.
   */
  runCommandAndPick(title: string, label: string): Promise<void>;
  /**
   * Types `value` into the open prompt (an input box) and presses Enter, only while the prompt
   * has the focus; false when it closed or lost the focus first (nothing was answered: ask again).
   */
  answerPrompt(value: string): Promise<boolean>;
  /**
   * Opens a prompt with `open` and answers it with `value`, as a person would: a prompt that
   * closed or lost the focus before the answer (a live webview or tree can take it) is closed
   * with Escape and asked for again, up to three times; `what` names the prompt in the error.
   */
  askAndAnswer(open: () => Promise<void>, value: string, what: string): Promise<void>;
  /** Opens a view container from the activity bar by its title, e.g. `Runlog`. */
  openActivityContainer(title: string): Promise<void>;
  /**
   * Opens a workspace file (`examples/train.py`) by clicking through the Explorer, and waits for
   * its tab. Not Quick Open: its file search can stall for minutes on a loaded machine.
   */
  openFile(relativePath: string): Promise<void>;
  /** Waits until the side bar shows the view named `name` (as its title or a section header). */
  waitForView(name: string, timeoutMs?: number): Promise<void>;
  /** aria-labels of the rows of the tree views in the side bar. */
  treeRows(): Promise<string[]>;
  /** Waits until a side-bar tree row's aria-label contains `text`; fails listing the rows seen. */
  waitForTreeRow(text: string, timeoutMs?: number): Promise<string>;
  /**
   * Expands the tree row labelled exactly `label` (in the side bar, or in `scope`), by keyboard
   * as a person using it would, and waits until it reads expanded. Not by a click: a tree
   * redraws as the store changes (rows inserted above, live rows redrawn) and reuses a row's
   * element for another row, so a click can land on, and fold, a neighbour.
   */
  expandTreeRow(label: string, scope?: string): Promise<void>;
  /** The content frame of a webview: the one whose editor tab is active unless `index` is given. */
  webviewFrame(index?: number): FrameLocator;
  /** Saves a PNG of the whole window under test-results/screenshots/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Log lines code-server wrote (for failure messages). */
  logTail(): string;
  /** Reloads the window (as Developer: Reload Window would) and waits until it has restored. */
  reload(): Promise<void>;
  /**
   * Opens a second window on the same folder (another browser tab on the same code-server: its
   * own workbench and its own extension host, as a second VS Code window has). It closes with
   * the session.
   */
  openAnotherWindow(): Promise<VSCodeSession>;
}

const repo = join(__dirname, '..', '..');
/** The ceiling of a wait in the workbench that names none: generous, for a machine under load. */
export const DEFAULT_WAIT_MS = 60_000;
export const screenshotsDir = join(repo, 'test-results', 'screenshots');

interface WorkbenchDriver {
  whenWorkbenchRestored(): Promise<void>;
}

/** Starts a session, runs `body`, and always stops code-server and the browser. */
export async function withVSCode<T>(options: VSCodeOptions, body: (session: VSCodeSession) => Promise<T>): Promise<T> {
  const { startCodeServer, workbenchUrl } = await import('../../scripts/lib/codeServer.mjs');
  const { launchChromium } = await import('../../scripts/lib/browser.mjs');
  const { freshWorkspace } = await import('../../scripts/lib/workspace.mjs');

  const workspace = freshWorkspace();
  const logFile = join(repo, 'test-results', 'e2e', `${(options.name ?? 'session').replace(/[^\w.-]+/g, '-')}.log`);
  try {
    await options.prepareWorkspace?.(workspace.dir);
    const server = await startCodeServer({
      logFile,
      settings: { 'workbench.colorTheme': options.theme ?? 'Default Dark Modern', ...options.settings },
      env: { RUNLOG_TEST_WORKSPACE: workspace.dir, ...options.env },
      ...(options.workspaceTrust ? { workspaceTrust: true } : {}),
      ...(options.vsix || options.alsoInstall ? { vsixes: [...(options.vsix ? [options.vsix] : []), ...(options.alsoInstall ?? [])] } : {}),
    });
    const browser = await launchChromium();
    try {
      // The workbench's own errors and warnings (a provider that threw, a failed request), kept for a failure's logs.
      const consoleLines: string[] = [];
      const openWindow = async (): Promise<VSCodeSession> => {
        const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
        // A loaded machine is slow, not broken: every wait that names no ceiling gets a generous one.
        page.setDefaultTimeout(DEFAULT_WAIT_MS);
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        page.on('console', (message) => {
          if (message.type() !== 'error' && message.type() !== 'warning') return;
          consoleLines.push(`[${new Date().toISOString()}] ${message.type()} ${message.text()}`);
          if (consoleLines.length > 2000) consoleLines.splice(0, 1000);
        });
        // An installed vsix loads like any extension: no development path, other extensions on.
        // The workbench's first load is the heaviest moment of a session: the longest ceiling; its
        // readiness is waited for below, so the page's own load event need not be.
        await page.goto(
          workbenchUrl(server, options.vsix ? { folder: workspace.dir } : { folder: workspace.dir, extensionDevelopmentPath: repo, disableExtensions: !options.alsoInstall?.length }),
          { waitUntil: 'domcontentloaded', timeout: 180_000 },
        );
        await waitForWorkbench(page);
        // Screenshots are looked at per theme: make sure the one asked for is the one shown.
        const themeClass = (options.theme ?? 'Default Dark Modern').includes('Light') ? 'vs' : 'vs-dark';
        await page.locator(`.monaco-workbench.${themeClass}`).waitFor({ state: 'attached' });
        return createSession(page, workspace.dir, server.port, server.extensionsDir, pageErrors, server.logTail, openWindow);
      };
      const session = await openWindow();
      try {
        return await body(session);
      } catch (error) {
        const shot = await session.screenshot(`failed-${options.name ?? 'session'}`).catch(() => undefined);
        const logs = keepWorkbenchLogs(server.userDataDir, logFile.replace(/\.log$/, '-logs'), consoleLines);
        if (error instanceof Error) error.message += `${shot ? `\n  screenshot: ${shot}` : ''}\n  code-server log: ${logFile}${logs ? `\n  extension host and output logs: ${logs}` : ''}`;
        throw error;
      }
    } finally {
      await browser.close().catch(() => {});
      await server.stop();
    }
  } finally {
    workspace.remove();
  }
}

/**
 * Copies the session's log folder (the extension host's log, with the errors thrown by providers
 * such as code lenses, and every Output channel, Runlog's included) and the workbench's console
 * errors beside the code-server log: a failure's cause is often there, and the session's folder
 * is deleted when it stops.
 */
function keepWorkbenchLogs(userDataDir: string, to: string, consoleLines: readonly string[]): string | undefined {
  const from = join(userDataDir, 'logs');
  try {
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, 'workbench-console.log'), consoleLines.join('\n') + '\n');
    if (existsSync(from) && readdirSync(from).length > 0) cpSync(from, to, { recursive: true });
    return to;
  } catch {
    return undefined;
  }
}

async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 180_000 });
  await page.waitForFunction(() => (globalThis as { driver?: WorkbenchDriver }).driver !== undefined, undefined, { timeout: 120_000 });
  await page.evaluate(() => (globalThis as unknown as { driver: WorkbenchDriver }).driver.whenWorkbenchRestored());
  // The development extension's contributions (palette entries, views) arrive after the
  // workbench restores; its activity-bar entry shows they are in.
  await page.locator('.part.activitybar [aria-label^="Runlog"]').first().waitFor({ state: 'attached', timeout: 120_000 });
}

function createSession(page: Page, workspace: string, port: number, extensionsDir: string, pageErrors: string[], logTail: () => string, openAnotherWindow: () => Promise<VSCodeSession>): VSCodeSession {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('input.input');

  /** True while the quick input (a pick or a prompt) is open with the keyboard focus: Enter typed then reaches it. */
  async function quickInputFocused(): Promise<boolean> {
    if (!(await quickInput.isVisible())) return false;
    return quickInputBox.evaluate((input) => input === input.ownerDocument.activeElement).catch(() => false);
  }

  async function openPalette(): Promise<void> {
    await page.keyboard.press('F1');
    await quickInputBox.waitFor({ state: 'visible' });
  }

  /**
   * Picks the row labelled `label` of the open quick pick; false when the quick pick closed
   * (lost the focus) before the pick was made, so nothing was picked.
   */
  async function pickOnce(label: string): Promise<boolean> {
    await quickInputBox.waitFor({ state: 'visible' });
    const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      if (!(await quickInput.isVisible())) return false;
      throw error;
    }
    // The focused row is picked with Enter, as a person would: a list that re-renders (live
    // runs, a long label) never holds still long enough for a click's stability check.
    // (Not in a many-pick list, where Enter would accept the checked rows instead.) Enter is
    // only pressed while the input has the focus: pressed elsewhere it would pick nothing.
    const focused = ((await row.getAttribute('class')) ?? '').split(/\s+/).includes('focused');
    if (focused && (await row.locator('input[type=checkbox], .monaco-checkbox').count()) === 0) {
      if (!(await quickInput.isVisible())) return false;
      if (await quickInputFocused()) {
        await page.keyboard.press('Enter');
        return true;
      }
      // Open but the focus is elsewhere (its list, a webview): the row is clicked instead.
    }
    try {
      await row.click({ timeout: 20_000 });
      return true;
    } catch (error) {
      if (!(await quickInput.isVisible())) return false;
      throw error;
    }
  }

  return {
    page,
    workspace,
    port,
    extensionsDir,
    pageErrors,
    logTail,
    openAnotherWindow,

    async runCommand(title) {
      await openPalette();
      await quickInputBox.fill(`>${title}`);
      // The row appears once the palette has matched the typed title; Enter runs the first row.
      const row = quickInput.locator('.monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible' });
      await quickInputBox.press('Enter');
    },

    async pickQuickItem(label) {
      if (!(await pickOnce(label))) throw new Error(`the quick pick closed before "${label}" could be picked`);
    },

    async answerPrompt(value) {
      await quickInputBox.fill(value);
      if (!(await quickInputFocused())) return false;
      await page.keyboard.press('Enter');
      return true;
    },

    async askAndAnswer(open, value, what) {
      for (let attempt = 1; ; attempt++) {
        await open();
        await quickInputBox.waitFor({ state: 'visible', timeout: 120_000 });
        if (await this.answerPrompt(value)) return;
        if (attempt === 3) throw new Error(`${what} lost the focus three times before its answer could be given`);
        await page.keyboard.press('Escape');
        await quickInputBox.waitFor({ state: 'hidden' });
      }
    },

    async runCommandAndPick(title, label) {
      for (let attempt = 1; ; attempt++) {
        await this.runCommand(title);
        if (await pickOnce(label)) return;
        if (attempt === 3) throw new Error(`the "${title}" quick pick closed three times before "${label}" could be picked`);
      }
    },

    async openActivityContainer(title) {
      const item = page.locator(`.part.activitybar [aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
      await item.waitFor({ state: 'visible' });
      const expanded = await item.getAttribute('aria-expanded');
      const checked = await item.getAttribute('aria-checked');
      if (expanded !== 'true' && checked !== 'true') await item.click();
      await page.locator('.part.sidebar').waitFor({ state: 'visible' });
    },

    async openFile(relativePath) {
      // Shown, never toggled: clicking the Explorer's activity item while the workbench is still
      // restoring can hide the side bar instead.
      const tree = page.locator('.explorer-folders-view');
      if (!(await tree.isVisible())) await this.runCommand('View: Show Explorer');
      await tree.waitFor({ state: 'visible' });
      const parts = relativePath.split('/');
      for (const [i, name] of parts.entries()) {
        const row = page
          .locator(`.explorer-folders-view .monaco-list-row[aria-level="${i + 1}"]`)
          .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) })
          .first();
        await row.waitFor({ state: 'visible' });
        const folder = i < parts.length - 1;
        // A file is double-clicked, as a person opens one to work in it: pinned, with the focus in
        // its editor, so the editor is the active one for the extension too (a single click leaves
        // the focus in the tree and Start Run from the palette then asked which script).
        if (!folder) await row.dblclick();
        else await this.expandTreeRow(name, `.explorer-folders-view`);
      }
      await page.locator('.tab.active', { hasText: parts.at(-1)! }).waitFor({ state: 'visible' });
      if (!relativePath.endsWith('.ipynb')) await page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'visible' });
    },

    async waitForView(name, timeoutMs = DEFAULT_WAIT_MS) {
      // A container with one view titles the side bar "Container: View" and hides the section header.
      const asTitle = page.locator('.part.sidebar .composite.title .title-label', { hasText: `: ${name}` });
      const asSection = page.locator('.part.sidebar .pane-header:not(.hidden)', { hasText: name });
      await asTitle.or(asSection).first().waitFor({ state: 'visible', timeout: timeoutMs });
    },

    async expandTreeRow(label, scope = '.part.sidebar') {
      // Relative locators: `has` and a chained locator resolve inside the element they start from.
      const labelled = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
      const list = page.locator(`${scope} .monaco-list`).filter({ has: labelled }).first();
      const row = list.locator(labelled).first();
      await row.waitFor({ state: 'visible', timeout: 120_000 });
      const focusedRow = list.locator('.monaco-list-row.focused').first();
      await eventually(`the tree row "${label}" to read expanded`, async () => {
        if ((await row.getAttribute('aria-expanded')) === 'true') return true;
        // The list takes the keyboard focus without a click (a click could fold another row).
        if (!(await list.evaluate((element) => element.contains(element.ownerDocument.activeElement)))) await list.focus();
        if ((await focusedRow.count()) === 0) {
          await page.keyboard.press('Home');
          return false;
        }
        const [at, to] = await Promise.all([focusedRow.getAttribute('data-index'), row.getAttribute('data-index')]);
        if (at === to) {
          // The focused row is the one: → opens it (and only it: it is folded).
          await page.keyboard.press('ArrowRight');
          await row.and(page.locator('[aria-expanded="true"]')).waitFor({ timeout: 3000 }).catch(() => undefined);
        } else {
          await page.keyboard.press(Number(at) < Number(to) ? 'ArrowDown' : 'ArrowUp');
        }
        return false;
      }, 120_000, 50);
    },

    async treeRows() {
      const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
      return (await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''))).filter(Boolean);
    },

    async waitForTreeRow(text, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await this.treeRows();
        const match = rows.find((label) => label.includes(text));
        if (match !== undefined) return match;
        if (Date.now() > deadline) throw new Error(`no tree row contains "${text}"; rows: ${JSON.stringify(rows)}`);
        await page.waitForTimeout(250);
      }
    },

    webviewFrame(index) {
      const frames = page.locator('iframe.webview.ready');
      const host = index === undefined ? frames.last() : frames.nth(index);
      return host.contentFrame().frameLocator('iframe#active-frame');
    },

    async reload() {
      await page.reload({ timeout: 180_000 });
      await waitForWorkbench(page);
    },

    async screenshot(name) {
      mkdirSync(screenshotsDir, { recursive: true });
      const file = join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  };
}

interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> } } | null;
}

/**
 * For `locator.evaluate()` on a canvas: how many of its pixels are not fully transparent (> 0
 * once chart.js has drawn). An arrow with no named inner function, so the source playwright
 * sends to the page needs none of the compiler's helpers.
 */
export const paintedPixels = (element: unknown): number => {
  const canvas = element as CanvasLike;
  const context = canvas.getContext('2d');
  if (!context || canvas.width === 0 || canvas.height === 0) return 0;
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
  return painted;
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
