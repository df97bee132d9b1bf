"""`wandb.integration.keras`: Keras callbacks that log to the current run.

As W&B documents them (https://docs.wandb.ai/guides/integrations/keras/), with the same metric
names: `WandbMetricsLogger` logs `epoch/<metric>` against `epoch/epoch` (or `batch/<metric>`
against `batch/batch_step` every `log_freq` batches) and the learning rate; `WandbModelCheckpoint`
saves like `keras.callbacks.ModelCheckpoint` and logs each saved file as a `model` artifact.
Unlike W&B's (TensorFlow only), these work with Keras 3 on any backend, and with tf.keras.
`WandbCallback` (W&B's legacy callback) logs each epoch's metrics against `epoch`.
`WandbEvalCallback` (prediction tables) is not provided.
"""

import os

try:
    import keras as _keras
    _Callback = _keras.callbacks.Callback
    _ModelCheckpoint = _keras.callbacks.ModelCheckpoint
except ImportError:  # tf.keras only
    from tensorflow import keras as _keras  # noqa: F401
    _Callback = _keras.callbacks.Callback
    _ModelCheckpoint = _keras.callbacks.ModelCheckpoint

import runlog

__all__ = ("WandbMetricsLogger", "WandbModelCheckpoint", "WandbCallback")


def _current(what):
    run = runlog.run
    if run is None:
        raise RuntimeError("You must call wandb.init() before %s()" % what)
    return run


def _define(run, name, **kwargs):
    define = getattr(run, "define_metric", None)
    if callable(define):
        define(name, **kwargs)


def _number(value):
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except Exception:
            pass
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _learning_rate(model):
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "learning_rate", None) if optimizer is not None else None
    if lr is None:
        return None
    if callable(lr) and not hasattr(lr, "numpy"):
        try:
            lr = lr(optimizer.iterations)
        except Exception:
            return None
    try:
        return float(_keras.ops.convert_to_numpy(lr)) if hasattr(_keras, "ops") else float(lr.numpy())
    except Exception:
        value = _number(lr)
        return value if isinstance(value, float) else None


class WandbMetricsLogger(_Callback):
    """Logs the metrics Keras reports: `log_freq="epoch"` (default), `"batch"` or every N batches."""

    def __init__(self, log_freq="epoch", initial_global_step=0, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._run = _current("WandbMetricsLogger")
        if log_freq == "batch":
            log_freq = 1
        self.logging_batch_wise = isinstance(log_freq, int)
        self.log_freq = log_freq if self.logging_batch_wise else None
        self.global_batch = 0
        self.global_step = initial_global_step
        if self.logging_batch_wise:
            _define(self._run, "batch/batch_step")
            _define(self._run, "batch/*", step_metric="batch/batch_step")
        else:
            _define(self._run, "epoch/epoch")
            _define(self._run, "epoch/*", step_metric="epoch/epoch")

    def on_epoch_end(self, epoch, logs=None):
        data = {"epoch/" + k: _number(v) for k, v in (logs or {}).items()}
        data["epoch/epoch"] = epoch
        lr = _learning_rate(self.model)
        if lr is not None:
            data["epoch/learning_rate"] = lr
        runlog.log(data)

    def on_train_batch_end(self, batch, logs=None):
        self.global_step += 1
        if self.logging_batch_wise and batch % self.log_freq == 0:
            data = {"batch/" + k: _number(v) for k, v in (logs or {}).items()}
            data["batch/batch_step"] = self.global_batch
            lr = _learning_rate(self.model)
            if lr is not None:
                data["batch/learning_rate"] = lr
            runlog.log(data)
            self.global_batch += self.log_freq


class WandbModelCheckpoint(_ModelCheckpoint):
    """`keras.callbacks.ModelCheckpoint` that logs each saved file as a `model` artifact."""

    def __init__(self, filepath, *args, **kwargs):
        super().__init__(filepath, *args, **kwargs)
        self._run = _current("WandbModelCheckpoint")
        self._logged = {}

    def _log_saved(self):
        path = getattr(self, "_runlog_last_path", None)
        if not path or not os.path.exists(path):
            return
        mtime = os.path.getmtime(path)
        if self._logged.get(path) == mtime:
            return
        self._logged[path] = mtime
        artifact = runlog.Artifact("run_%s_model" % self._run.id, type="model")
        if os.path.isdir(path):
            artifact.add_dir(path)
        else:
            artifact.add_file(path)
        self._run.log_artifact(artifact, aliases=["epoch_%s" % getattr(self, "_runlog_epoch", 0)])

    def _save_model(self, epoch, batch, logs):
        self._runlog_epoch = epoch
        super()._save_model(epoch, batch, logs)
        self._runlog_last_path = self._get_file_path(epoch, batch, logs)
        self._log_saved()


class WandbCallback(_Callback):
    """W&B's legacy Keras callback, reduced to what Runlog records: each epoch's metrics against `epoch`."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self._run = _current("WandbCallback")

    def on_epoch_end(self, epoch, logs=None):
        data = {k: _number(v) for k, v in (logs or {}).items()}
        data["epoch"] = epoch
        runlog.log(data)
