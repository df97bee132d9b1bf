// The interoperability suite's Python: Debian's python3 (with python3-torch, -numpy, -sklearn,
// -matplotlib, -pil from apt) and a venv built on it with --system-site-packages that adds the
// frameworks from the machine's pip index (lightning, transformers, accelerate, keras, optuna,
// pandas). The venv is cached under the tools folder (RUNLOG_TOOLS_DIR); a package that cannot be
// installed is retried on the next run and reported to the tests, which count it as a failure.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cacheDir } from './toolchain.mjs';

// Not optuna-integration (Optuna's WeightsAndBiasesCallback lives there): the machine's pip index
// does not have it, so the callback is not tested here (README, W&B compatibility).
// ipykernel, jupyter_client: the notebook suite drives a real Jupyter kernel; debugpy: the debug
// suite starts a run under the real Python debugger (issue 16).
export const PIP_PACKAGES = ['lightning', 'transformers', 'accelerate', 'keras', 'optuna', 'pandas', 'ipykernel', 'jupyter_client', 'debugpy'];

/** Runs a command; resolves with its exit code and the tail of its output. */
function run(command, args, options = {}) {
  return new Promise((done) => {
    let out = '';
    const child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const keep = (chunk) => {
      out = (out + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => done({ code: -1, out: String(error) }));
    child.on('close', (code) => done({ code: code ?? -1, out }));
  });
}

/** Debian's interpreter, where apt puts python3-torch and friends. */
export function systemPython() {
  if (process.env.RUNLOG_INTEROP_SYSTEM_PYTHON) return process.env.RUNLOG_INTEROP_SYSTEM_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/**
 * Builds (or reuses) the venv and installs what is missing.
 * @returns {Promise<{ systemPython: string, venvPython: string | undefined, missing: Record<string, string> }>}
 */
export async function ensureInteropPython(log = console.log) {
  const base = systemPython();
  const dir = process.env.RUNLOG_INTEROP_VENV ?? join(cacheDir, 'interop-venv');
  const python = join(dir, 'bin', 'python');
  /** @type {Record<string, string>} */
  const missing = {};
  if (!existsSync(python)) {
    mkdirSync(cacheDir, { recursive: true });
    log(`interop: creating ${dir} from ${base}`);
    const made = await run(base, ['-m', 'venv', '--system-site-packages', dir]);
    if (made.code !== 0) {
      const why = `${base} -m venv failed (is python3-venv installed?): ${made.out.trim().split('\n').pop()}`;
      for (const p of PIP_PACKAGES) missing[p] = why;
      return { systemPython: base, venvPython: undefined, missing };
    }
  }
  const stampFile = join(dir, 'runlog-interop.json');
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
  for (const pkg of PIP_PACKAGES) {
    if (stamp[pkg] === 'ok') continue;
    const t = Date.now();
    log(`interop: pip install ${pkg} (from the pip index in \`pip config list\`)`);
    // numpy<2: Debian's scipy, scikit-learn and matplotlib, seen through --system-site-packages,
    // are built against numpy 1.x; a numpy 2 in the venv breaks them (and torchmetrics, which
    // imports scipy).
    const result = await run(python, ['-m', 'pip', 'install', '--retries', '0', '--disable-pip-version-check', '-q', 'numpy<2', pkg]);
    if (result.code === 0) {
      stamp[pkg] = 'ok';
      log(`interop: ${pkg} installed (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    } else {
      const lines = result.out.trim().split('\n').filter((l) => !/Retrying|WARNING/.test(l));
      missing[pkg] = `pip install ${pkg} failed: ${lines.slice(-2).join(' ')}`;
      log(`interop: ${pkg} cannot be had: ${missing[pkg]}`);
    }
  }
  writeFileSync(stampFile, JSON.stringify(stamp, null, 1) + '\n');
  return { systemPython: base, venvPython: python, missing };
}

/**
 * A Python with debugpy (the Python debugger's engine), for the Debug Run test: a small venv of
 * its own under the tools folder, built on first use from the machine's pip index.
 * @returns {Promise<string>} the venv's python
 */
export async function ensureDebugpyPython(log = console.log) {
  const dir = join(cacheDir, 'debugpy-venv');
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python)) {
    mkdirSync(cacheDir, { recursive: true });
    const made = await run(systemPython(), ['-m', 'venv', dir]);
    if (made.code !== 0) throw new Error(`${systemPython()} -m venv failed (is python3-venv installed?): ${made.out.trim().split('\n').pop()}`);
  }
  if ((await run(python, ['-c', 'import debugpy'])).code !== 0) {
    log('debug: pip install debugpy (from the pip index in `pip config list`)');
    const result = await run(python, ['-m', 'pip', 'install', '--retries', '0', '--disable-pip-version-check', '-q', 'debugpy']);
    if (result.code !== 0) throw new Error(`pip install debugpy failed: ${result.out.trim().split('\n').slice(-2).join(' ')}`);
  }
  return python;
}
