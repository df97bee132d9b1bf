// Which Python runs a script: the Python extension's selected interpreter (its public API) when
// it is installed, else the `runlog.pythonPath` setting, else python3/python on PATH.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { checkInterpreter, DEFAULT_PYTHON_NAMES, findOnPath } from './pythonLookup';

export interface Interpreter {
  /** argv prefix: the executable, and for some environments the arguments that enter them. */
  readonly argv: readonly string[];
  /** Where it came from, for messages. */
  readonly source: string;
}

export class InterpreterError extends Error {
  constructor(
    message: string,
    /** Whether the Python extension is there to select one. */
    readonly canSelect: boolean,
  ) {
    super(message);
  }
}

const PYTHON_EXTENSION_ID = 'ms-python.python';

interface PythonExtensionApi {
  readonly environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { readonly path: string } | undefined;
    resolveEnvironment(env: { readonly path: string } | string): Promise<{ readonly executable?: { readonly uri?: vscode.Uri } } | undefined>;
  };
  readonly settings?: {
    getExecutionDetails(resource?: vscode.Uri): { readonly execCommand?: readonly string[] };
  };
}

async function fromPythonExtension(resource: vscode.Uri | undefined): Promise<Interpreter | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const envs = api?.environments;
    if (envs) {
      const active = envs.getActiveEnvironmentPath(resource);
      if (active) {
        const resolved = await envs.resolveEnvironment(active);
        const exe = resolved?.executable?.uri?.fsPath ?? active.path;
        if (exe) return { argv: [exe], source: 'the Python extension’s selected interpreter' };
      }
    }
    const exec = api?.settings?.getExecutionDetails(resource).execCommand;
    if (exec?.length) return { argv: [...exec], source: 'the Python extension’s selected interpreter' };
  } catch (e) {
    console.warn('Runlog: the Python extension did not give an interpreter', e);
  }
  return undefined;
}

function expandHome(p: string): string {
  return p.replace(/^~(?=$|[\\/])/, os.homedir());
}

/** Resolves the interpreter for `resource`; `explicit` (a task's `python`) wins over everything. */
export async function resolveInterpreter(resource: vscode.Uri | undefined, explicit?: string): Promise<Interpreter> {
  const folder = resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const envPath = process.env.PATH;
  if (explicit?.trim()) {
    const checked = checkInterpreter(expandHome(explicit), envPath, folder);
    if (!checked.ok) throw new InterpreterError(`The task's Python interpreter cannot be used: ${checked.error}`, false);
    return { argv: [checked.path], source: 'the task definition' };
  }
  const fromExtension = await fromPythonExtension(resource);
  if (fromExtension) {
    const [exe] = fromExtension.argv;
    if (exe && fromExtension.argv.length === 1) {
      const checked = checkInterpreter(exe, envPath, folder);
      if (!checked.ok) throw new InterpreterError(`The interpreter selected in the Python extension cannot be used: ${checked.error} Select another one.`, true);
      return { argv: [checked.path], source: fromExtension.source };
    }
    return fromExtension;
  }
  const setting = vscode.workspace.getConfiguration('runlog', resource).get<string>('pythonPath', '').trim();
  if (setting) {
    const checked = checkInterpreter(expandHome(setting.replace(/\$\{workspaceFolder\}/g, folder ?? '')), envPath, folder);
    if (!checked.ok) throw new InterpreterError(`The runlog.pythonPath setting names an interpreter that cannot be used: ${checked.error}`, false);
    return { argv: [checked.path], source: 'the runlog.pythonPath setting' };
  }
  const names = DEFAULT_PYTHON_NAMES[process.platform] ?? DEFAULT_PYTHON_NAMES.default!;
  const found = findOnPath(names, envPath);
  if (found) return { argv: [found], source: 'PATH' };
  throw new InterpreterError(
    `No Python interpreter found: neither ${names.join(' nor ')} is on PATH. Install Python 3, or set runlog.pythonPath to the interpreter to use.`,
    false,
  );
}
