"""How a trial reaches `runlog.init()`: the seam between the sweep agent and the run.

An in-process agent sets the trial here before calling the user's function; a trial started as
a subprocess gets RUNLOG_SWEEP_ID, RUNLOG_SWEEP_TRIAL, RUNLOG_RUN_ID, RUNLOG_PROJECT and RUNLOG_DIR.
The next `init()` takes the trial: its project, store and run id, and its parameters merged over
(and winning against) the `config=` given, as in W&B. The run records `sweep: {id, trial}` in its
init record and watches its metric for hyperband.
"""

import math
import os
import threading

from . import state as _state
from .config import brackets
from .._replay import deep_merge

_lock = threading.Lock()
_pending = None
_env_consumed = False


class Trial(object):
    def __init__(self, store, sweep_id, index, project, run_id, params, config):
        self.store = store
        self.sweep_id = sweep_id
        self.index = index
        self.project = project
        self.run_id = run_id
        self.params = params
        self.config = config


class TrialStopped(SystemExit):
    """Raised out of `run.log()` when hyperband stops the trial; the run has ended `killed`."""

    def __init__(self, reason):
        SystemExit.__init__(self, 0)
        self.reason = reason


def set_pending(trial):
    global _pending
    with _lock:
        _pending = trial


def take(env):
    """The trial the next init() belongs to, once; None outside a sweep."""
    global _pending, _env_consumed
    with _lock:
        if _pending is not None:
            trial, _pending = _pending, None
            return trial
        if _env_consumed or not env.get("RUNLOG_SWEEP_ID"):
            return None
        _env_consumed = True
    store = os.path.abspath(env.get("RUNLOG_DIR") or ".runlog")
    sweep_id = env["RUNLOG_SWEEP_ID"]
    try:
        index = int(env.get("RUNLOG_SWEEP_TRIAL", ""))
    except ValueError:
        raise ValueError("runlog: RUNLOG_SWEEP_TRIAL=%r is not a trial number" % env.get("RUNLOG_SWEEP_TRIAL"))
    sweep = _state.load(store, sweep_id)
    record = next((t for t in _state.read_trials(store, sweep_id) if t["trial"] == index), None)
    if record is None:
        raise ValueError("runlog: sweep %s has no trial %d" % (sweep_id, index))
    return Trial(store, sweep_id, index, record["run"]["project"], record["run"]["id"], record["params"],
                 sweep["config"])


def apply(trial, project, dir, id, config):
    """init()'s arguments for the trial's run."""
    merged = {}
    if config:
        deep_merge(merged, dict(config))
    deep_merge(merged, trial.params)
    return project or trial.project, dir or trial.store, id or trial.run_id, merged


def attach(trial, run, init_rec):
    run.sweep_id = trial.sweep_id
    init_rec["sweep"] = {"id": trial.sweep_id, "trial": trial.index}
    early = trial.config.get("early_terminate")
    metric = trial.config.get("metric")
    if early and metric:
        run._watch = _Hyperband(trial, run, metric, early)


class _Hyperband(object):
    """Counts the trial's logs of the metric; at each bracket, stops it when it is not in the best
    1/eta of the values the sweep's other trials had at that bracket (with at least eta-1 of them)."""

    def __init__(self, trial, run, metric, early):
        self.trial = trial
        self.run = run
        self.key = metric["name"]
        self.minimize = metric["goal"] == "minimize"
        self.eta = early["eta"]
        self.brackets = set(brackets(early))
        self.count = 0

    def __call__(self, row):
        value = row.get(self.key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        self.count += 1
        if self.count not in self.brackets or not math.isfinite(value):
            return
        t = self.trial
        peers = _state.read_rungs(t.store, t.sweep_id, exclude=t.index).get(self.count, [])
        _state.append_rung(t.store, t.sweep_id, t.index, self.count, value)
        values = sorted(peers + [value], reverse=not self.minimize)
        if len(values) < self.eta:
            return
        keep = max(1, int(math.floor(len(values) / self.eta)))
        cutoff = values[keep - 1]
        worse = value > cutoff if self.minimize else value < cutoff
        if not worse:
            return
        reason = ("hyperband: %s=%.6g at iteration %d is not in the best 1/%g of %d trials there (cutoff %.6g)"
                  % (self.key, value, self.count, self.eta, len(values), cutoff))
        self.run._watch = None
        self.run._finish("killed", 143, reason=reason)
        raise TrialStopped(reason)
