// The compare page's host side inside a real VS Code: Compare Runs from a tree item, a
// selection or a project; the rows it posts for a project of 50 runs; the core's filter
// language; chart series for the charted runs; actions; new runs arriving live.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComparePageToHost, HostToComparePage } from '../../src/common/comparePageProtocol';
import type { ComparePagePanel } from '../../src/extension/comparePage/ComparePagePanel';
import type { RunlogApi } from '../../src/extension/RunlogExtension';
import { RunBuilder, thisProcess } from '../fixtures/runBuilder';
import { SWEEP, writeSweep } from '../fixtures/webviewRuns';
import { eventually as waitFor } from './support';

const EXTENSION_ID = 'runlog.runlog';
let api: RunlogApi;

function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  return waitFor(what, probe, ms, 50);
}

async function compare(...args: unknown[]): Promise<{ page: ComparePagePanel; posted: HostToComparePage[] }> {
  const posted: HostToComparePage[] = [];
  const sub = api.comparePages().onDidOpen((p) => p.onDidPost((m) => posted.push(m)));
  try {
    await vscode.commands.executeCommand('runlog.compareRuns', ...args);
  } finally {
    sub.dispose();
  }
  const page = api.comparePages().get(SWEEP.project);
  assert.ok(page, 'no compare page for the sweep');
  return { page, posted };
}

function receive<T extends HostToComparePage['type']>(posted: HostToComparePage[], type: T, where: (m: Extract<HostToComparePage, { type: T }>) => boolean = () => true) {
  return eventually(`a ${type} message`, () => posted.filter((m): m is Extract<HostToComparePage, { type: T }> => m.type === type).find(where));
}

async function send(page: ComparePagePanel, message: ComparePageToHost): Promise<void> {
  await page.handle(message);
}

describe('Compare page', function () {
  this.timeout(240_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<RunlogApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    writeSweep(api.storeDir());
    await eventually('the sweep indexed', () => {
      const s = api.store();
      s?.sync();
      return s && s.listRuns(SWEEP.project).length === SWEEP.runs;
    }, 60_000);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens for a project and lists its runs with config and summary', async () => {
    const { page, posted } = await compare({ project: SWEEP.project });
    assert.equal(page.panel.title, 'Compare: sweep');
    const snapshot = await receive(posted, 'snapshot');
    assert.equal(snapshot.project, SWEEP.project);
    assert.equal(snapshot.rows.length, SWEEP.runs);
    const row = snapshot.rows.find((r) => r.id === 'sw000003')!;
    assert.equal(row.config.optimizer, 'adam');
    assert.equal(row.config.lr, 0.003);
    assert.equal(typeof row.summary.best_acc, 'number');
    assert.equal(row.group, 'opt-adam');
  });

  it('opens from explorer items with the selection selected', async () => {
    const keys = ['sweep/sw000001', 'sweep/sw000002'];
    const { posted } = await compare({ key: keys[0] }, keys.map((key) => ({ key })));
    await receive(posted, 'snapshot');
    const select = await receive(posted, 'select');
    assert.deepEqual(select.runs, keys);
  });

  it('opens from one run with the project’s newest runs selected, that run among them (issue 17)', async () => {
    const { posted } = await compare({ key: 'sweep/sw000003' });
    const select = await receive(posted, 'select');
    const newest = api.store()!.listRuns(SWEEP.project, { sort: 'start', descending: true, limit: 9 }).map((r) => r.key);
    assert.deepEqual(select.runs, [...newest, 'sweep/sw000003'], 'runlog.compareRunCount (10) runs, the clicked one last');
  });

  it('filters with the core’s filter language and reports a filter that does not parse', async () => {
    const { page, posted } = await compare(SWEEP.project);
    await receive(posted, 'snapshot');
    await send(page, { type: 'setFilter', filter: 'config.lr>0.01' });
    const filtered = await receive(posted, 'rowsDelta', (m) => m.filter === 'config.lr>0.01');
    assert.equal(filtered.removed.length, 30);
    assert.equal(filtered.filterError, null);
    await send(page, { type: 'setFilter', filter: 'state:sleeping' });
    const bad = await receive(posted, 'rowsDelta', (m) => m.filter === 'state:sleeping');
    assert.match(bad.filterError ?? '', /sleeping/);
    assert.equal(bad.upserts.length, 30, 'an unparsable filter shows every run again');
  });

  it('sends every metric of the charted runs, downsampled', async () => {
    const { page, posted } = await compare(SWEEP.project);
    await receive(posted, 'snapshot');
    const runs = ['sweep/sw000000', 'sweep/sw000001', 'sweep/sw000002', 'other/not-mine'];
    await send(page, { type: 'chartRuns', runs });
    const series = await receive(posted, 'series');
    assert.deepEqual(series.runs, runs.slice(0, 3));
    assert.deepEqual([...new Set(series.series.map((s) => s.key))].sort(), ['train/acc', 'train/loss', 'val/acc', 'val/loss']);
    assert.equal(series.series.filter((s) => s.run === 'sweep/sw000000').length, 4);
  });

  it('opens the run pages of the selected runs', async () => {
    const { page, posted } = await compare(SWEEP.project);
    await receive(posted, 'snapshot');
    await send(page, { type: 'runsAction', action: 'open', runs: ['sweep/sw000004', 'sweep/sw000005'] });
    await eventually('two run pages', () => api.runPages().get('sweep/sw000004') && api.runPages().get('sweep/sw000005'));
  });

  it('shows a run that starts in the project without a reload', async () => {
    const { posted } = await compare(SWEEP.project);
    await receive(posted, 'snapshot');
    const late = new RunBuilder(api.storeDir(), SWEEP.project, 'sw999999').now().init({ name: 'late-arrival', ...thisProcess() }).history(0, { 'train/loss': 1 });
    late.write();
    try {
      api.store()!.sync();
      const delta = await receive(posted, 'rowsDelta', (m) => m.upserts.some((r) => r.id === 'sw999999'));
      assert.equal(delta.upserts.find((r) => r.id === 'sw999999')!.state, 'running');
    } finally {
      // A run left live would keep ticking in the explorer and disturb the tests that follow.
      late.exit(0).write();
      api.store()!.sync();
    }
  });
});
