"""The Run: what `runlog.init()` returns. Logging lives here; records (config and summary
changes, alerts) in _records.py, files and artifacts in _runfiles.py, start/flush/finish in
_runlife.py, config and summary in _config.py."""

import json
import math
import os
import threading
import time

from ._config import Config, Summary
from ._metrics import MetricsMixin
from ._runattrs import AttrsMixin
from ._runfiles import ArtifactVersion, FilesMixin
from ._runlife import LifecycleMixin, _exit_code
from ._records import ALERT_LEVELS, RecordsMixin
from . import _media
from ._callsite import note as _note_callsite
from ._values import as_mapping, metric_value, warn
from ._writer import JsonlWriter

# Compact separators; NaN and Infinity are written as the bare tokens FORMAT.md allows.
_dumps = json.JSONEncoder(separators=(",", ":")).encode
_time = time.time

# Values kept per metric for the sparklines: a reservoir that halves itself (keeping every other
# sample and sampling half as often) whenever it fills.
_RESERVOIR = 256

__all__ = ["Run", "Config", "Summary", "ArtifactVersion", "ALERT_LEVELS", "_check_tags", "_exit_code"]


class Run(AttrsMixin, MetricsMixin, FilesMixin, LifecycleMixin, RecordsMixin):
    """One tracked run. Created by `runlog.init()`; see the package docstring for the API."""

    def __init__(self, *, store, project, run_id, name, run_dir, entity, group, job_type, notes, tags,
                 settings, resumed, fork_of, sequence, mode="online", sweep_id=None):
        self.id = run_id
        self.project = project
        self.entity = entity
        self.group = group
        self.job_type = job_type
        self._run_dir = run_dir  # the record files; `run.dir` is its files/ folder (AttrsMixin)
        self.store = store
        self.sweep_id = sweep_id
        self._mode = mode
        self.resumed = resumed
        self.fork_of = fork_of
        self.sequence = sequence
        self.start_time = _time()
        self._name = name
        self._notes = notes
        self._tags = list(tags) if tags else []
        self._settings = settings
        # Re-entrant: the SIGTERM handler finishes the run in the main thread, which may have been
        # interrupted inside log().
        self._lock = threading.RLock()
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        self._events = JsonlWriter(os.path.join(run_dir, "events.jsonl"), self._lock)
        self._ebuf = self._events.buf
        self._output = JsonlWriter(os.path.join(run_dir, "output.jsonl"))
        self._system = JsonlWriter(os.path.join(run_dir, "system.jsonl"))
        self._step = 0
        self._last_step = None
        self._pending = None
        self._media_step = None  # the step media records were last written at (log_media)
        self._last = {}
        self._stats = {}
        self._warned_keys = set()
        self._finished = False
        self._closed = False  # finished, finishing, or inert: nothing more is written
        self._finishing = False
        self._warned_after_finish = False
        self._inert = False
        self._exit_state = None
        self._stop = threading.Event()
        self._threads = []
        self._tees = []
        self._lock_file = None
        self._watch = None  # the sweep's hyperband check, called with each committed row
        self._child = False  # a forked child writing to its parent's run (_runlife)
        self._saved = {}  # save(policy="live"/"end"): (source, is_glob) -> base, copied again at finish
        self._file_stats = {}  # run path -> (size, mtime_ns) last recorded
        self._source_stats = {}  # saved source -> (size, mtime_ns) when last copied
        self._starting_step = 0
        self._init_metrics()
        self.config = Config(self)
        self.summary = Summary(self)

    # -- properties ---------------------------------------------------------------------------

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("runlog: a run name must be a non-empty string, got %r" % (value,))
        if self._check_open("name"):
            self._name = value
            self._record({"type": "name", "ts": _time(), "name": value})

    @property
    def notes(self):
        return self._notes or ""

    @notes.setter
    def notes(self, value):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError("runlog: notes must be a string, got %s" % type(value).__name__)
        if self._check_open("notes"):
            self._notes = value
            self._record({"type": "notes", "ts": _time(), "text": value})

    @property
    def tags(self):
        return tuple(self._tags)

    @tags.setter
    def tags(self, value):
        tags = _check_tags(value)
        if self._check_open("tags"):
            self._tags = tags
            self._record({"type": "tags", "ts": _time(), "tags": tags})

    @property
    def step(self):
        """The step the next `log()` without `step=` writes to."""
        return self._step

    @property
    def path(self):
        """The run path: `entity/project/id`, or `project/id` without an entity."""
        return "/".join(p for p in (self.entity, self.project, self.id) if p)

    @property
    def finished(self):
        return self._finished

    @property
    def state(self):
        """`running`, or how the run ended: `finished`, `failed` or `killed`."""
        return self._exit_state[0] if self._exit_state else "running"

    def __repr__(self):
        return "<runlog.Run %s (%s) in %s>" % (self._name, self.id, self.project)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Jupyter's rich display: the editor's notebook renderer draws the run's charts."""
        from ._notebook import mimebundle
        return mimebundle(self, include, exclude)

    # -- logging ------------------------------------------------------------------------------

    def log(self, data, step=None, commit=None):
        """Record one step of metrics; see the package docstring."""
        if commit is None:
            # As in wandb: without step= each call is its own step; with step= calls for the
            # same step merge, and the step is written when a later step (or finish) arrives.
            commit = step is None
        if self._closed:
            self._warn_closed("log")
            return
        if type(data) is not dict:
            try:
                data = as_mapping(data, "log()")
            except TypeError as e:
                warn(str(e))
                return
        for v in data.values():
            t = type(v)
            if t is not float and t is not int and t is not bool:
                media = {}
                row = self._clean_row(data, step, media=media)
                return self._log_slow(row, step, commit, media)
        if step is not None or not commit or self._pending is not None or self._defs or not data:
            return self._log_slow(data, step, commit)
        # The hot path: one lock, one json.dumps, no copies. _commit() is the general version.
        self._acquire()
        try:
            if self._closed:
                return
            n = self._step
            try:
                line = '{"type":"history","ts":%.6f,"step":%d,"data":%s}\n' % (_time(), n, _dumps(data))
            except (TypeError, ValueError):  # e.g. a key json cannot write
                return self._log_slow(self._clean_row(data, None), None, True)
            self._ebuf.append(line)
            self._step = n + 1
            self._last_step = n
            self._last.update(data)
            stats = self._stats
            for k, v in data.items():
                s = stats.get(k)
                if s is None:
                    s = stats[k] = [math.inf, -math.inf, 0, 1, []]
                    _note_callsite(self, data)  # first sight of a key: where is it logged from?
                if v < s[0]:
                    s[0] = v
                if v > s[1]:
                    s[1] = v
                n = s[2] = s[2] + 1
                if n % s[3] == 0:
                    samples = s[4]
                    samples.append(v)
                    if len(samples) >= _RESERVOIR:
                        del samples[::2]
                        s[3] *= 2
        finally:
            self._release()
        if self._watch is not None:
            self._watch(data)

    def watch(self, models, criterion=None, log="gradients", log_freq=1000, idx=None, log_graph=False):
        """Histograms of a torch model's gradients and/or parameters every `log_freq` batches."""
        return _media.watch(models, criterion, log, log_freq, idx, log_graph, run=self)

    def unwatch(self, models=None):
        _media.unwatch(models, run=self)

    def _log_slow(self, row, step, commit, media=None):
        with self._lock:
            if self._closed:
                return
            _note_callsite(self, row)
            if step is not None and step != self._step:
                if not self._move_to_step(step):
                    return
            if media:
                _media.log_media(self, media, self._step)
                self._media_step = self._step
            if not commit:
                if self._pending is None:
                    self._pending = dict(row)
                else:
                    self._pending.update(row)
                return
            if self._pending is not None:
                pending, self._pending = self._pending, None
                pending.update(row)
                row = pending
            self._commit(row)
        if self._watch is not None:
            self._watch(row)

    def _commit(self, row):
        # Callers hold self._lock. Rows here may hold None (JSON null), strings and other JSON.
        # A row left with nothing to keep (only skipped values, or log({})) writes no step; a
        # step that holds only media has its media records and no empty history row, and ends.
        if not row:
            if self._media_step == self._step:
                self._last_step = self._step
                self._step += 1
            return
        if self._defs:
            self._sync_step_metrics(row)
        step = self._step
        try:
            line = '{"type":"history","ts":%.6f,"step":%d,"data":%s}\n' % (_time(), step, _dumps(row))
        except (TypeError, ValueError):
            row = self._clean_row(row, step)
            if not row:
                return
            line = '{"type":"history","ts":%.6f,"step":%d,"data":%s}\n' % (_time(), step, _dumps(row))
        self._ebuf.append(line)
        self._step = step + 1
        self._last_step = step
        self._last.update(row)
        self._track(row)
        if self._defs:
            self._track_defined(row)

    def _track(self, row):
        stats = self._stats
        for k, v in row.items():
            s = stats.get(k)
            if s is None:
                s = stats[k] = [math.inf, -math.inf, 0, 1, []]
            if v is None or type(v) not in (int, float, bool):
                continue
            if v < s[0]:
                s[0] = v
            if v > s[1]:
                s[1] = v
            n = s[2] = s[2] + 1
            if n % s[3] == 0:
                s[4].append(v)
                if len(s[4]) >= _RESERVOIR:
                    del s[4][::2]
                    s[3] *= 2

    def _move_to_step(self, step):
        # Callers hold self._lock. Returns False when the data must be dropped.
        if type(step) is not int:
            try:
                as_int = int(step)
                if as_int != step or isinstance(step, bool):
                    raise ValueError
                step = as_int
            except (TypeError, ValueError, OverflowError):
                warn("runlog: log(step=%r) ignored: step must be an integer" % (step,))
                return False
            if step == self._step:
                return True
        if step < self._step:
            warn("runlog: log(step=%d) dropped: steps must increase and the current step is %d"
                 % (step, self._step))
            return False
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._commit(pending)
        self._step = step
        return True

    def _clean_row(self, data, step, prefix="", out=None, media=None):
        """Flatten nested dicts to `a/b` keys. Numbers, bools and None are kept as metrics;
        strings, lists and other JSON values are kept as they are (the editor shows them as
        text); media values (runlog.Image, Table, ...) go to `media` when given; anything else
        is skipped with one warning per key."""
        if out is None:
            out = {}
        for k, v in data.items():
            key = prefix + (k if isinstance(k, str) else str(k))
            if isinstance(v, dict):
                self._clean_row(v, step, key + "/", out, media)
                continue
            if media is not None and _media.is_media(v):
                media[key] = v
                continue
            try:
                out[key] = metric_value(v)
                continue
            except TypeError as e:
                problem = str(e)
            if isinstance(v, str):
                out[key] = v
                continue
            if isinstance(v, (list, tuple)):
                try:
                    out[key] = json.loads(_dumps([_plain(x) for x in v]))
                    continue
                except (TypeError, ValueError) as e:
                    problem = "a list holding %s" % (e,)
            if key not in self._warned_keys:
                self._warned_keys.add(key)
                warn("runlog: log() ignores %r: a value must be a number, a bool, a string or JSON "
                     "(got %s)" % (key, problem))
        return out

    def _flush_pending(self):
        with self._lock:
            if self._pending is not None:
                pending, self._pending = self._pending, None
                self._commit(pending)


def _plain(value):
    try:
        return metric_value(value)
    except TypeError:
        if isinstance(value, (str, list, tuple, dict)) or value is None:
            return value
        raise TypeError(type(value).__name__)


def _check_tags(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    try:
        tags = list(value)
    except TypeError:
        raise ValueError("runlog: tags must be a list of strings, got %r" % (value,))
    for t in tags:
        if not isinstance(t, str) or not t.strip():
            raise ValueError("runlog: each tag must be a non-empty string, got %r" % (t,))
    return [t.strip() for t in tags]
