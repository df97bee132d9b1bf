"""Sweeps: W&B's sweep API over the store's files (see agent.py and state.py).

    sweep_id = runlog.sweep({"method": "bayes", "metric": {"name": "loss", "goal": "minimize"},
                             "parameters": {"lr": {"min": 1e-4, "max": 1e-1}}}, project="p")
    runlog.agent(sweep_id, function=train, count=20)   # train() calls runlog.init()
"""

import os

from . import config as _config
from . import state as _state
from .config import SweepConfigError

__all__ = ["sweep", "agent", "create_sweep", "SweepConfigError"]


def _store(dir):
    return os.path.abspath(os.path.expanduser(os.fspath(dir) if dir else (os.environ.get("RUNLOG_DIR") or ".runlog")))


def create_sweep(config, project=None, dir=None):
    from .._store import sanitize_project, validate_project
    cfg = _config.load(config)
    project = project or cfg.get("project") or os.environ.get("RUNLOG_PROJECT") or sanitize_project(os.path.basename(os.getcwd()))
    validate_project(project)
    return _state.create(_store(dir), cfg, project)


def sweep(sweep, entity=None, project=None, prior_runs=None, dir=None):
    """Creates a sweep from a config dict, a YAML/JSON file path or text; returns its id."""
    return create_sweep(sweep, project=project, dir=dir)


def agent(sweep_id, function=None, entity=None, project=None, count=None, dir=None, quiet=False):
    """Runs trials of the sweep: `function()` per trial in this process (it calls runlog.init(),
    whose config is the trial's), or the sweep's program/command as a subprocess when no function."""
    from .runner import run_agent
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError("runlog.agent: count must be a positive integer, got %r" % (count,))
    return run_agent(_store(dir), sweep_id, function=function, count=count, quiet=quiet)
