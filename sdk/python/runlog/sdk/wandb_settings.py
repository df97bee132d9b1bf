"""`wandb.sdk.wandb_settings`."""
from .._settings import Settings

__all__ = ["Settings"]
