// The `wandb` stand-in (sdk/python/runlog/wandb_compat): what `import wandb` gives under
// RUNLOG_WANDB=auto|always|off, and the module paths integrations import.

import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cleanTemps, SDK, Workspace, type PyResult } from '../../harness/python';

const STAND_IN = join(SDK, 'runlog', 'wandb_compat');

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

/** A workspace with a fake "real" wandb package in `site/`, after the stand-in on PYTHONPATH. */
function withRealWandb(): { ws: Workspace; pythonPath: string } {
  const ws = new Workspace();
  mkdirSync(join(ws.dir, 'site', 'wandb'), { recursive: true });
  writeFileSync(join(ws.dir, 'site', 'wandb', '__init__.py'), 'REAL = True\n__version__ = "0.22.0"\n');
  return { ws, pythonPath: [SDK, STAND_IN, join(ws.dir, 'site')].join(delimiter) };
}

describe('SDK: the wandb stand-in', function () {
  this.timeout(30_000);
  afterEach(cleanTemps);

  it('auto hands over to an installed wandb, always keeps the stand-in, off needs the real one', async () => {
    const { ws, pythonPath } = withRealWandb();
    const probe = 'import wandb; print(getattr(wandb, "REAL", False), wandb.__version__)\n';
    const auto = await ws.py(probe, { PYTHONPATH: pythonPath, RUNLOG_WANDB: 'auto' });
    ok(auto);
    assert.equal(auto.stdout, 'True 0.22.0\n');
    const always = await ws.py(probe, { PYTHONPATH: pythonPath, RUNLOG_WANDB: 'always' });
    ok(always);
    assert.equal(always.stdout, 'False 0.19.0+runlog\n');
    const alone = await ws.py(probe, { PYTHONPATH: [SDK, STAND_IN].join(delimiter) });
    ok(alone);
    assert.equal(alone.stdout, 'False 0.19.0+runlog\n', 'unset means auto: no real wandb, so the stand-in');
    const off = await ws.py(probe, { PYTHONPATH: [SDK, STAND_IN].join(delimiter), RUNLOG_WANDB: 'off' });
    assert.notEqual(off.code, 0);
    assert.match(off.stderr, /ImportError: RUNLOG_WANDB=off asks for the real wandb package, and none is installed/);
  });

  it('gives runlog under W&B names and the module paths integrations import, with one shared current run', async () => {
    const ws = new Workspace();
    const result = await ws.py(`
import importlib.metadata, runlog, wandb
from wandb import Artifact
from wandb.wandb_run import Run
from wandb.sdk.lib import RunDisabled
from wandb.sdk.lib.config_util import ConfigError
from wandb.apis.public import Api
import wandb.env
print(importlib.metadata.version("wandb"), wandb.run)
run = wandb.init(project="standin", config={"lr": 0.1})
print(wandb.run is runlog.run is run, isinstance(run, Run), wandb.config.lr, Artifact is runlog.Artifact)
wandb.env.set_project("elsewhere")
wandb.log({"loss": 0.5})
wandb.summary["best"] = 1
wandb.finish()
print(wandb.run, [r.id for r in Api().runs("standin")] == [run.id])
try:
    wandb.no_such_thing
except AttributeError as e:
    print("AttributeError", e)
`, { PYTHONPATH: [SDK, STAND_IN].join(delimiter) });
    ok(result);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      '0.19.0+runlog None',
      'True True 0.1 True',
      'None True',
      "AttributeError module 'wandb' (Runlog's stand-in) has no attribute 'no_such_thing'; see the W&B compatibility table in Runlog's README",
    ]);
  });

  it('python -m runlog wandb-path prints the stand-in folder', async () => {
    const ws = new Workspace();
    const result = await ws.run(['-m', 'runlog', 'wandb-path']);
    ok(result);
    assert.equal(result.stdout, STAND_IN + '\n');
  });
});
