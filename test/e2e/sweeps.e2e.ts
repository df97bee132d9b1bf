// Sweeps as a person meets them in a real VS Code: open a sweep file, click its "Start Sweep"
// code lens, answer 2 agents, watch the Sweeps view count trials to done with the best run
// marked, then open the sweep page: parallel coordinates, importance, trials best first; the
// page comes back after Reload Window.
// Screenshots of the sweep node and of the chart, to look at.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { paintedPixels, withVSCode, type VSCodeSession } from './harness';

/** The sweep page's frame among the open webviews. */
async function findSweepFrame(vscode: VSCodeSession): Promise<FrameLocator> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const count = await vscode.page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = vscode.webviewFrame(i);
      if ((await frame.locator('.sweep-header').count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error('no sweep page webview');
    await vscode.page.waitForTimeout(250);
  }
}

const TRAIN = `
import math, runlog
run = runlog.init()
c = run.config
for epoch in range(4):
    loss = (math.log10(c["lr"]) + 2.5) ** 2 + (0.3 if c["opt"] == "sgd" else 0.0) + 1.0 / (epoch + 1) + c["batch"] / 1000
    run.log({"loss": loss})
`;

const SWEEP = `# A small sweep: 8 trials of train.py
program: train.py
method: random
run_cap: 8
metric:
  name: loss
  goal: minimize
parameters:
  lr:
    distribution: log_uniform_values
    min: 0.0001
    max: 0.1
  opt:
    values: [adam, sgd]
  batch:
    values: [32, 64, 128]
`;

describe('Sweeps (end to end)', function () {
  this.timeout(1_200_000);

  it('starts a sweep from its code lens with 2 agents; the Sweeps view and the sweep page show its trials and best run', async () => {
    await withVSCode(
      {
        name: 'sweeps',
        viewport: { width: 1400, height: 900 },
        prepareWorkspace: (ws) => {
          writeFileSync(join(ws, 'train.py'), TRAIN.trimStart());
          writeFileSync(join(ws, 'sweep.yaml'), SWEEP);
        },
        env: { RUNLOG_SYSTEM_INTERVAL: '0' },
      },
      async (vscode) => {
        const { page } = vscode;
        await vscode.openFile('sweep.yaml');

        const lens = page.locator('.codelens-decoration a', { hasText: 'Start Sweep' }).first();
        await lens.waitFor({ state: 'visible', timeout: 300_000 });
        const input = page.locator('.quick-input-widget input.input');
        // The agents prompt closes when it loses the focus (run s7-L4: the answer was typed into a
        // prompt that had closed, and no sweep started): askAndAnswer asks again when it did.
        await vscode.askAndAnswer(async () => {
          await lens.click();
          await input.waitFor({ state: 'visible', timeout: 120_000 });
          assert.equal(await input.inputValue(), '1', 'the prompt proposes the runlog.sweep.agents setting');
        }, '2', 'the agents prompt');

        await vscode.openActivityContainer('Runlog');
        const done = await vscode.waitForTreeRow('random · 8/8 · done', 480_000);
        assert.match(done, /^sweep [a-z0-9]{8}, random · 8\/8 · done, best loss = [\d.]+ \(run [a-z0-9]{8}\)$/);
        const best = await vscode.waitForTreeRow(' · best', 30_000);
        assert.match(best, /^★ trial \d+ · [a-z0-9]{8}, finished, loss=[\d.]+ · best$/);
        const rows = await vscode.treeRows();
        assert.equal(rows.filter((r) => /^(★ )?trial \d+ · /.test(r)).length, 8, rows.join('\n'));
        await page.locator('.monaco-list-row', { hasText: /8\/8 · done/ }).first().hover();
        await vscode.screenshot('sweeps-node');

        // Both agents claimed trials: each trial's run recorded its sweep, and two agent tasks ran.
        const bestRun = /\(run ([a-z0-9]{8})\)/.exec(done)![1]!;
        await page.locator('.monaco-list-row', { hasText: /8\/8 · done/ }).first().click();
        await page.locator('.tab.active', { hasText: 'Sweep:' }).waitFor({ state: 'visible', timeout: 30_000 });
        const frame = await findSweepFrame(vscode);
        await frame.locator('.sweep-header .best', { hasText: `run ${bestRun}` }).waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal(await frame.locator('table.trials tbody tr').count(), 8);
        assert.equal(await frame.locator('table.trials tbody tr').first().locator('td').nth(2).textContent(), bestRun, 'the best run is first');
        assert.equal(await frame.locator('table.importance tbody tr').count(), 3);
        const canvas = frame.locator('canvas.pc-canvas');
        const deadline = Date.now() + 30_000;
        let painted = 0;
        while ((painted = await canvas.evaluate(paintedPixels)) < 2000 && Date.now() < deadline) await page.waitForTimeout(250);
        assert.ok(painted >= 2000, `the parallel-coordinates chart drew ${painted} pixels`);
        await vscode.screenshot('sweeps-parallel-coordinates');

        // Developer: Reload Window brings the sweep page back (the page saved its sweep's id).
        await Promise.all([page.waitForEvent('load', { timeout: 180_000 }), vscode.runCommand('Developer: Reload Window')]);
        await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
        await page.locator('.tab.active', { hasText: 'Sweep:' }).waitFor({ state: 'visible', timeout: 120_000 });
        const restored = await findSweepFrame(vscode);
        await restored.locator('.sweep-header .best', { hasText: `run ${bestRun}` }).waitFor({ state: 'visible', timeout: 60_000 });
        assert.equal(await restored.locator('table.trials tbody tr').count(), 8);
      },
    );
  });
});
