"""`wandb.apis`: the public API reads the local Runlog store (`runlog.Api`)."""

from . import public  # noqa: F401
