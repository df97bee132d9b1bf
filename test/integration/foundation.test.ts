// The foundations every other editor test stands on, checked inside a real VS Code extension
// host: the extension activates, its commands exist, its native SQLite module loads in this
// host's Node, and a run page opens as a webview with a strict Content-Security-Policy.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import * as vscode from 'vscode';
import type { RunlogApi } from '../../src/extension/RunlogExtension';
import { contentSecurityPolicy } from '../../src/extension/webview/html';
import { RunBuilder } from '../fixtures/runBuilder';
import { eventually as waitFor } from './support';

const EXTENSION_ID = 'runlog.runlog';
const RUN_PAGE_VIEW_TYPE = 'runlog.runPage';

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host opened no workspace folder');
  return folder.uri.fsPath;
}

async function activated(): Promise<{ extension: vscode.Extension<RunlogApi>; api: RunlogApi }> {
  const extension = vscode.extensions.getExtension<RunlogApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the test host`);
  const api = await extension.activate();
  return { extension, api };
}

/** Resolves when `predicate` holds, polling; rejects with `what` after `ms`. */
function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  return waitFor(what, probe, ms, 100);
}

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(RUN_PAGE_VIEW_TYPE));
}

describe('Foundation', () => {
  it('activates the extension and returns its API', async () => {
    const { extension, api } = await activated();
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.storeDir, 'function');
    assert.equal(api.storeDir(), path.join(workspaceDir(), '.runlog'));
  });

  it('registers the run commands', async () => {
    await activated();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of ['runlog.startRun', 'runlog.stopRun', 'runlog.openRun']) {
      assert.ok(registered.has(command), `command ${command} is not registered`);
    }
  });

  it('registers a handler for every command its manifest contributes', async () => {
    const { extension } = await activated();
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed commands without a handler: ${missing.join(', ')}`);
  });

  it('loads the bundled better-sqlite3 in the extension host', async () => {
    const { extension } = await activated();
    // Exactly what dist/extension.js requires at run time: the copy beside the bundle.
    const modulePath = path.join(extension.extensionPath, 'dist', 'node_modules', 'better-sqlite3');
    assert.ok(existsSync(modulePath), `${modulePath} is missing: scripts/build.mjs copies it there`);
    const Database = createRequire(path.join(extension.extensionPath, 'package.json'))(modulePath) as typeof BetterSqlite3;
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (x REAL); INSERT INTO t VALUES (1.5), (2.5)');
      const row = db.prepare('SELECT sum(x) AS total, sqlite_version() AS version FROM t').get() as { total: number; version: string };
      assert.equal(row.total, 4);
      assert.match(row.version, /^3\.\d+\.\d+$/);
    } finally {
      db.close();
    }
  });

  it('indexes a run on disk through its store (SQLite inside the host)', async () => {
    const { api } = await activated();
    new RunBuilder(api.storeDir(), 'fixture', 'store0001')
      .init({ name: 'indexed-run-1' })
      .history(0, { loss: 1 })
      .history(1, { loss: 0.5 })
      .exit(0)
      .write();
    const store = await eventually('the store to open once .runlog exists', () => api.store());
    store.sync();
    const run = store.getRun('fixture/store0001');
    assert.ok(run, 'the store did not index fixture/store0001');
    assert.equal(run.name, 'indexed-run-1');
    assert.equal(run.state, 'finished');
    assert.ok(existsSync(path.join(api.storeDir(), 'index.sqlite')), 'no index.sqlite in the store folder');
  });

  it('opens a run page from Open Run with the run name as its title', async () => {
    const { api } = await activated();
    new RunBuilder(api.storeDir(), 'fixture', 'page0001').init({ name: 'page-run-1' }).history(0, { loss: 2 }).exit(0).write();
    const store = await eventually('the store', () => api.store());
    store.sync();
    await vscode.commands.executeCommand('runlog.openRun', 'fixture/page0001');
    const tab = await eventually('a run page tab', () => webviewTabs().find((t) => t.label === 'page-run-1'));
    assert.equal(tab.label, 'page-run-1');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('gives webviews a strict Content-Security-Policy', async () => {
    const { extension } = await activated();
    const panel = vscode.window.createWebviewPanel('runlog.test.csp', 'CSP', vscode.ViewColumn.Active, {
      localResourceRoots: [vscode.Uri.joinPath(extension.extensionUri, 'dist', 'webview')],
    });
    try {
      const policy = contentSecurityPolicy(panel.webview, 'bm9uY2Vub25jZW5vbmNlMQ==');
      const directives = new Map(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((parts) => parts[0])
          .map((parts) => [parts[0] as string, parts.slice(1)]),
      );
      assert.deepEqual(directives.get('default-src'), ["'none'"]);
      assert.deepEqual(directives.get('script-src'), ["'nonce-bm9uY2Vub25jZW5vbmNlMQ=='"]);
      // cspSource may be several sources (code-server: `'self' https://*.vscode-cdn.net`).
      const ownOrigin = new Set(panel.webview.cspSource.split(/\s+/));
      for (const [name, sources] of directives) {
        for (const source of sources) {
          assert.ok(!["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:'].includes(source), `${name} allows ${source}`);
          const allowed = source === "'none'" || source.startsWith("'nonce-") || source === 'data:' || ownOrigin.has(source);
          assert.ok(allowed, `${name} allows ${source}, which is not the webview's own origin (${panel.webview.cspSource})`);
        }
      }
    } finally {
      panel.dispose();
    }
  });
});
