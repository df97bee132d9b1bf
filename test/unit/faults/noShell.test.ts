// No shell anywhere a user string flows: every process Runlog starts (the extension, the CLI,
// the SDK) is started from an argument vector. A source scan, so that a new call site cannot
// bring a shell in unnoticed; test/integration/faults.test.ts checks the behaviour end to end.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../../faults/lib/sdk';

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, ext));
    else if (name.endsWith(ext)) out.push(path);
  }
  return out;
}

/** `file:line: text` of every line matching `pattern` (comments included: a shell is never right). */
function hits(paths: string[], pattern: RegExp): string[] {
  const out: string[] = [];
  for (const path of paths) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line) && !/^\s*(\/\/|\*|#)/.test(line)) out.push(`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

describe('faults: no shell where user strings flow', () => {
  const ts = [...files(join(ROOT, 'src', 'extension'), '.ts'), ...files(join(ROOT, 'src', 'core'), '.ts'), ...files(join(ROOT, 'src', 'cli'), '.ts'), ...files(join(ROOT, 'src', 'common'), '.ts')];
  const py = files(join(ROOT, 'sdk', 'python', 'runlog'), '.py');

  it('the extension, core and CLI import only spawn and execFile from child_process, never with a shell', () => {
    assert.ok(ts.length > 20);
    const imports = hits(ts, /from ['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/);
    for (const line of imports) {
      const names = /import\s*(type\s*)?\{([^}]*)\}/.exec(line)?.[2] ?? '';
      const imported = names.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean);
      assert.ok(imported.length > 0, `a whole-module import of child_process: ${line}`);
      for (const name of imported) assert.ok(['spawn', 'execFile', 'ChildProcess', 'SpawnOptions'].includes(name!), `${name} imported from child_process: ${line}`);
    }
    assert.deepEqual(hits(ts, /shell\s*:\s*(true|['"`])/), [], 'a process started through a shell');
    assert.deepEqual(hits(ts, /\bexec(Sync)?\s*\(|\bexecFileSync\s*\(|\bspawnSync\s*\(/).filter((l) => !/\.exec\(/.test(l)), []);
    // Every spawn() says shell: false out loud.
    for (const path of ts) {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/\bspawn\(/g)) {
        const call = text.slice(m.index, m.index + 400);
        assert.match(call, /shell:\s*false/, `${relative(ROOT, path)}: spawn() without shell: false`);
      }
    }
  });

  it('the extension starts scripts as processes and tasks, never through a terminal or a shell execution', () => {
    assert.deepEqual(hits(ts, /new\s+vscode\.ShellExecution|\bShellExecution\b/), []);
    assert.deepEqual(hits(ts, /\.sendText\s*\(/), [], 'text typed into a terminal');
    assert.deepEqual(hits(ts, /new\s+vscode\.ProcessExecution/), [], 'a task process VS Code would start (with variable substitution) instead of Runlog');
  });

  it('the SDK runs git and nvidia-smi from argument lists, never through a shell', () => {
    assert.ok(py.length > 5);
    assert.deepEqual(hits(py, /shell\s*=\s*True|os\.system\(|os\.popen\(|getoutput\(|getstatusoutput\(|os\.exec[lv]p?e?\(|os\.spawn/), []);
    let calls = 0;
    for (const path of py) {
      for (const m of readFileSync(path, 'utf8').matchAll(/subprocess\.(run|Popen|call|check_output|check_call)\(\s*(\S)/g)) {
        calls++;
        assert.doesNotMatch(m[2]!, /['"f]/, `${relative(ROOT, path)}: a subprocess call given a string`);
      }
    }
    assert.ok(calls >= 2);
  });
});
