"""`runlog.sdk` (also `wandb.sdk`): the module paths W&B code imports names from, mostly for typing:
`wandb.sdk.wandb_run.Run`, `wandb.sdk.wandb_settings.Settings`, `wandb.sdk.wandb_config.Config`,
`wandb.sdk.wandb_summary.Summary`, `wandb.sdk.wandb_metric.Metric`, `wandb.sdk.wandb_init.init`,
`wandb.sdk.wandb_login.login`, `wandb.sdk.wandb_setup.setup`, `wandb.sdk.lib.RunDisabled`."""

from .. import _wb
from .._config import Config, Summary
from .._init import init
from .._run import Run
from .._settings import Settings
from . import lib, wandb_config, wandb_init, wandb_login, wandb_metric, wandb_run, wandb_settings, wandb_setup, wandb_summary

login = _wb.login
setup = _wb.setup

__all__ = ["Config", "Summary", "Run", "Settings", "init", "login", "setup", "lib", "wandb_config",
           "wandb_init", "wandb_login", "wandb_metric", "wandb_run", "wandb_settings", "wandb_setup",
           "wandb_summary"]
