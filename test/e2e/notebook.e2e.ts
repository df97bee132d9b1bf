// The notebook renderer in a real VS Code: a saved .ipynb whose cell output carries Runlog's MIME
// type (as `runlog.init()` in a Jupyter kernel writes it) opens with VS Code's own notebook
// editor; the renderer asks the extension for the run and draws its charts in the cell output.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { paintedPixels, withVSCode, type VSCodeSession } from './harness';

const repo = join(__dirname, '..', '..');
const RUN_MIME = 'application/vnd.runlog.run+json';

const TRAIN = `import math, runlog
run = runlog.init(project="nb-demo", name="notebook-demo", config={"lr": 0.01})
for step in range(60):
    run.log({"train/loss": math.exp(-step / 15) + 0.05 * math.sin(step), "val/acc": 1 - math.exp(-step / 20), "lr": 0.01 * 0.97 ** step})
print(run.id)
run.finish()
`;

/** A run in the workspace store, and a notebook whose saved output names it. */
function prepare(workspace: string): void {
  const script = join(workspace, 'make_run.py');
  writeFileSync(script, TRAIN);
  const id = execFileSync('python3', [script], {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_DIR: join(workspace, '.runlog'), RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0', RUNLOG_CODE: '0' },
  }).trim();
  const dir = join(workspace, '.runlog', 'projects', 'nb-demo', 'runs', id);
  const payload = { version: 1, project: 'nb-demo', id, name: 'notebook-demo', dir, store: join(workspace, '.runlog') };
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: ['import runlog\n', 'run = runlog.init(project="nb-demo", name="notebook-demo", config={"lr": 0.01})'],
        outputs: [{ output_type: 'display_data', metadata: {}, data: { [RUN_MIME]: payload, 'text/plain': [`Runlog run notebook-demo (${id}) in project nb-demo, running: ${dir}`] } }],
      },
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(workspace, 'train.ipynb'), JSON.stringify(notebook, null, 1));
}

async function rendererFrame(vscode: VSCodeSession): Promise<FrameLocator> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const count = await vscode.page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = vscode.webviewFrame(i);
      if ((await frame.locator('.runlog-run').count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error('no notebook output shows a Runlog run');
    await vscode.page.waitForTimeout(250);
  }
}

describe('Notebook renderer (end to end)', function () {
  this.timeout(600_000);

  it('draws the run’s charts in the output of the cell that started it', async () => {
    await withVSCode({ name: 'notebook-renderer', prepareWorkspace: prepare, viewport: { width: 1300, height: 900 } }, async (vscode) => {
      const { page } = vscode;
      await vscode.openFile('train.ipynb');
      await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 120_000 });
      const frame = await rendererFrame(vscode);
      await frame.locator('.runlog-run[data-drawn="true"]').waitFor({ state: 'attached', timeout: 120_000 });
      assert.equal(await frame.locator('.runlog-run .run-name').innerText(), 'notebook-demo');
      assert.match(await frame.locator('.runlog-run .run-meta').innerText(), /^finished · step 59 · Runlog$/);
      const titles = await frame.locator('.run-chart .chart-title').allInnerTexts();
      assert.deepEqual(titles.map((t) => t.split(' · ')[0]).sort(), ['lr', 'train/loss', 'val/acc']);
      for (const metric of ['train/loss', 'val/acc', 'lr']) {
        const painted = await frame.locator(`.run-chart[data-metric="${metric}"] canvas`).evaluate(paintedPixels);
        assert.ok(painted > 500, `the ${metric} chart is blank (${painted} pixels)`);
      }
      await vscode.screenshot('notebook-renderer'); // README's docs/notebook-output.png is this picture
    });
  });
});
