"""`wandb.sdk.lib`: `RunDisabled` (the run of mode="disabled")."""
from .._disabled import DisabledRun as RunDisabled

__all__ = ["RunDisabled"]
