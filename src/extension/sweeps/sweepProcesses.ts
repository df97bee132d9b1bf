// What Start Sweep and the `runlog-sweep` task share: the launch context for a sweep file's
// folder (interpreter, store, bundled SDK) and `python -m runlog._sweeps create`.

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveInterpreter } from '../runs/interpreter';
import type { StoreService } from '../store/StoreService';
import type { SweepLaunchContext, SweepProcess } from './sweepLaunch';

/** Agents run in `folder` (the sweep's `program` is relative to it), with the interpreter chosen for `file`. */
export async function sweepLaunchContext(extensionUri: vscode.Uri, stores: StoreService, file: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): Promise<SweepLaunchContext> {
  const interpreter = await resolveInterpreter(file);
  return {
    python: interpreter.argv,
    storeDir: stores.dir,
    sdkPath: vscode.Uri.joinPath(extensionUri, 'sdk', 'python').fsPath,
    cwd: folder?.uri.fsPath ?? path.dirname(file.fsPath),
    baseEnv: process.env,
  };
}

/** Runs `python -m runlog._sweeps create`; its error names the bad key of the config. */
export function runCreate(p: SweepProcess): Promise<string> {
  return new Promise((done, fail) => {
    execFile(p.command, [...p.args], { cwd: p.cwd, env: p.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const id = stdout.trim();
      if (!error && /^[a-z0-9_-]{1,64}$/.test(id)) return done(id);
      fail(new Error(`Could not create the sweep: ${stderr.trim() || (error ? error.message : 'no sweep id printed')}`));
    });
  });
}
