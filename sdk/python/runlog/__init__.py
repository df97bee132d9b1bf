"""Runlog: track machine-learning runs in a local folder that the Runlog editor extension reads.

    import runlog

    run = runlog.init(project="awesome-project", config={"lr": 0.01})
    for epoch in range(10):
        run.log({"accuracy": acc, "loss": loss})
    run.finish()

`init()` creates (or resumes, forks, rewinds) a run under `<store>/projects/<project>/runs/<id>/`
and returns a `Run`; the module-level functions act on the current run (`runlog.run`).

- `run.log(data, step=None, commit=None)`: one step of metrics. Steps count up from 0; an explicit
  `step=` below the current step is dropped with a warning; `commit=False` accumulates into the
  current step. As in wandb, calls that pass `step=` merge into that step until a later step (or
  `finish()`) writes it; pass `commit=True` to write it at once. Nested dicts become `a/b` keys. Numbers, booleans, NaN and +-Infinity are kept,
  numpy/torch scalars are read with `.item()`, anything else is skipped with one warning per key.
- `run.config` (dict with attribute access), `run.summary` (last values, overridable),
  `run.name`, `run.notes`, `run.tags`: every change is recorded.
- `run.save(path)`, `run.log_artifact(path, name=None, type="dataset")`, `run.use_artifact(ref)`,
  `run.alert(title, text, level="INFO")`, `run.finish(exit_code=0)`; `with runlog.init(...) as run:`.

The store folder is `dir=`, else `$RUNLOG_DIR`, else `.runlog` in the working directory. The file
format is documented in the extension's README.md (On-disk format).
"""

from . import _lifecycle, errors, sdk, util
from ._api import Api
from ._artifact import Artifact
from ._artifacts import ArtifactNotFoundError
from ._init import init
from ._metrics import MetricDefinition
from ._names import generate_id, generate_name
from ._run import ArtifactVersion, Config, Run, Summary
from ._runfiles import restore_file as _restore_file
from ._settings import Settings
from ._wb import login, require, setup, teardown, termerror, termlog, termsetup, termwarn
from ._store import RunExistsError, RunInUseError
from ._sweeps import SweepConfigError, agent, sweep
from ._values import RunlogWarning
from ._version import __version__
# Rich media (issue 12): values for log(), charts, scikit-learn plots, torch hooks.
from ._media import Audio, Histogram, Html, Image, Plot, Table, Video, plot, sklearn, unwatch, watch

__all__ = [
    "init", "log", "finish", "sweep", "agent", "alert", "save", "log_artifact", "use_artifact", "run", "config",
    "summary", "Run", "Config", "Summary", "Settings", "AlertLevel", "ArtifactVersion",
    "Artifact", "Api", "log_model", "use_model",
    "RunExistsError", "RunInUseError", "SweepConfigError", "ArtifactNotFoundError", "RunlogWarning", "__version__",
    # Rich media (issue 12)
    "Image", "Table", "Histogram", "Audio", "Video", "Html", "Plot", "plot", "sklearn", "watch", "unwatch",
    # W&B's names (README.md, "W&B compatibility")
    "login", "setup", "teardown", "require", "termlog", "termwarn", "termerror", "termsetup", "util",
    "errors", "sdk", "join", "define_metric", "restore", "log_code", "mark_preempting",
    "MetricDefinition",
]


class AlertLevel(object):
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


# -- the current run ----------------------------------------------------------------------------

class _NoRun(object):
    """Stands in for `runlog.config` / `runlog.summary` before `init()`."""

    def __init__(self, what):
        self._what = what

    def _fail(self, *args, **kwargs):
        raise RuntimeError("runlog.%s: call runlog.init() first" % self._what)

    __getitem__ = __setitem__ = __contains__ = __iter__ = __len__ = update = keys = items = get = _fail

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        self._fail()

    def __repr__(self):
        return "<runlog.%s: no run; call runlog.init() first>" % self._what


def __getattr__(name):
    if name == "run":
        return _lifecycle.current()
    if name in ("config", "summary"):
        run = _lifecycle.current()
        return getattr(run, name) if run is not None else _NoRun(name)
    raise AttributeError("module 'runlog' has no attribute %r" % (name,))


def _require(what):
    run = _lifecycle.current()
    if run is None:
        raise RuntimeError("runlog.%s(): call runlog.init() first" % what)
    return run


def log(data, step=None, commit=None, sync=None):
    run = _lifecycle.current()
    if run is None:
        raise RuntimeError("runlog.log(): call runlog.init() first" + _child_hint())
    run.log(data, step=step, commit=commit)


def finish(exit_code=None, quiet=None):
    run = _lifecycle.current()
    if run is not None:
        run.finish(exit_code=exit_code, quiet=quiet)


def alert(title, text="", level="INFO", wait_duration=None):
    return _require("alert").alert(title, text, level, wait_duration)


def _child_hint():
    import multiprocessing
    if multiprocessing.parent_process() is None:
        return ""
    return (" (this process was started with the 'spawn' or 'forkserver' method, which does not "
            "inherit its parent's run; use the 'fork' method or call runlog.init() here)")


def join(exit_code=None, quiet=None):
    """W&B's deprecated alias of `finish()`."""
    finish(exit_code=exit_code, quiet=quiet)


def save(glob_str=None, base_path=None, policy="live"):
    return _require("save").save(glob_str, base_path, policy)


def define_metric(name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None, overwrite=None):
    return _require("define_metric").define_metric(name, step_metric=step_metric, step_sync=step_sync,
                                                   hidden=hidden, summary=summary, goal=goal, overwrite=overwrite)


def restore(name, run_path=None, replace=False, root=None):
    """A file kept with a run, copied into `root` and opened (W&B's `wandb.restore`)."""
    run = _lifecycle.current()
    if run is not None and not run.finished and not getattr(run, "disabled", False):
        return run.restore(name, run_path=run_path, replace=replace, root=root)
    import os
    from ._init import default_store
    store = os.path.abspath(os.path.expanduser(default_store(os.environ)))
    return _restore_file(store, None, name, run_path, replace, root or os.getcwd())


def log_code(root=".", name=None, include_fn=None, exclude_fn=None):
    return _require("log_code").log_code(root, name=name, include_fn=include_fn, exclude_fn=exclude_fn)


def mark_preempting():
    return _require("mark_preempting").mark_preempting()


def log_artifact(artifact_or_path, name=None, type=None, aliases=None, tags=None):
    return _require("log_artifact").log_artifact(artifact_or_path, name=name, type=type, aliases=aliases)


def use_artifact(artifact_or_name, type=None, aliases=None, use_as=None):
    return _require("use_artifact").use_artifact(artifact_or_name, type=type)


def log_model(path, name=None, aliases=None):
    return _require("log_model").log_model(path, name=name, aliases=aliases)


def use_model(name):
    return _require("use_model").use_model(name)

