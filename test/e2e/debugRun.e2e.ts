// Debug Run in a real VS Code, with the real debugpy: a breakpoint in a training script stops it
// while the run it started shows as running in the Runs view; Stop Run ends the debug session and
// the run is killed. The Python Debugger extension cannot be installed here (no marketplace), so a
// stand-in extension (test/fixtures/pythonDebugger) contributes the `debugpy` type and starts
// debugpy's own adapter, `python -m debugpy.adapter`, as that extension does.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVSCode } from './harness';

const repo = join(__dirname, '..', '..');

const SCRIPT = `import runlog

run = runlog.init(project="dbg", name="debugged-run")
for step in range(1000):
    loss = 1.0 / (step + 1)
    run.log({"loss": loss})
run.finish()
`;
const BREAKPOINT_LINE = 6;

describe('Debug Run (end to end, real debugpy)', function () {
  this.timeout(600_000);
  let debugpyPython: string;

  before(async function () {
    const { ensureDebugpyPython } = await import('../../scripts/lib/interop.mjs');
    debugpyPython = await ensureDebugpyPython();
  });

  it('stops at a breakpoint in a tracked run, and Stop Run ends the debug session', async () => {
    await withVSCode(
      {
        name: 'debug-run',
        prepareWorkspace: (ws) => writeFileSync(join(ws, 'debug_me.py'), SCRIPT),
        alsoDevelop: [join(repo, 'test', 'fixtures', 'pythonDebugger')],
        env: { RUNLOG_TEST_DEBUGPY_PYTHON: debugpyPython },
        viewport: { width: 1400, height: 900 },
      },
      async (vscode) => {
        const { page } = vscode;
        await page.keyboard.press('Control+P');
        const quick = page.locator('.quick-input-widget input.input');
        await quick.waitFor({ state: 'visible' });
        await quick.fill('debug_me.py');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'debug_me.py' }).first().waitFor({ state: 'visible' });
        await quick.press('Enter');
        await page.locator('.tab.active', { hasText: 'debug_me.py' }).waitFor();
        // A breakpoint on the log() line: go to the line, F9.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+G');
        await quick.waitFor({ state: 'visible' });
        await quick.fill(`:${BREAKPOINT_LINE}`);
        await quick.press('Enter');
        await page.keyboard.press('F9');
        await page.locator('.codicon-debug-breakpoint').first().waitFor({ state: 'visible' });

        await vscode.runCommand('Runlog: Debug Run');
        // Paused: the debug toolbar, and the editor's current-line marker on the breakpoint.
        await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 180_000 });
        await page.locator('.codicon-debug-stackframe').first().waitFor({ state: 'visible', timeout: 180_000 });
        await vscode.openActivityContainer('Runlog');
        const row = await vscode.waitForTreeRow('debugged-run, running', 120_000);
        assert.match(row, /debugged-run, running/);
        await vscode.screenshot('debug-run-breakpoint');

        await vscode.runCommand('Runlog: Stop Run');
        await vscode.pickQuickItem('debugged-run');
        await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 120_000 });
        await vscode.waitForTreeRow('debugged-run, killed', 120_000);
        await vscode.screenshot('debug-run-stopped');
      },
    );
  });
});
