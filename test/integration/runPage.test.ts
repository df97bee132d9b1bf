// The run page's host side inside a real VS Code: the panel opened from Open Run and titled
// with the run, the messages it posts for known data (snapshot, bucketed series, lines,
// matches, zoom), the page's own webview drawing its first chart, edits reaching the store,
// file actions that never leave the run directory, live deltas, and a run deleted while shown.
import * as assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tabTitle } from '../../src/common/displayText';
import type { HostToRunPage, RunPageToHost } from '../../src/common/runPageProtocol';
import type { RunKey, RunlogStore } from '../../src/core/model';
import type { RunPagePanel } from '../../src/extension/runPage/RunPagePanel';
import { LIVE_INTERVAL_MS } from '../../src/extension/runPage/RunPagePanel';
import type { RunlogApi } from '../../src/extension/RunlogExtension';
import { RunBuilder, runDir } from '../fixtures/runBuilder';
import { appendLive, DEFINED, LIVE, RICH, RICH_OUTPUT_LINES, writeDefinedMetricsRun, writeLiveRun, writeRichRun, writeXssRun, XSS, XSS_TEXT } from '../fixtures/webviewRuns';
import { eventually as waitFor } from './support';

const EXTENSION_ID = 'runlog.runlog';
const LONG = { key: 'longrun/long0001', steps: 200_000 } as const;

let api: RunlogApi;

function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  return waitFor(what, probe, ms, 50);
}

function store(): RunlogStore {
  const s = api.store();
  assert.ok(s, 'the store is not open');
  return s;
}

/** Opens a run page through the command and records what it posts from then on. */
async function open(key: RunKey): Promise<{ page: RunPagePanel; posted: HostToRunPage[] }> {
  const posted: HostToRunPage[] = [];
  const sub = api.runPages().onDidOpen((p) => p.key === key && p.onDidPost((m) => posted.push(m)));
  try {
    await vscode.commands.executeCommand('runlog.openRun', { key });
  } finally {
    sub.dispose();
  }
  const page = api.runPages().get(key);
  assert.ok(page, `no run page for ${key}`);
  return { page, posted };
}

function find<T extends HostToRunPage['type']>(posted: HostToRunPage[], type: T, where: (m: Extract<HostToRunPage, { type: T }>) => boolean = () => true) {
  return posted.filter((m): m is Extract<HostToRunPage, { type: T }> => m.type === type).find(where);
}

async function receive<T extends HostToRunPage['type']>(posted: HostToRunPage[], type: T, where?: (m: Extract<HostToRunPage, { type: T }>) => boolean) {
  return eventually(`a ${type} message`, () => find(posted, type, where));
}

/** Sends a message as the page's webview would, through the same validation. */
async function send(page: RunPagePanel, message: RunPageToHost): Promise<void> {
  await page.handle(message);
}

function openTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.fsPath : t.label));
}

describe('Run page', function () {
  this.timeout(240_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<RunlogApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    const dir = api.storeDir();
    writeRichRun(dir);
    writeXssRun(dir);
    writeLiveRun(dir);
    new RunBuilder(dir, 'longrun', 'long0001').init({ name: 'long-run' }).write().writeHistoryBulk({ steps: LONG.steps, metrics: ['loss', 'acc'] });
    new RunBuilder(dir, 'longrun', 'long0001').exit(0).write();
    await eventually('the store to index the fixture runs', () => {
      const s = api.store();
      s?.sync();
      return s?.getRun(RICH.key) && s.getRun(LONG.key) && s.getRun(LIVE.key);
    }, 60_000);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from Open Run in a panel titled with the run name, and its webview draws the first chart', async () => {
    const { page, posted } = await open(RICH.key);
    assert.equal(page.panel.title, RICH.name);
    assert.equal(page.panel.viewType, 'runlog.runPage');
    const snapshot = await receive(posted, 'snapshot');
    assert.equal(snapshot.run.name, RICH.name);
    assert.equal(snapshot.run.meta.author, 'nico');
    assert.equal(snapshot.run.meta.git?.commit, '3f9c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f');
    assert.equal(snapshot.run.config['optimizer/name'], 'adam');
    assert.deepEqual(snapshot.run.tags, ['baseline', 'cnn']);
    assert.equal(snapshot.run.outputLines, RICH_OUTPUT_LINES);
    assert.deepEqual(snapshot.run.metrics.map((m) => m.key).sort(), ['epoch', 'train/acc', 'train/grad_norm', 'train/loss', 'train/lr', 'val/acc', 'val/loss']);
    // The real webview asks for the charts in view (charts below are asked for as they scroll in).
    const shown = await receive(posted, 'series', (m) => m.scope === 'history');
    assert.ok(shown.series.length > 0 && shown.series.length < 7, shown.series.map((s) => s.key).join(', '));
    await send(page, { type: 'requestSeries', scope: 'history', keys: ['train/loss'] });
    const series = await receive(posted, 'series', (m) => m.series.length === 1 && m.series[0]!.key === 'train/loss');
    const loss = series.series[0]!;
    assert.equal(loss.totalPoints, 2000);
    assert.ok(loss.values instanceof Float64Array);
    assert.equal(Math.max(...loss.values), 9.5, 'the spike at step 1234 is sent');
    const ms = await eventually('the first chart drawn', () => page.firstChartMs !== undefined && page.firstChartMs);
    assert.ok(ms >= 0);
  });

  it('reuses the panel of a run that is already open', async () => {
    const first = await open(RICH.key);
    await vscode.commands.executeCommand('runlog.openRun', RICH.key);
    assert.equal(api.runPages().get(RICH.key), first.page);
    assert.equal(api.runPages().panels.filter((p) => p.key === RICH.key).length, 1);
  });

  it('sends a long history as min/max buckets and a zoomed range at full resolution', async () => {
    const { page, posted } = await open(LONG.key);
    await receive(posted, 'snapshot');
    await send(page, { type: 'requestSeries', scope: 'history', keys: ['loss', 'acc', 'not-a-metric'] });
    const series = await receive(posted, 'series', (m) => m.series.length === 2);
    for (const s of series.series) {
      assert.ok(s.downsampled);
      assert.ok(s.steps.length <= 2000 && s.steps.length > 1000, `${s.key}: ${s.steps.length} points`);
      assert.equal(s.totalPoints, LONG.steps);
    }
    await send(page, { type: 'zoom', requestId: 7, scope: 'history', keys: ['loss'], fromStep: 1000, toStep: 2999 });
    const zoom = await receive(posted, 'zoomData', (m) => m.requestId === 7);
    const z = zoom.series[0]!;
    assert.equal(z.downsampled, false);
    assert.equal(z.steps.length, 2000);
    assert.equal(z.steps[0], 1000);
    assert.equal(z.steps[1999], 2999);
  });

  it('charts no key define_metric hides, and fetches the step_metric as the x axis of the keys it defines (W&B)', async () => {
    // define_metric("epoch", hidden=True); define_metric("val/*", step_metric="epoch");
    // define_metric("debug/noise", hidden=True): docs.wandb.ai/guides/track/log/customize-logging-axes
    writeDefinedMetricsRun(api.storeDir());
    await eventually('the store to index the run', () => {
      store().sync();
      return store().getRun(DEFINED.key);
    });
    // A short editor, as after a run in a terminal: the panel below leaves room for one row of
    // charts, so val/acc's is out of view until it is brought in.
    await vscode.commands.executeCommand('workbench.action.focusPanel');
    try {
      const { posted } = await open(DEFINED.key);
      const snapshot = await receive(posted, 'snapshot');
      const byKey = new Map(snapshot.run.metrics.map((m) => [m.key, m]));
      assert.equal(byKey.get('val/acc')?.stepMetric, 'epoch');
      assert.equal(byKey.get('debug/noise')?.hidden, true);
      assert.equal(byKey.get('epoch')?.hidden, true);
      // The webview asks for the series of the charts in view, and of their x axes.
      const fetched = (): Set<string> => new Set(posted.flatMap((m) => (m.type === 'series' && m.scope === 'history' ? m.series.map((s) => s.key) : [])));
      // The top chart is train/loss; were hidden keys charted, epoch's and debug/noise's would come
      // first (their sections, Charts and debug, sort before train).
      await eventually('the webview to fetch its top chart, train/loss', () => fetched().has('train/loss'));
      // val/acc's chart opened as its code lens opens it: scrolled into view.
      await vscode.commands.executeCommand('runlog.revealMetric', DEFINED.key, 'val/acc');
      await eventually('the webview to fetch val/acc and epoch (the x axis of val/acc) once val/acc is in view', () => {
        const keys = fetched();
        return keys.has('val/acc') && keys.has('epoch');
      });
      assert.equal(fetched().has('debug/noise'), false, 'a hidden key gets no chart, so its series is never asked for');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }
  });

  it('serves the overview, system, logs, files and artifacts tabs from the store', async () => {
    const { page, posted } = await open(RICH.key);
    const snapshot = await receive(posted, 'snapshot');
    const run = snapshot.run;
    assert.deepEqual(run.files.map((f) => f.path).filter((p) => p.startsWith('files/')).sort(), ['files/checkpoints/epoch-19.pt', 'files/config.yaml', 'files/requirements.txt']);
    assert.deepEqual(run.artifacts.map((a) => `${a.direction}:${a.name}:${a.version}`).sort(), ['input:mnist-train:v3', 'output:model:v0']);
    assert.ok(run.systemMetrics.includes('gpu/1/power_w'));

    await send(page, { type: 'requestSeries', scope: 'system', keys: ['cpu/percent', 'gpu/0/utilization', 'gpu/1/utilization'] });
    const system = await receive(posted, 'series', (m) => m.scope === 'system' && m.series.length === 3);
    assert.deepEqual(system.series.map((s) => s.steps.length), [60, 60, 60]);

    await send(page, { type: 'requestLines', from: 0, count: 500 });
    const lines = await receive(posted, 'lines', (m) => m.from === 0);
    assert.equal(lines.lines.length, RICH_OUTPUT_LINES);
    assert.equal(lines.lines[25]!.stream, 'stderr');

    await send(page, { type: 'searchLogs', requestId: 3, query: 'userwarning' });
    const matches = await receive(posted, 'logMatches', (m) => m.requestId === 3);
    assert.deepEqual(matches.lines, [25, 75, 125, 175, 225, 275, 325, 375]);
    assert.equal(matches.limited, false);
  });

  it('opens the output in a read-only editor without escape codes', async () => {
    const { page, posted } = await open(RICH.key);
    await receive(posted, 'snapshot');
    await send(page, { type: 'logAction', action: 'openInEditor' });
    const editor = await eventually('the output editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'runlog-output'));
    const text = editor.document.getText();
    assert.equal(editor.document.lineCount, RICH_OUTPUT_LINES + 1);
    assert.ok(text.startsWith('Runlog: run glowing-sunset-7 started\n'), text.slice(0, 80));
    assert.ok(!text.includes('\u001b'));
  });

  it('saves notes and tags edited on the page to the store and shows them', async () => {
    const { page, posted } = await open(RICH.key);
    await receive(posted, 'snapshot');
    await send(page, { type: 'setNotes', notes: 'Edited in the page' });
    await send(page, { type: 'setTags', tags: ['baseline', 'reviewed'] });
    // Each edit reaches the page as a patch of the fields it changed (one patch when both land in one tick).
    await receive(posted, 'runPatch', (m) => m.fields.notes === 'Edited in the page');
    const updated = await receive(posted, 'runPatch', (m) => m.fields.tags?.includes('reviewed') ?? false);
    assert.deepEqual(updated.fields.tags, ['baseline', 'reviewed']);
    store().sync();
    assert.equal(store().getRun(RICH.key)!.notes, 'Edited in the page');
  });

  it('opens files of the run, and nothing outside it whatever the message says', async () => {
    const dir = runDir(api.storeDir(), RICH.project, RICH.id);
    const outside = path.join(realpathSync(tmpdir()), `runlog-secret-${process.pid}.txt`);
    writeFileSync(outside, 'secret');
    mkdirSync(path.join(dir, 'files'), { recursive: true });
    symlinkSync(outside, path.join(dir, 'files', 'escape.txt'));
    const { page, posted } = await open(RICH.key);
    await receive(posted, 'snapshot');

    for (const bad of ['../../../../../../etc/passwd', outside, 'files/escape.txt', `..${path.sep}${XSS.id}${path.sep}events.jsonl`, 'files/../../live0001/events.jsonl']) {
      await send(page, { type: 'fileAction', action: 'open', path: bad });
    }
    assert.ok(!openTabs().some((t) => t.includes('passwd') || t.includes('runlog-secret') || t.includes(XSS.id) || t.includes(LIVE.id)), openTabs().join(', '));

    await send(page, { type: 'fileAction', action: 'open', path: 'files/config.yaml' });
    const editor = await eventually('config.yaml open', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath.endsWith(path.join('files', 'config.yaml'))));
    assert.equal(editor.document.getText(), 'lr: 0.001\nbatch_size: 128\nepochs: 20\n');
    assert.equal(editor.document.uri.fsPath, realpathSync(path.join(dir, 'files', 'config.yaml')));
  });

  it('posts new points of a live run as tails, at most every 250 ms however many changes arrive', async () => {
    const { page, posted } = await open(LIVE.key);
    const snapshot = await receive(posted, 'snapshot');
    assert.equal(snapshot.run.state, 'running');
    await send(page, { type: 'requestSeries', scope: 'history', keys: ['loss'] });
    const whole = await receive(posted, 'series', (m) => m.series[0]?.key === 'loss');
    assert.equal(whole.series[0]!.steps.length, 20);

    appendLive(api.storeDir(), 20, 30);
    store().sync();
    const tail = await receive(posted, 'seriesTail', (m) => m.tails.some((t) => t.key === 'loss' && t.steps[t.steps.length - 1] === 49));
    const t = tail.tails.find((x) => x.key === 'loss')!;
    assert.equal(t.fromStep, 20);
    assert.equal(t.steps.length, 30);
    // The run's fields as a patch: what the tick changed, not the unchanged config again.
    const patch = await receive(posted, 'runPatch', (m) => m.fields.lastStep === 49);
    assert.equal(patch.fields.outputLines, 31);
    assert.equal(patch.key, LIVE.key);
    assert.equal(patch.fields.config, undefined, 'a live tick sent the unchanged config again');
    assert.ok('lr' in snapshot.run.config);
    await receive(posted, 'logLength', (m) => m.total === 31);

    // A burst of changes in one tick becomes one message.
    const before = posted.length;
    store().setNotes(LIVE.key, 'burst');
    for (let i = 0; i < 200; i++) page.onStoreChanges([{ kind: 'runUpdated', run: LIVE.key }]);
    await eventually('the coalesced update', () => posted.slice(before).some((m) => m.type === 'runPatch' && m.fields.notes === 'burst'));
    await new Promise((r) => setTimeout(r, LIVE_INTERVAL_MS * 3));
    assert.equal(posted.slice(before).filter((m) => m.type === 'runPatch').length, 1);
  });

  it('says so when its run is deleted while shown', async () => {
    new RunBuilder(api.storeDir(), 'mnist', 'gone0001').init({ name: 'doomed-run' }).history(0, { loss: 1 }).exit(0).write();
    store().sync();
    const { page, posted } = await open('mnist/gone0001');
    await receive(posted, 'snapshot');
    store().deleteRuns(['mnist/gone0001']);
    store().sync();
    const deleted = await receive(posted, 'runDeleted');
    assert.equal(deleted.key, 'mnist/gone0001');
    assert.equal(page.panel.title, 'doomed-run (deleted)');
  });

  it('titles a run whose name is markup with the text itself', async () => {
    const { page, posted } = await open(XSS.key);
    const snapshot = await receive(posted, 'snapshot');
    assert.equal(snapshot.run.name, XSS_TEXT);
    assert.equal(page.panel.title, tabTitle(XSS_TEXT), 'the tab shows the name as text, capped');
    assert.ok(XSS_TEXT.startsWith(page.panel.title.replace(/…$/, '')), 'the capped title is the start of the name');
    assert.ok(!page.panel.webview.html.includes('<img'), 'no markup from the run name in the page HTML');
  });
});
