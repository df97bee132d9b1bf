"""`wandb.sdk.wandb_config`."""
from .._config import Config

__all__ = ["Config"]
