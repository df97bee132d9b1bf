"""`wandb.integration.keras.callbacks`: the same callbacks, at the path W&B also exposes."""

from . import WandbCallback, WandbMetricsLogger, WandbModelCheckpoint  # noqa: F401
