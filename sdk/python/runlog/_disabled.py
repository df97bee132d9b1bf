"""`init(mode="disabled")` (also WANDB_MODE=disabled, WANDB_DISABLED=true): a run object that accepts
every call and writes nothing to the store, as W&B's disabled mode
(https://docs.wandb.ai/guides/technical-faq/setup/#can-i-disable-wandb-when-testing-my-code)."""

import tempfile
import time

from ._config import _clean_json
from ._metrics import MetricDefinition
from ._names import generate_id


class DisabledConfig(dict):
    """`run.config` of a disabled run: a dict with attribute access, recording nothing."""

    def update(self, data=None, allow_val_change=None, **kwargs):
        if data is not None:
            dict.update(self, _as_dict(data))
        dict.update(self, kwargs)

    def setdefaults(self, data):
        for k, v in _as_dict(data).items():
            self.setdefault(k, v)

    def as_dict(self):
        return dict(self)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value


class DisabledSummary(DisabledConfig):
    pass


def _as_dict(data):
    from ._config import config_from
    return config_from(data, "config.update()")


def _noop(*args, **kwargs):
    return None


class DisabledRun(object):
    """Every Run method and attribute, doing nothing. `run.dir` is a temporary folder, so code that
    writes files there still works."""

    disabled = True
    offline = False
    mode = "disabled"
    resumed = False
    sweep_id = None
    url = None
    project_url = None
    sweep_url = None
    finished = False
    state = "running"
    _tees = ()  # read by the exception hook, like a real run's

    def __init__(self, project=None, name=None, id=None, entity=None, group=None, job_type=None,
                 notes=None, tags=None, config=None, settings=None):
        self.id = id or generate_id()
        self.name = name or "dummy-%s" % self.id
        self.project = project or "dummy"
        self.entity = entity
        self.group = group
        self.job_type = job_type
        self.notes = notes or ""
        self.tags = tuple(tags or ())
        self.config = DisabledConfig()
        if config:
            self.config.update(_clean_json(config))
        self.summary = DisabledSummary()
        self.settings = settings
        self.start_time = time.time()
        self.step = 0
        self.starting_step = 0
        self._dir = None

    @property
    def dir(self):
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="runlog-disabled-")
        return self._dir

    @property
    def path(self):
        return "/".join(p for p in (self.entity, self.project, self.id) if p)

    def log(self, data=None, step=None, commit=None, **kwargs):
        if step is not None:
            try:
                self.step = max(self.step, int(step))
            except (TypeError, ValueError):
                pass
        if commit is not False and step is None:
            self.step += 1

    def define_metric(self, name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None, **kwargs):
        return MetricDefinition(name, step_metric, step_sync, hidden, None, goal)

    def save(self, *args, **kwargs):
        return []

    def finish(self, exit_code=None, quiet=None):
        from . import _lifecycle
        self.finished = True
        _lifecycle.run_finished(self)

    join = finish

    def get_url(self):
        return None

    get_project_url = get_sweep_url = get_url

    def project_name(self):
        return self.project

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish()
        return False

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _noop

    def __repr__(self):
        return "<runlog.Run %s (disabled)>" % (self.id,)


def is_disabled_env(env):
    for key in ("RUNLOG_MODE", "WANDB_MODE"):
        value = (env.get(key) or "").strip().lower()
        if value:
            return value == "disabled"
    return (env.get("WANDB_DISABLED") or "").strip().lower() in ("true", "1", "yes")
