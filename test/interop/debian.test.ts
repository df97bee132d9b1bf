// Real third-party code on Debian's python3 packages (python3-torch, -numpy, -sklearn,
// -matplotlib, -pil): W&B-style training scripts, checked by reading the stored run folders.

import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allNumbers, cleanTemps, InteropWorkspace, systemPython } from './support';

describe('interop: Debian python3 packages', function () {
  this.timeout(600_000);
  afterEach(cleanTemps);

  it('PyTorch loop with `import runlog as wandb`: tensors logged, model stored as an artifact and loaded back', async () => {
    const ws = new InteropWorkspace();
    const result = await ws.run(systemPython(), 'torch_mlp.py');
    assert.match(result.stdout, /restored True/);
    const [trainId, evalId] = ws.runIds('interop-torch').length === 2 ? ws.runIds('interop-torch') : [];
    assert.ok(trainId && evalId, `two runs expected, found ${ws.runIds('interop-torch').join(', ')}`);
    const runs = ws.runIds('interop-torch').map((id) => join(ws.store, 'projects', 'interop-torch', 'runs', id));
    const train = runs.find((d) => ws.series(d, 'train/loss').length > 0)!;
    const evaluation = runs.find((d) => d !== train)!;
    assert.deepEqual(ws.config(train), { lr: 0.1, epochs: 3, batch_size: 16, hidden: 8 });
    const losses = ws.series(train, 'train/loss');
    assert.equal(losses.length, 24, '8 batches x 3 epochs');
    assert.ok(allNumbers(losses), `losses are numbers: ${JSON.stringify(losses.slice(0, 3))}`);
    assert.ok(allNumbers(ws.series(train, 'val/acc')));
    assert.equal(typeof ws.summary(train).final_acc, 'number');
    assert.equal(ws.exitState(train), 'finished');
    const manifest = ws.manifest('interop-torch', 'tiny-mlp', 'v0');
    assert.deepEqual((manifest.files as { path: string }[]).map((f) => f.path), ['model.pt']);
    assert.equal((manifest.metadata as { hidden: number }).hidden, 8);
    assert.deepEqual(ws.aliases('interop-torch', 'tiny-mlp'), { best: 'v0' });
    const used = ws.events(evaluation, 'artifact');
    assert.deepEqual(used.map((r) => `${r.direction} ${r.name}:${r.version}`), ['input tiny-mlp:v0']);
    assert.deepEqual(ws.series(evaluation, 'restored_matches'), [true]);
  });

  it('scikit-learn, matplotlib, Pillow and numpy through `import wandb`: numpy scalars stored, the plot saved with the run', async () => {
    const ws = new InteropWorkspace();
    const result = await ws.run(systemPython(), 'sklearn_plots.py');
    const run = ws.onlyRun('interop-sklearn');
    assert.deepEqual(ws.config(run), { model: 'LogisticRegression', n_samples: 300 });
    assert.deepEqual(ws.series(run, 'C'), [0.01, 0.1, 1, 10]);
    for (const key of ['accuracy', 'f1', 'coef_norm']) assert.ok(allNumbers(ws.series(run, key)), key);
    const [, width, height] = /plot (\d+) (\d+)/.exec(result.stdout)!;
    assert.deepEqual(ws.summary(run).plot_size, [Number(width), Number(height)]);
    assert.ok(ws.events(run, 'file').some((f) => String(f.path).endsWith('accuracy.png')));
    assert.ok(existsSync(join(run, 'files', 'accuracy.png')));
    assert.equal(ws.exitState(run), 'finished');
  });
});
