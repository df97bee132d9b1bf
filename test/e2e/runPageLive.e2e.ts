// A run page open on a live run (issue 14, item 4: deltas): the host posts only the fields a
// tick changed, and the page merges them into what it has. What the user sees: the header's step
// and state follow the script, and the Overview keeps the whole config the snapshot brought.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVSCode } from './harness';
import { heldLiveScript, openRun, SETTINGS, startHeldScript } from './runPageHelpers';

const NAME = 'live-page-1';

/** 300 config keys, 30 steps, then alive and silent until told to finish. */
const SCRIPT = heldLiveScript(`project="live-page", name=${JSON.stringify(NAME)}, config={**{"k%03d" % i: i for i in range(300)}, "lr": 0.003}`, '{"loss": 1.0 / (step + 1)}');

describe('Run page of a live run (end to end)', function () {
  this.timeout(600_000);

  it('follows the script step by step and to its end, and keeps the whole config it was opened with', async () => {
    await withVSCode({ name: 'run-page-live', settings: SETTINGS, prepareWorkspace: (ws) => writeFileSync(join(ws, 'live_page.py'), SCRIPT) }, async (vscode) => {
      const script = startHeldScript(vscode.workspace, 'live_page.py');
      try {
        await vscode.openActivityContainer('Runlog');
        await vscode.waitForTreeRow(`${NAME}, running`, 120_000);
        const { frame } = await openRun(vscode, NAME);
        const badge = frame.getByRole('banner').locator('.state-badge');
        const meta = frame.locator('.run-meta');
        // Opened while it logs: the header follows it to its last step.
        await meta.filter({ hasText: /· step 29 ·/ }).waitFor({ timeout: 120_000 });
        assert.equal(await badge.innerText(), 'running');
        await vscode.screenshot('run-page-live-running');

        script.finish();
        assert.equal(await script.exited, 0);
        await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: 120_000 });
        assert.match(await meta.innerText(), /· step 29 ·/);

        // The Overview still holds every config key the snapshot brought, after the patches.
        await frame.getByRole('tab', { name: 'Overview' }).click();
        const config = frame.locator('#panel-overview [data-section="config"]');
        await config.locator('.section-header .count').filter({ hasText: /^301$/ }).waitFor({ timeout: 60_000 });
        assert.equal(await config.locator('tr', { has: frame.locator('th', { hasText: /^k299$/ }) }).locator('td').innerText(), '299');
        assert.equal(await config.locator('tr', { has: frame.locator('th', { hasText: /^lr$/ }) }).locator('td').innerText(), '0.003');
        await vscode.screenshot('run-page-live-finished');
        assert.deepEqual(vscode.pageErrors, []);
      } finally {
        script.kill();
      }
    });
  });
});
