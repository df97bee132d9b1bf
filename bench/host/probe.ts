// The benchmark's hand inside the real extension host. Loaded like an integration suite (the
// `extensionTestsPath` of the workbench URL), it does not test anything: it serves a tiny HTTP
// API on 127.0.0.1 so the bench runner (bench/ui) can read what only the host knows (activation
// time, RSS, the store's query times) and issue commands with a clock started right before
// them, while Playwright watches the workbench. `run()` resolves when the runner says `done`.
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { RunlogApi } from '../../src/extension/RunlogExtension';
import type { RunPagePanel } from '../../src/extension/runPage/RunPagePanel';
import { PROBE_ENV } from './env';

const EXTENSION_ID = 'runlog.runlog';

type Api = RunlogApi & { readonly activationMs?: number };
type Handler = (args: Record<string, unknown>) => Promise<unknown> | unknown;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function firstChart(page: RunPagePanel, timeoutMs: number): Promise<number> {
  const drawn = page.firstChartMs;
  if (drawn !== undefined) return Promise.resolve(drawn);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`run page ${page.key} drew no chart within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = page.onDidDrawFirstChart((ms) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(ms);
    });
  });
}

/** A full garbage collection on demand (the host is not started with --expose-gc). */
function fullGc(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const wasActive = extension.isActive;
  const api = extension.isActive ? extension.exports : await extension.activate();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const memory = () => {
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
  };

  const handlers: Record<string, Handler> = {
    /** Activation as the extension measured it, and the bundle's require() time measured here. */
    info: () => {
      const bundle = join(extension.extensionPath, 'dist', 'extension.js');
      const load = createRequire(bundle);
      const requireMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        delete load.cache[load.resolve(bundle)];
        const t0 = performance.now();
        load(bundle);
        requireMs.push(performance.now() - t0);
      }
      return { activationMs: api.activationMs ?? null, activatedAtStartup: wasActive, requireMs, pid: process.pid, node: process.versions.node, memory: memory() };
    },
    /** Opens the store now if nothing has yet (it opens lazily); returns how long that took. */
    openStore: () => {
      const t0 = performance.now();
      const store = api.store();
      return { ms: performance.now() - t0, open: store !== undefined, dir: api.storeDir() };
    },
    /** Runs a command; `t0` (epoch ms) is taken right before it is issued. */
    command: async (args) => {
      const id = String(args.id);
      const rest = Array.isArray(args.args) ? args.args : [];
      const t0 = performance.timeOrigin + performance.now();
      await vscode.commands.executeCommand(id, ...rest);
      return { t0, t1: performance.timeOrigin + performance.now() };
    },
    /** A filter query on the store the extension has open, `repeat` times. */
    filter: (args) => {
      const store = api.store();
      if (!store) throw new Error('no store open');
      const filter = String(args.filter);
      const repeat = Number(args.repeat ?? 9);
      let matches = 0;
      const ms: number[] = [];
      for (let i = 0; i < repeat; i++) {
        // What a filtered explorer or compare page asks: the first page and the count.
        const t0 = performance.now();
        store.listRuns(undefined, { filter, limit: 100 });
        matches = store.count(undefined, filter);
        ms.push(performance.now() - t0);
      }
      return { median: median(ms), all: ms, matches, runs: store.count() };
    },
    /** The extension's own share of showing the explorer: reading the store into the tree, and every row's TreeItem. */
    explorerCost: () => {
      const explorer = api.editor().explorer;
      const t0 = performance.now();
      explorer.refresh();
      const t1 = performance.now();
      let nodes = 0;
      const walk = (parent?: Parameters<typeof explorer.getChildren>[0]): void => {
        for (const child of explorer.getChildren(parent)) {
          nodes++;
          explorer.getTreeItem(child);
          if (child.kind !== 'run') walk(child);
        }
      };
      walk();
      return { refreshMs: t1 - t0, treeItemsMs: performance.now() - t1, nodes };
    },
    /** Opens run pages one after another, each once its first chart is drawn. */
    openPages: async (args) => {
      const keys = (args.keys as string[]) ?? [];
      const timeoutMs = Number(args.timeoutMs ?? 60_000);
      const firstChartMs: number[] = [];
      for (const key of keys) {
        const page = api.runPages().show(key);
        firstChartMs.push(await firstChart(page, timeoutMs));
      }
      return { firstChartMs };
    },
    closeAll: async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitUntil('every page to close', () => api.runPages().panels.length === 0 && api.comparePages().panels.length === 0, 30_000);
      return { ok: true };
    },
    /** The host's memory after `settleMs` of quiet; with `gc`, after two full collections first. */
    memory: async (args) => {
      await sleep(Number(args.settleMs ?? 0));
      if (args.gc) {
        const collect = fullGc();
        collect();
        await sleep(50);
        collect();
      }
      return memory();
    },
    done: () => {
      setTimeout(finish, 50);
      return { ok: true };
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = (req.url ?? '/').slice(1);
      const handler = handlers[name];
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!handler) return reply(404, { error: `no probe command ${name}` });
      let args: Record<string, unknown> = {};
      try {
        args = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch (error) {
        return reply(400, { error: String(error) });
      }
      Promise.resolve()
        .then(() => handler(args))
        .then(
          (result) => reply(200, result ?? {}),
          (error: unknown) => reply(500, { error: error instanceof Error ? error.stack ?? error.message : String(error) }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const portFile = process.env[PROBE_ENV];
  if (!portFile || typeof address !== 'object' || address === null) throw new Error(`${PROBE_ENV} is not set`);
  writeFileSync(portFile, String(address.port));
  try {
    await finished;
  } finally {
    server.close();
  }
}
