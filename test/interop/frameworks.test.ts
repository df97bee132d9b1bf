// Framework integrations that `import wandb` themselves, unchanged, on Runlog's stand-in:
// Lightning's WandbLogger, the HF Trainer's report_to="wandb", accelerate's tracker, Keras
// callbacks from wandb.integration.keras, Optuna; and pandas through the public Api.

import * as assert from 'node:assert/strict';
import { allNumbers, cleanTemps, InteropWorkspace, venvPython } from './support';

describe('interop: frameworks that import wandb', function () {
  this.timeout(600_000);
  afterEach(cleanTemps);

  it('Lightning WandbLogger: hyperparameters, metrics against trainer/global_step, checkpoint artifact; read back with Api + pandas', async () => {
    const python = venvPython('lightning', 'pandas');
    const ws = new InteropWorkspace();
    await ws.run(python, 'lightning_logger.py');
    const run = ws.onlyRun('interop-lightning');
    const id = run.split('/').pop()!;
    const config = ws.config(run);
    assert.equal(config.lr, 0.1);
    assert.equal(config.hidden, 8);
    const rows = ws.history(run).filter((h) => 'train_loss' in h.data);
    assert.equal(rows.length, 12, '6 batches x 2 epochs, logged every step');
    assert.ok(allNumbers(rows.map((r) => r.data.train_loss)));
    assert.deepEqual(rows.map((r) => r.data['trainer/global_step']), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(ws.series(run, 'val_loss').length, 2);
    const manifest = ws.manifest('interop-lightning', `model-${id}`, 'v0');
    assert.deepEqual((manifest.files as { path: string }[]).map((f) => f.path), ['model.ckpt']);
    assert.equal(manifest.type, 'model');
    assert.equal(ws.aliases('interop-lightning', `model-${id}`).best, 'v0');

    const read = await ws.run(python, 'api_pandas.py');
    assert.match(read.stdout, /^history \['_step', 'train_loss'\] 12$/m);
    assert.match(read.stdout, /^summary .*'train_loss'.*'val_loss'/m);
    assert.match(read.stdout, new RegExp(`^artifacts \\['model-${id}:v0'\\]$`, 'm'));
    assert.match(read.stdout, /^scan 2$/m);
  });

  it('HF Trainer report_to="wandb": config from TrainingArguments and the model, train/loss against train/global_step, run name', async () => {
    const python = venvPython('transformers', 'accelerate');
    const ws = new InteropWorkspace();
    await ws.run(python, 'hf_trainer.py');
    const run = ws.onlyRun('interop-hf');
    const init = ws.events(run, 'init')[0]!;
    assert.equal(init.name, 'tiny-gpt2');
    const config = ws.config(run);
    assert.equal(config.n_layer, 1);
    assert.equal(config.learning_rate, 5e-3);
    assert.equal(typeof config['model/num_parameters'], 'number');
    const rows = ws.history(run).filter((h) => 'train/loss' in h.data);
    assert.deepEqual(rows.map((r) => r.data['train/global_step']), [2, 4, 6]);
    assert.ok(allNumbers(rows.map((r) => r.data['train/loss'])));
    assert.equal(typeof ws.summary(run).train_runtime, 'number');
    assert.equal(ws.exitState(run), 'finished');
  });

  it('accelerate log_with="wandb": init_kwargs, config and accelerator.log(step=) reach the run', async () => {
    const python = venvPython('accelerate');
    const ws = new InteropWorkspace();
    await ws.run(python, 'accelerate_tracker.py');
    const run = ws.onlyRun('interop-accelerate');
    const init = ws.events(run, 'init')[0]!;
    assert.equal(init.name, 'accelerate-run');
    assert.deepEqual(init.tags, ['accelerate']);
    assert.deepEqual(ws.config(run), { lr: 0.1, steps: 5 });
    const rows = ws.history(run);
    assert.deepEqual(rows.map((r) => r.step), [0, 1, 2, 3, 4]);
    assert.ok(allNumbers(rows.map((r) => r.data.train_loss)));
    assert.equal(ws.exitState(run), 'finished');
  });

  it('Keras 3 with WandbMetricsLogger and WandbModelCheckpoint: epoch/* metrics and the saved model as an artifact', async () => {
    const python = venvPython('keras');
    const ws = new InteropWorkspace();
    await ws.run(python, 'keras_callbacks.py');
    const run = ws.onlyRun('interop-keras');
    const id = run.split('/').pop()!;
    assert.deepEqual(ws.series(run, 'epoch/epoch'), [0, 1, 2]);
    for (const key of ['epoch/loss', 'epoch/mae', 'epoch/val_loss', 'epoch/learning_rate']) {
      assert.ok(allNumbers(ws.series(run, key)) && ws.series(run, key).length === 3, key);
    }
    const manifest = ws.manifest('interop-keras', `run_${id}_model`, 'v0');
    assert.deepEqual((manifest.files as { path: string }[]).map((f) => f.path), ['model.keras']);
    assert.equal(ws.exitState(run), 'finished');
  });

  it('Optuna: one run per trial (wandb.init in the objective), grouped, with the trial parameters as config', async () => {
    const python = venvPython('optuna');
    const ws = new InteropWorkspace();
    await ws.run(python, 'optuna_trials.py');
    const ids = ws.runIds('interop-optuna');
    assert.equal(ids.length, 4);
    for (const id of ids) {
      const run = `${ws.store}/projects/interop-optuna/runs/${id}`;
      assert.equal(ws.events(run, 'init')[0]!.group, 'quadratic');
      assert.equal(typeof ws.config(run).x, 'number');
      assert.equal(ws.series(run, 'value').length, 3);
      assert.equal(ws.exitState(run), 'finished');
    }
  });
});
