// A person's first minutes with Runlog, in a real VS Code: the activity-bar container and its
// Runs view, a command from the palette, and a run page webview with the run's name and a chart.
import * as assert from 'node:assert/strict';
import { RunBuilder } from '../fixtures/runBuilder';
import { paintedPixels, withVSCode, type Theme } from './harness';

const RUN_NAME = 'e2e-run-1';

/** One finished run with a falling loss and a rising accuracy, in the workspace's store. */
function writeFixtureRun(workspace: string): void {
  const run = new RunBuilder(`${workspace}/.runlog`, 'fixture', 'e2erun01').init({ name: RUN_NAME }).config({ lr: 0.01 });
  for (let step = 0; step < 50; step++) {
    const loss = Math.exp(-step / 12);
    run.history(step, { loss, acc: 1 - loss / 2 });
  }
  run.exit(0).write();
}

describe('Foundation (end to end)', () => {
  it('shows the Runs view in the Runlog activity-bar container', async () => {
    await withVSCode({ name: 'runs-view', prepareWorkspace: writeFixtureRun }, async (vscode) => {
      await vscode.openActivityContainer('Runlog');
      await vscode.waitForView('Runs');
      const row = await vscode.waitForTreeRow('fixture');
      await vscode.screenshot('runs-view');
      assert.match(row, /fixture/);
    });
  });

  for (const theme of ['Default Dark Modern', 'Default Light Modern'] satisfies Theme[]) {
    it(`opens a run page from the command palette with its name and a drawn chart (${theme})`, async () => {
      await withVSCode({ name: `run-page-${theme.includes('Dark') ? 'dark' : 'light'}`, theme, prepareWorkspace: writeFixtureRun }, async (vscode) => {
        await vscode.runCommandAndPick('Runlog: Open Run', RUN_NAME);

        const frame = vscode.webviewFrame();
        await frame.getByText(RUN_NAME, { exact: true }).first().waitFor({ state: 'visible', timeout: 60_000 });

        const canvas = frame.locator('canvas').first();
        await canvas.waitFor({ state: 'visible', timeout: 60_000 });
        const painted = await canvas.evaluate(paintedPixels);
        const shot = await vscode.screenshot(`run-page-${theme.includes('Dark') ? 'dark' : 'light'}`);
        assert.ok(painted > 200, `the chart canvas is blank (${painted} painted pixels); see ${shot}`);

        const policy = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
        assert.ok(policy, 'the run page has no Content-Security-Policy');
        const directives = new Map(
          policy
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .filter((parts) => parts[0])
            .map((parts) => [parts[0] as string, parts.slice(1)]),
        );
        assert.deepEqual(directives.get('default-src'), ["'none'"], policy);
        assert.match((directives.get('script-src') ?? []).join(' '), /^'nonce-[A-Za-z0-9+/=]{16,}'$/, policy);
        for (const [name, sources] of directives) {
          for (const source of sources) {
            // Host wildcards such as VS Code's own https://*.vscode-cdn.net are its cspSource.
            assert.ok(!["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:'].includes(source), `${name} allows ${source}`);
          }
        }
        assert.deepEqual(vscode.pageErrors, []);
      });
    });
  }
});
