"""`wandb.sdk.wandb_run`."""
from .._run import Run

__all__ = ["Run"]
