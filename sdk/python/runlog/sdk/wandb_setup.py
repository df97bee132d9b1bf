"""`wandb.sdk.wandb_setup`."""
from .._wb import setup, teardown

__all__ = ["setup", "teardown"]
