// The extension host killed (SIGKILL) while it ingests, in the real VS Code of the harness, and
// restarted, several times: a large run is being indexed when the workspace opens and a live run
// keeps appending. Once it has settled, the index holds exactly what the run files hold: no
// point or output line lost, none doubled.

import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricKeyInfo } from '../../src/core/model';
import { Store } from '../../src/core/store/Store';
import { withVSCode, type VSCodeSession } from '../e2e/harness';
import { RunBuilder, thisProcess } from '../fixtures/runBuilder';
import { historyInFile, readRunFile, ROOT } from './lib/sdk';

const KILLS = Number(process.env.RUNLOG_FAULTS_HOST_KILLS ?? 4);
const BIG = { project: 'big', id: 'bigrun01', steps: 150_000, metrics: ['loss', 'acc', 'lr', 'grad/norm'] };
const LIVE = { project: 'big', id: 'liverun1' };

function prepare(workspace: string): void {
  const store = join(workspace, '.runlog');
  const big = new RunBuilder(store, BIG.project, BIG.id).init({ name: 'big-run' });
  // Alerts are records that are not keyed by step or line: a slice ingested twice would show twice.
  for (let i = 0; i < 25; i++) big.alert(`alert ${i}`, 'before the history');
  big.writeHistoryBulk({ steps: BIG.steps, metrics: BIG.metrics });
  for (let i = 25; i < 50; i++) big.alert(`alert ${i}`, 'after the history');
  for (let i = 0; i < 20_000; i++) big.output('stdout', `line ${i}\n`);
  big.exit(0).write();
  new RunBuilder(store, LIVE.project, LIVE.id).now().init({ name: 'live-run', ...thisProcess() }).history(0, { loss: 1 }).write();
}

/** The extension host of this session: the process whose environment names its workspace. */
function extensionHostPid(workspace: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.includes('--type=extensionHost')) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\u0000');
      if (env.includes(`RUNLOG_TEST_WORKSPACE=${workspace}`)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

async function until<T>(what: string, probe: () => T | undefined | false, ms: number, stepMs = 20): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

function walBytes(store: string): number {
  try {
    return statSync(join(store, 'index.sqlite-wal')).size;
  } catch {
    return 0;
  }
}

/** Points of a run in the index, read by a second, read-only connection (undefined while not there). */
function indexed(store: string, key: string, metric: string): number | undefined {
  if (!existsSync(join(store, 'index.sqlite'))) return undefined;
  let s: Store | undefined;
  try {
    s = Store.open(store, { readonly: true });
    return s.getHistory(key, metric).steps.length;
  } catch {
    return undefined;
  } finally {
    s?.close();
  }
}

const restarts: string[] = [];

async function restartHost(vscode: VSCodeSession, killed: number): Promise<number> {
  // VS Code may restart a host that died by itself; if it does not, ask as a person would.
  const again = await until('a new extension host', () => {
    const pid = extensionHostPid(vscode.workspace);
    return pid !== undefined && pid !== killed ? pid : undefined;
  }, 8_000, 200).catch(() => undefined);
  if (again) {
    restarts.push('by itself');
    return again;
  }
  // VS Code says the host terminated unexpectedly and offers to restart it: press that button.
  await vscode.runCommand('Notifications: Show Notifications');
  const restart = vscode.page.locator('.notifications-center .monaco-button', { hasText: /Restart/ }).first();
  const offered = await restart.waitFor({ state: 'visible', timeout: 60_000 }).then(() => true, () => false);
  if (offered) await restart.click();
  else await vscode.runCommand('Developer: Reload Window');
  restarts.push(offered ? 'from the notification\'s Restart button' : 'by reloading the window');
  return until('a restarted extension host', () => {
    const pid = extensionHostPid(vscode.workspace);
    return pid !== undefined && pid !== killed ? pid : undefined;
  }, 60_000, 200);
}

export const figures = { hostKills: 0, pointsChecked: 0, linesChecked: 0 };

describe('faults: the extension host killed mid-ingest (real VS Code)', function () {
  this.timeout(20 * 60_000);

  it(`${KILLS} SIGKILLs of the extension host while it ingests lose no point and double none`, async () => {
    await withVSCode({ name: 'faults-host-kill', prepareWorkspace: prepare }, async (vscode) => {
      const store = join(vscode.workspace, '.runlog');
      const liveEvents = join(store, 'projects', LIVE.project, 'runs', LIVE.id, 'events.jsonl');
      const liveOutput = join(store, 'projects', LIVE.project, 'runs', LIVE.id, 'output.jsonl');
      let liveStep = 1;
      const appendLive = (n: number) => {
        let events = '';
        let output = '';
        for (let i = 0; i < n; i++, liveStep++) {
          const ts = Date.now() / 1000;
          events += `{"type":"history","ts":${ts},"step":${liveStep},"data":{"loss":${1 / (liveStep + 1)}}}\n`;
          output += `{"ts":${ts},"stream":"stdout","text":"live ${liveStep}\\n"}\n`;
        }
        appendFileSync(liveEvents, events);
        appendFileSync(liveOutput, output);
      };
      const kills: string[] = [];
      for (let k = 0; k < KILLS; k++) {
        const host = await until('the extension host', () => extensionHostPid(vscode.workspace), 60_000, 100);
        if (k > 0) {
          // More to ingest after each restart: a burst on the live run and, every other time, a new big run.
          appendLive(2000);
          if (k % 2 === 0) {
            const extra = new RunBuilder(store, BIG.project, `extra${k}00`).now().init({ name: `extra-${k}` });
            extra.writeHistoryBulk({ steps: 60_000, metrics: ['loss', 'acc'] });
            extra.exit(0).write();
          }
        }
        // Kill while the index is being written: the write-ahead log has grown since this round began.
        let last = walBytes(store);
        const writing = await until(
          'ingest to be under way',
          () => {
            const now = walBytes(store);
            const growing = now !== last;
            last = now;
            return growing;
          },
          30_000,
          10,
        ).catch(() => false);
        process.kill(host, 'SIGKILL');
        kills.push(`kill ${k + 1}: pid ${host}, ${writing ? 'while the index was being written' : 'index idle'} (write-ahead log ${walBytes(store)} bytes)`);
        figures.hostKills++;
        await restartHost(vscode, host);
      }
      appendLive(500);
      console.log(`      ${kills.join('; ')}`);
      console.log(`      restarted: ${restarts.join(', ')}`);

      // Settle: everything in the files reaches the index.
      const runs = readdirSync(join(store, 'projects', BIG.project, 'runs'));
      await until(
        'the index to hold every point of every run',
        () =>
          runs.every((id) => {
            const expected = historyInFile(join(store, 'projects', BIG.project, 'runs', id, 'events.jsonl'), 'loss').size;
            return indexed(store, `${BIG.project}/${id}`, 'loss') === expected;
          }),
        180_000,
        1000,
      );
      const index = Store.open(store, { readonly: true });
      try {
        for (const id of runs) {
          const dir = join(store, 'projects', BIG.project, 'runs', id);
          const key = `${BIG.project}/${id}`;
          const run = index.getRun(key);
          assert.ok(run, `${key} is missing`);
          for (const metric of run.metrics.map((m) => m.key)) {
            const inFile = historyInFile(join(dir, 'events.jsonl'), metric);
            const stored = index.getHistory(key, metric);
            assert.equal(stored.steps.length, inFile.size, `${key} ${metric}: ${stored.steps.length} points stored, ${inFile.size} in the file`);
            assert.equal(new Set(stored.steps).size, stored.steps.length, `${key} ${metric}: a point stored twice`);
            assert.deepEqual(new Map(stored.steps.map((s, j) => [s, stored.values[j]])), inFile, `${key} ${metric} differs from its file`);
            // The per-metric figures the explorer and the charts use agree with the points.
            const info: MetricKeyInfo = run.metrics.find((m) => m.key === metric)!;
            assert.equal(info.count, inFile.size, `${key} ${metric}: count ${info.count}, ${inFile.size} points`);
            assert.equal(info.lastStep, [...inFile.keys()].reduce((m, s) => Math.max(m, s), -1));
            figures.pointsChecked += stored.steps.length;
          }
          const lines = readRunFile(join(dir, 'output.jsonl')).records.length;
          assert.equal(run.outputLines, lines, `${key}: ${run.outputLines} output lines stored, ${lines} in the file`);
          const texts = index.readOutput(key, 0, lines + 10).map((l) => l.text);
          assert.equal(texts.length, lines);
          assert.equal(new Set(texts).size, texts.length, `${key}: an output line stored twice`);
          figures.linesChecked += lines;
          const alerts = readRunFile(join(dir, 'events.jsonl')).records.filter((r) => r.type === 'alert').length;
          assert.equal(run.alerts.length, alerts, `${key}: ${run.alerts.length} alerts stored, ${alerts} in the file`);
          assert.deepEqual(run.problems, [], `${key}: ${JSON.stringify(run.problems)}`);
        }
      } finally {
        index.close();
      }
      mkdirSync(join(ROOT, 'test-results', 'faults'), { recursive: true });
      writeFileSync(join(ROOT, 'test-results', 'faults', 'host-kill.json'), JSON.stringify(figures, null, 2) + '\n');
      console.log(`      extension host killed ${figures.hostKills} times; ${figures.pointsChecked} points and ${figures.linesChecked} output lines checked`);
    });
  });
});
