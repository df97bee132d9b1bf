// A fresh, disposable copy of test/fixtures/workspace for each VS Code session, so no test sees
// what another one left behind.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './proc.mjs';
import { root } from './toolchain.mjs';

export const fixtureWorkspace = join(root, 'test', 'fixtures', 'workspace');

/**
 * @param {string} [source] folder to copy; the fixture workspace by default
 * @returns {{ dir: string, remove: () => void }}
 */
export function freshWorkspace(source = fixtureWorkspace) {
  const parent = mkdtempSync(join(tmpdir(), 'runlog-workspace-'));
  const dir = join(parent, 'workspace');
  cpSync(source, dir, { recursive: true });
  const remove = () => {
    rmSync(parent, { recursive: true, force: true });
    unregister();
  };
  const unregister = onExit(() => rmSync(parent, { recursive: true, force: true }));
  return { dir, remove };
}
