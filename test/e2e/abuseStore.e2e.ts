// Faults that only the open editor can show, in a real VS Code: the index deleted, truncated or
// filled with garbage while a run page is open (rebuilt from the run files with the same
// content, and a notice says so); a run folder deleted while its page is open (the page says
// so); a full disk while the editor ingests (a clear error, nothing already stored changed,
// everything stored once space is back). The store lives on a small tmpfs mount when this
// runs as root; otherwise the full-disk step is left out and the test says so.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/core/store/Store';
import { RunBuilder } from '../fixtures/runBuilder';
import { snapshot } from '../fixtures/storeSnapshot';
import { eventually } from '../harness/eventually';
import { withVSCode, type VSCodeSession } from './harness';

const A = { project: 'proj', id: 'runaaaa1', name: 'run-alpha', key: 'proj/runaaaa1' };
const B = { project: 'proj', id: 'runbbbb1', name: 'run-beta', key: 'proj/runbbbb1' };
const FULL = { project: 'proj', id: 'fullrun1', steps: 60_000 };

let mounted: string | undefined;

function prepare(workspace: string): void {
  const store = join(workspace, '.runlog');
  mkdirSync(store, { recursive: true });
  if (process.platform === 'linux' && process.getuid?.() === 0 && process.env.RUNLOG_FAULTS_NO_MOUNT !== '1') {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', store], { stdio: 'ignore' });
      mounted = store;
    } catch {
      mounted = undefined;
    }
  }
  for (const run of [A, B]) {
    const b = new RunBuilder(store, run.project, run.id).init({ name: run.name, tags: ['kept'] }).config({ lr: 0.1 });
    for (let s = 0; s < 500; s++) b.history(s, { loss: 1 / (s + 1), acc: s / 500 });
    b.output('stdout', `hello from ${run.name}\n`).exit(0).write();
  }
}

/** What the index holds, read by a second, read-only connection from this process. */
function indexContent(workspace: string): unknown {
  const store = Store.open(join(workspace, '.runlog'), { readonly: true });
  try {
    return snapshot(store);
  } finally {
    store.close();
  }
}

async function notices(vscode: VSCodeSession): Promise<string[]> {
  await vscode.runCommand('Notifications: Show Notifications');
  const center = vscode.page.locator('.notifications-center');
  await center.waitFor({ state: 'visible' });
  const texts = await center.locator('.notification-list-item-message').allInnerTexts();
  await vscode.page.keyboard.press('Escape');
  return texts;
}

async function waitForNotice(vscode: VSCodeSession, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await notices(vscode);
    const hit = all.find((t) => pattern.test(t));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no notification matching ${pattern}; shown: ${JSON.stringify(all)}`);
    await vscode.page.waitForTimeout(500);
  }
}

/** The index file's size and whether it starts as an SQLite database does. */
function indexFileState(path: string): string {
  try {
    const head = readFileSync(path).subarray(0, 16).toString('latin1');
    return `${statSync(path).size} bytes, ${head === 'SQLite format 3\u0000' ? 'an SQLite header' : 'no SQLite header'}`;
  } catch (error) {
    return (error as Error).message;
  }
}

function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (let size = chunk.length; size >= 512; ) {
      try {
        writeSync(fd, chunk.subarray(0, size));
      } catch {
        size /= 2;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('Store faults with the editor open (end to end)', function () {
  this.timeout(1_200_000);

  it('rebuilds a deleted, truncated or garbage index with the same content and says so; shows a deleted run as deleted; reports a full disk and stores everything once space is back', async () => {
    await withVSCode({ name: 'abuse-store', prepareWorkspace: prepare }, async (vscode) => {
      const storeDir = join(vscode.workspace, '.runlog');
      const indexPath = join(storeDir, 'index.sqlite');
      try {
        await vscode.runCommandAndPick('Runlog: Open Run', A.name);
        const page = vscode.webviewFrame();
        await page.locator('h1.run-name', { hasText: A.name }).waitFor({ timeout: 60_000 });
        await page.locator('#panel-charts canvas[data-drawn="true"]').first().waitFor({ state: 'attached', timeout: 60_000 });
        const before = indexContent(vscode.workspace);

        const damages: [string, () => void, RegExp][] = [
          ['deleted', () => rmSync(indexPath), /deleted while Runlog had it open/],
          ['truncated', () => truncateSync(indexPath, Math.floor(statSync(indexPath).size / 2)), /truncated while Runlog had it open|could not be used|unreadable/],
          ['filled with garbage', () => writeFileSync(indexPath, Buffer.from('not a database at all '.repeat(3000))), /overwritten or emptied while Runlog had it open|could not be used|unreadable/],
        ];
        for (const [what, damage, reason] of damages) {
          const seen = (await notices(vscode)).filter((t) => /rebuilt its index/.test(t)).length;
          damage();
          const now = await eventually(
            `a notice after the index was ${what}`,
            async () => {
              const shown = await notices(vscode);
              const all = shown.filter((t) => /rebuilt its index/.test(t));
              if (all.length > seen) return all;
              // Not yet: what the failure will name if it never comes.
              throw new Error(`notices shown: ${JSON.stringify(shown)}; the index file now: ${indexFileState(indexPath)}; set aside: ${readdirSync(storeDir).filter((n) => n.includes('.corrupt-')).length}`);
            },
            120_000,
            250,
          );
          assert.equal(now.length, seen + 1, `${what}: ${JSON.stringify(now)}`);
          // The Notification Center lists the newest first.
          assert.match(now[0]!, /^Runlog rebuilt its index of .* from the run files \(2 runs\): /);
          assert.match(now[0]!, reason);
          // The same content, in a good file, and the open page still shows the run.
          // Each probe opens the index from this process: once every half second, not ten times a second.
          assert.deepEqual(await eventually(`the rebuilt index after ${what}`, () => indexContent(vscode.workspace), 120_000, 500), before, `the index rebuilt after it was ${what} differs`);
          assert.equal(await page.locator('h1.run-name').innerText(), A.name);
          assert.equal(await page.locator('body').evaluate((b) => (b as unknown as { classList: { contains(c: string): boolean } }).classList.contains('run-deleted')), false);
        }
        await vscode.screenshot('abuse-store-rebuilt');

        // --- the run folder deleted while its page is open ---
        rmSync(join(storeDir, 'projects', A.project, 'runs', A.id), { recursive: true, force: true });
        await page.getByText('This run was deleted', { exact: false }).first().waitFor({ timeout: 60_000 });
        await vscode.page.locator('.tabs-container .tab', { hasText: `${A.name} (deleted)` }).waitFor({ timeout: 60_000 });
        await vscode.screenshot('abuse-store-run-deleted');
        const afterDelete = indexContent(vscode.workspace) as { runs: { key: string }[] };
        assert.deepEqual(afterDelete.runs.map((r) => r.key), [B.key]);
        assert.deepEqual((afterDelete as { runs: unknown[] }).runs[0], (before as { runs: unknown[] }).runs.find((r) => (r as { key: string }).key === B.key));
        assert.deepEqual((await notices(vscode)).filter((t) => /error|could not|failed/i.test(t) && !/rebuilt/.test(t)), [], 'deleting a run folder made an error');

        // --- a full disk while the editor ingests ---
        if (!mounted) {
          console.log('      full disk: skipped (no tmpfs mount: not root, or mount failed)');
          return;
        }
        console.log('      full disk simulated with a 48 MB tmpfs mount holding the store, filled by a filler file');
        const beforeFull = indexContent(vscode.workspace);
        // The new run is written under a name the store ignores, the disk filled, then it appears.
        const staging = join(storeDir, 'projects', FULL.project, 'runs', '.staging');
        const big = new RunBuilder(storeDir, FULL.project, '.staging' as string);
        big.init({ name: 'after-full' }).writeHistoryBulk({ steps: FULL.steps, metrics: ['loss', 'acc', 'lr', 'grad'] });
        big.exit(0).write();
        fillDisk(join(storeDir, 'filler'));
        renameSync(staging, join(storeDir, 'projects', FULL.project, 'runs', FULL.id));
        const error = await waitForNotice(vscode, /Runlog could not store new data of run proj\/fullrun1: .*full/);
        assert.match(error, /Nothing stored before was changed; Runlog retries on every pass\./);
        assert.deepEqual(indexContent(vscode.workspace), beforeFull, 'the full disk changed what the index held');
        await vscode.screenshot('abuse-store-disk-full');
        rmSync(join(storeDir, 'filler'));
        const stored = await eventually(
          'the new run once space is back',
          () => {
            const s = Store.open(storeDir, { readonly: true });
            try {
              const n = s.getHistory(`${FULL.project}/${FULL.id}`, 'loss').steps.length;
              return n === FULL.steps ? s.getRun(`${FULL.project}/${FULL.id}`)!.state : undefined;
            } finally {
              s.close();
            }
          },
          // A big run ingested on a loaded machine; each probe opens the index from this process,
          // and a reader polling ten times a second keeps the WAL from being checkpointed on a
          // 48 MB disk: once a second.
          180_000,
          1_000,
        );
        assert.equal(stored, 'finished');
        const after = indexContent(vscode.workspace) as { runs: { key: string }[] };
        assert.deepEqual(after.runs.find((r) => r.key === B.key), (beforeFull as { runs: { key: string }[] }).runs.find((r) => r.key === B.key));
        assert.deepEqual(vscode.pageErrors, []);
      } finally {
        if (mounted) {
          try {
            execFileSync('umount', ['-l', mounted], { stdio: 'ignore' });
          } catch {
            // already gone
          }
          mounted = undefined;
        }
      }
    });
  });
});
