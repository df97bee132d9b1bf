"""`wandb.sdk.wandb_metric`."""
from .._metrics import MetricDefinition as Metric

__all__ = ["Metric"]
