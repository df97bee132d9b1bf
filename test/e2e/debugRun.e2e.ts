// Debug Run in a real VS Code, with the real debugpy: a breakpoint in a training script stops it
// while the run it started shows as running in the Runs view; Stop Run ends the debug session and
// the run is killed. The Python Debugger extension cannot be installed here (no marketplace), so a
// stand-in extension (test/fixtures/pythonDebugger) contributes the `debugpy` type and starts
// debugpy's own adapter, `python -m debugpy.adapter`, as that extension does.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  // The stand-in is packaged (vsce, from a copy outside the repository) and installed beside
  // Runlog: code-server loads only the last of several development paths.
  let standIn: string;

  before(async function () {
    const { ensureDebugpyPython } = await import('../../scripts/lib/interop.mjs');
    debugpyPython = await ensureDebugpyPython();
    standIn = join(mkdtempSync(join(tmpdir(), 'runlog-debugger-stand-in-')), 'pythonDebugger');
    cpSync(join(repo, 'test', 'fixtures', 'pythonDebugger'), standIn, { recursive: true });
    const vsce = join(repo, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    execFileSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '-o', join(standIn, 'stand-in.vsix')], { cwd: standIn, stdio: 'pipe' });
  });
  after(() => {
    if (standIn) rmSync(join(standIn, '..'), { recursive: true, force: true });
  });

  it('stops at a breakpoint in a tracked run, and Stop Run ends the debug session', async () => {
    await withVSCode(
      {
        name: 'debug-run',
        prepareWorkspace: (ws) => writeFileSync(join(ws, 'debug_me.py'), SCRIPT),
        alsoInstall: [join(standIn, 'stand-in.vsix')],
        env: { RUNLOG_TEST_DEBUGPY_PYTHON: debugpyPython },
        viewport: { width: 1400, height: 900 },
      },
      async (vscode) => {
        const { page } = vscode;
        await vscode.openFile('debug_me.py');
        // A breakpoint on the log() line: go to the line, F9.
        await vscode.askAndAnswer(() => page.keyboard.press('Control+G'), `:${BREAKPOINT_LINE}`, 'Go to Line');
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

        // The one live run is stopped at once (Stop Run asks which only when several are live).
        await vscode.runCommand('Runlog: Stop Run');
        await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 120_000 });
        await vscode.waitForTreeRow('debugged-run, killed', 120_000);
        await vscode.screenshot('debug-run-stopped');
      },
    );
  });
});
