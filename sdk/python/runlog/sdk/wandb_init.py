"""`wandb.sdk.wandb_init`."""
from .._init import init

__all__ = ["init"]
