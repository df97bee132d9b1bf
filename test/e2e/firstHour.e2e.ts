// Issue 17, item 2, in a real VS Code: a run that logged no metrics and ended before its first
// system sample says so in its Charts and System tabs, with the interval it recorded.
// Screenshots in a dark and a light theme.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FIXTURE_T0, RunBuilder } from '../fixtures/runBuilder';
import { withVSCode, type Theme } from './harness';
import { openRun, SETTINGS } from './runPageHelpers';

const NAME = 'short-run-1';

async function selectTab(frame: FrameLocator, label: string): Promise<void> {
  await frame.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
  await frame.locator('[role=tab][aria-selected=true]', { hasText: label }).waitFor();
}

for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
  const suffix = theme.includes('Dark') ? 'dark' : 'light';
  describe(`First hour: empty Charts and System tabs (end to end, ${suffix})`, () => {
    it('says what is missing and why', async () => {
      const prepareWorkspace = (workspace: string): void => {
        new RunBuilder(join(workspace, '.runlog'), 'empty', 'empty001')
          .at(FIXTURE_T0)
          .init({ name: NAME, meta: { system_interval: 10 } })
          .exit(1, 'failed', FIXTURE_T0 + 3)
          .write();
      };
      await withVSCode({ name: `empty-tabs-${suffix}`, theme, settings: SETTINGS, prepareWorkspace }, async (vscode) => {
        const { frame } = await openRun(vscode, NAME);
        await selectTab(frame, 'Charts');
        const charts = frame.locator('.empty-state:visible');
        await charts.locator('h2', { hasText: 'No metrics were logged' }).waitFor();
        assert.match(await charts.innerText(), /ended \(failed\) after 3s without calling run\.log/);
        await vscode.screenshot(`empty-charts-${suffix}`);
        await selectTab(frame, 'System');
        const system = frame.locator('.empty-state:visible');
        await system.locator('h2', { hasText: 'No system samples' }).waitFor();
        assert.match(await system.innerText(), /ended after 3s, before the first sample \(10 s after start\)/);
        await vscode.screenshot(`empty-system-${suffix}`);
      });
    });
  });
}
