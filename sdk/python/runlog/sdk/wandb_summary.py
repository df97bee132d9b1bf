"""`wandb.sdk.wandb_summary`."""
from .._config import Summary

__all__ = ["Summary"]
