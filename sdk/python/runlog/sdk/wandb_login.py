"""`wandb.sdk.wandb_login`."""
from .._wb import login

__all__ = ["login"]
