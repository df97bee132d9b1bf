"""The Run: what `runlog.init()` returns."""

import json
import math
import os
import shutil
import sys
import threading
import time
import traceback

try:
    from collections.abc import MutableMapping
except ImportError:  # pragma: no cover
    from collections import MutableMapping

from . import _artifacts, _report
from ._capture import OutputTee
from ._store import FORMAT_VERSION, deep_merge
from ._system import SystemSampler
from ._values import as_mapping, json_default, metric_value, warn
from ._version import __version__
from ._writer import JsonlWriter

# Compact separators; NaN and Infinity are written as the bare tokens FORMAT.md allows.
_dumps = json.JSONEncoder(separators=(",", ":")).encode
_dumps_any = json.JSONEncoder(separators=(",", ":"), default=json_default).encode
_time = time.time

# Values kept per metric for the sparklines: a reservoir that halves itself (keeping every other
# sample and sampling half as often) whenever it fills.
_RESERVOIR = 256
_FLUSH_INTERVAL = 0.05

ALERT_LEVELS = ("INFO", "WARN", "ERROR")


def _json(obj):
    return _dumps_any(obj)


def _clean_json(value):
    """A plain JSON-compatible copy of a config or summary value."""
    return json.loads(_json(value))


class Config(MutableMapping):
    """`run.config`: a dict of hyperparameters with attribute access; each change is recorded."""

    def __init__(self, run, initial=None):
        object.__setattr__(self, "_run", run)
        object.__setattr__(self, "_data", initial if initial is not None else {})

    def update(self, data=None, allow_val_change=None, **kwargs):
        changes = {} if data is None else dict(as_mapping(data, "config.update()"))
        changes.update(kwargs)
        if changes:
            self._run._config_changed(changes)

    def setdefaults(self, data):
        missing = {k: v for k, v in as_mapping(data, "config.setdefaults()").items() if k not in self._data}
        if missing:
            self._run._config_changed(missing)

    def as_dict(self):
        return _clean_json(self._data)

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        self._run._config_changed({key: value})

    def __delitem__(self, key):
        raise TypeError("runlog: config keys cannot be removed (set %r to another value instead)" % (key,))

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def __getattr__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError("runlog config has no key %r" % (name,))

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __repr__(self):
        return "Config(%r)" % (self._data,)


class Summary(MutableMapping):
    """`run.summary`: the last value of each metric, overridden by values set explicitly."""

    def __init__(self, run, explicit=None):
        self._run = run
        self._explicit = explicit if explicit is not None else {}

    def __getitem__(self, key):
        if key in self._explicit:
            return self._explicit[key]
        return self._run._last[key]

    def __setitem__(self, key, value):
        self.update({key: value})

    def __delitem__(self, key):
        raise TypeError("runlog: summary keys cannot be removed")

    def update(self, data=None, **kwargs):
        changes = {} if data is None else dict(as_mapping(data, "summary.update()"))
        changes.update(kwargs)
        if changes:
            self._run._summary_changed(changes)

    def __iter__(self):
        seen = dict.fromkeys(self._run._last)
        seen.update(dict.fromkeys(self._explicit))
        return iter(list(seen))

    def __len__(self):
        return len(set(self._run._last) | set(self._explicit))

    def __contains__(self, key):
        return key in self._explicit or key in self._run._last

    def min(self, key):
        """Smallest value logged for metric `key` (NaN ignored), or None."""
        s = self._run._stats.get(key)
        return s[0] if s is not None and s[0] != math.inf else None

    def max(self, key):
        """Largest value logged for metric `key` (NaN ignored), or None."""
        s = self._run._stats.get(key)
        return s[1] if s is not None and s[1] != -math.inf else None

    def __repr__(self):
        return "Summary(%r)" % (dict(self.items()),)


class Run(object):
    """One tracked run. Created by `runlog.init()`; see the package docstring for the API."""

    def __init__(self, *, store, project, run_id, name, run_dir, entity, group, job_type, notes, tags,
                 settings, resumed, fork_of, sequence):
        self.id = run_id
        self.project = project
        self.entity = entity
        self.group = group
        self.job_type = job_type
        self.dir = run_dir
        self.store = store
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
                return self._log_slow(self._clean_row(data), step, commit)
        if step is not None or not commit or self._pending is not None:
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
                return self._log_slow(self._clean_row(data), None, True)
            self._ebuf.append(line)
            self._step = n + 1
            self._last_step = n
            self._last.update(data)
            stats = self._stats
            for k, v in data.items():
                s = stats.get(k)
                if s is None:
                    s = stats[k] = [math.inf, -math.inf, 0, 1, []]
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

    def _log_slow(self, row, step, commit):
        with self._lock:
            if self._closed:
                return
            if step is not None and step != self._step:
                if not self._move_to_step(step):
                    return
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

    def _commit(self, row):
        # Callers hold self._lock. Rows here may hold None (JSON null).
        step = self._step
        try:
            line = '{"type":"history","ts":%.6f,"step":%d,"data":%s}\n' % (_time(), step, _dumps(row))
        except (TypeError, ValueError):
            row = self._clean_row(row)
            line = '{"type":"history","ts":%.6f,"step":%d,"data":%s}\n' % (_time(), step, _dumps(row))
        self._ebuf.append(line)
        self._step = step + 1
        self._last_step = step
        self._last.update(row)
        self._track(row)

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

    def _clean_row(self, data, prefix="", out=None):
        """Flatten nested dicts to `a/b` keys and keep only numbers, bools and None."""
        if out is None:
            out = {}
        for k, v in data.items():
            key = prefix + (k if isinstance(k, str) else str(k))
            if isinstance(v, dict):
                self._clean_row(v, key + "/", out)
                continue
            try:
                out[key] = metric_value(v)
            except TypeError as e:
                if key not in self._warned_keys:
                    self._warned_keys.add(key)
                    warn("runlog: log() ignores %r: a metric must be a number or a boolean (got %s)"
                         % (key, e))
        return out

    def _flush_pending(self):
        with self._lock:
            if self._pending is not None:
                pending, self._pending = self._pending, None
                self._commit(pending)

    # -- records ------------------------------------------------------------------------------

    def _record(self, rec):
        line = _json(rec) + "\n"
        with self._lock:
            self._ebuf.append(line)

    def _check_open(self, what):
        if self._closed:
            self._warn_closed(what)
            return False
        return True

    def _warn_closed(self, what):
        if self._inert:
            return
        if not self._warned_after_finish:
            self._warned_after_finish = True
            warn("runlog: %s() after finish() of run %s is ignored; nothing was written" % (what, self.id))

    def _config_changed(self, changes):
        if not self._check_open("config"):
            return
        changes = {(k if isinstance(k, str) else str(k)): v for k, v in changes.items()}
        data = _clean_json(changes)
        with self._lock:
            deep_merge(self.config._data, data)
            self._record({"type": "config", "ts": _time(), "data": data})

    def _summary_changed(self, changes):
        if not self._check_open("summary"):
            return
        changes = {(k if isinstance(k, str) else str(k)): v for k, v in changes.items()}
        data = _clean_json(changes)
        with self._lock:
            deep_merge(self.summary._explicit, data)
            self._record({"type": "summary", "ts": _time(), "data": data})

    def alert(self, title, text="", level="INFO", wait_duration=None):
        """Record an alert; the editor shows it as a notification."""
        lvl = getattr(level, "value", level)
        lvl = lvl.upper() if isinstance(lvl, str) else lvl
        if lvl == "WARNING":
            lvl = "WARN"
        if lvl not in ALERT_LEVELS:
            raise ValueError("runlog: alert level must be one of INFO, WARN, ERROR; got %r" % (level,))
        if not isinstance(title, str) or not title:
            raise ValueError("runlog: alert title must be a non-empty string, got %r" % (title,))
        if self._check_open("alert"):
            self._record({"type": "alert", "ts": _time(), "title": title, "text": str(text), "level": lvl})
            self._flush_events()

    def save(self, glob_str, base_path=None, policy="now"):
        """Copy a file (or the files a glob pattern matches) into `<run>/files/`; returns their run paths."""
        if not self._check_open("save"):
            return []
        path = os.fspath(glob_str)
        if any(c in path for c in "*?["):
            import glob
            matches = [p for p in sorted(glob.glob(path, recursive=True)) if os.path.isfile(p)]
            if not matches:
                raise FileNotFoundError("runlog: save(): no file matches %r" % (path,))
            return [self._save_one(p, base_path) for p in matches]
        return [self._save_one(path, base_path)]

    def _save_one(self, path, base_path):
        if os.path.isdir(path):
            raise IsADirectoryError("runlog: save() takes files; %r is a folder (use log_artifact for folders)" % (path,))
        if not os.path.isfile(path):
            raise FileNotFoundError("runlog: save(): no such file: %r" % (path,))
        if base_path is not None:
            rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_path))
        elif os.path.isabs(path):
            cwd = os.getcwd()
            absolute = os.path.abspath(path)
            inside = os.path.commonpath([cwd, absolute]) == cwd if os.path.splitdrive(cwd)[0] == os.path.splitdrive(absolute)[0] else False
            rel = os.path.relpath(absolute, cwd) if inside else os.path.basename(absolute)
        else:
            rel = path
        rel = os.path.normpath(rel)
        parts = rel.replace("\\", "/").split("/")
        if os.path.isabs(rel) or rel in (".", "") or ".." in parts:
            raise ValueError("runlog: save() refuses %r: its name %r would escape the run's files folder"
                             % (path, rel))
        files_dir = os.path.join(self.dir, "files")
        dest = os.path.join(files_dir, rel)
        if os.path.commonpath([os.path.abspath(files_dir), os.path.abspath(dest)]) != os.path.abspath(files_dir):
            raise ValueError("runlog: save() refuses %r: it would land outside %s" % (path, files_dir))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(path, dest)
        run_path = "files/" + "/".join(parts)
        self._record({"type": "file", "ts": _time(), "path": run_path, "size": os.path.getsize(dest)})
        return run_path

    def log_artifact(self, artifact_or_path, name=None, type="dataset", aliases=None):
        """Store a file or folder as a new version of artifact `name` (or reuse identical content)."""
        if not self._check_open("log_artifact"):
            return None
        path = os.fspath(artifact_or_path)
        manifest, vdir = _artifacts.log_artifact(self.store, self.project, self.id, path, name, type)
        self._artifact_record("output", manifest, vdir)
        return ArtifactVersion(manifest, vdir)

    def use_artifact(self, artifact_or_name, type=None):
        """Record `name`, `name:latest` or `name:vN` as an input; returns its files folder."""
        if not self._check_open("use_artifact"):
            return None
        manifest, vdir = _artifacts.resolve(self.store, self.project, artifact_or_name)
        if type is not None and manifest.get("type") != type:
            raise ValueError("runlog: artifact %r has type %r, not %r"
                             % (artifact_or_name, manifest.get("type"), type))
        self._artifact_record("input", manifest, vdir)
        return os.path.join(vdir, "files")

    def _artifact_record(self, direction, manifest, vdir):
        self._record({
            "type": "artifact", "ts": _time(), "direction": direction, "name": manifest.get("name"),
            "artifact_type": manifest.get("type"), "version": manifest.get("version"),
            "digest": manifest.get("digest"), "size": manifest.get("size"),
            "path": os.path.relpath(vdir, self.store).replace(os.sep, "/"),
        })
        self._flush_events()

    def _flush_events(self):
        if self._events.buf:
            self._events.flush()

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self._finish("killed", 130)
        elif issubclass(exc_type, SystemExit):
            code = _exit_code(exc.code if exc is not None else None)
            self._finish("finished" if code == 0 else "failed", code)
        else:
            self._output_traceback(exc_type, exc, tb)
            self._finish("failed", 1)
        return False

    def finish(self, exit_code=None, quiet=None):
        """End the run: state finished (exit code 0) or failed (any other code). A second call does nothing."""
        code = _exit_code(exit_code)
        self._finish("finished" if code == 0 else "failed", code, quiet)

    def _output_traceback(self, exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        with self._output.lock:
            self._output.buf.append(_dumps({"ts": _time(), "stream": "stderr", "text": text}) + "\n")

    def _finish(self, state, code, quiet=None):
        with self._lock:
            if self._finished or self._finishing or self._inert:
                return
            self._finishing = True
        try:
            self._flush_pending()
        finally:
            self._closed = True
        try:
            self._record({"type": "exit", "ts": _time(), "code": code, "state": state})
            self._exit_state = (state, code)
            self._stop.set()
            self._restore_streams()
            for w in (self._events, self._output, self._system):
                w.close()
            if self._lock_file is not None:
                self._lock_file.release()
        finally:
            self._finished = True
            self._finishing = False
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout=0.2)
        from . import _lifecycle
        _lifecycle.run_finished(self)
        if not (self._settings.quiet if quiet is None else quiet):
            _report.emit(self._report_lines(state, code))

    def _report_lines(self, state, code):
        series = [(k, s[4]) for k, s in self._stats.items()]
        summary = []
        keys = list(self._last)
        flat_explicit = {}
        _flatten(self.summary._explicit, "", flat_explicit)
        for k in flat_explicit:
            if k not in self._last:
                keys.append(k)
        for k in keys:
            summary.append((k, flat_explicit[k] if k in flat_explicit else self._last[k]))
        lines = _report.finish_lines(series, summary)
        lines.append("")
        lines.append("View run %s at: %s" % (self._name, self.dir))
        if state != "finished":
            lines.append("Run %s (exit code %d)" % (state, code))
        lines.append("Find logs at: %s" % os.path.join(self.dir, "output.jsonl"))
        return lines

    def _restore_streams(self):
        for tee in self._tees:
            tee.flush_partial()
            tee.active = False
        for attr, tee in zip(("stdout", "stderr"), self._tees):
            if getattr(sys, attr) is tee:
                setattr(sys, attr, tee.original)
        self._tees = []

    # -- start --------------------------------------------------------------------------------

    def _start(self, init_rec, first_records, lock_file):
        """Write the init records, start the background threads and capture."""
        self._lock_file = lock_file
        with self._lock:
            if os.path.getsize(self._events.path) == 0 and not self._events.buf:
                self._events.buf.append(_dumps({
                    "type": "header", "format": "runlog", "version": FORMAT_VERSION, "minor": 0,
                    "writer": "runlog-python/" + __version__, "created": init_rec["ts"]}) + "\n")
            self._record(init_rec)
            for rec in first_records:
                self._record(rec)
        self._events.flush()
        s = self._settings
        if s.capture_output:
            for attr in ("stdout", "stderr"):
                stream = getattr(sys, attr)
                if stream is not None:
                    tee = OutputTee(stream, attr, self._output)
                    setattr(sys, attr, tee)
                    self._tees.append(tee)
        t = threading.Thread(target=self._flusher_loop, name="runlog-flusher", daemon=True)
        t.start()
        self._threads.append(t)
        if s.system_interval and s.system_interval > 0:
            t = threading.Thread(target=self._system_loop, name="runlog-system", daemon=True)
            t.start()
            self._threads.append(t)

    def _flusher_loop(self):
        interval = self._settings.heartbeat_interval
        next_beat = _time() + interval if interval and interval > 0 else None
        next_full = _time() + 1.0
        while True:
            # Metrics are written within 50 ms of a log() so an open run page draws them at once
            # (a wakeup with nothing buffered costs one check); everything else, partial output
            # lines included, at least every second as before.
            now = _time()
            wait = max(0.0, min(_FLUSH_INTERVAL, next_full - now))
            if next_beat is not None:
                wait = max(0.0, min(wait, next_beat - now))
            if self._stop.wait(wait):
                return
            try:
                now = _time()
                if next_beat is not None and now >= next_beat:
                    rec = {"type": "heartbeat", "ts": now}
                    if self._last_step is not None:
                        rec["step"] = self._last_step
                    self._record(rec)
                    next_beat = now + interval
                if now >= next_full:
                    self.flush()
                    next_full = now + 1.0
                else:
                    self._events.flush()
            except Exception:
                pass

    def flush(self):
        """Write everything buffered so far to disk."""
        for tee in list(self._tees):
            tee.flush_partial()
        self._output.flush()
        self._events.flush()
        self._system.flush()

    def _system_loop(self):
        interval = self._settings.system_interval
        try:
            sampler = SystemSampler()
        except Exception:
            return
        failures = 0
        while not self._stop.wait(interval):
            try:
                data = sampler.sample()
                failures = 0
            except Exception:
                failures += 1
                if failures >= 3:
                    return
                continue
            if data:
                line = '{"ts":%.6f,"data":%s}\n' % (_time(), _dumps(data))
                with self._system.lock:
                    self._system.buf.append(line)

    def _replay_history(self, history):
        """Feed history read back from disk (resume, fork) into the step counter and statistics."""
        with self._lock:
            for step, _, data in history:
                self._step = step + 1
                self._last_step = step
                self._last.update(data)
                self._track(data)

    def _after_fork_in_child(self):
        # A forked child (multiprocessing) must not write into the parent's files.
        self._inert = True
        self._closed = True
        self._lock = threading.RLock()
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        for tee in self._tees:
            tee.active = False


class ArtifactVersion(object):
    """What `log_artifact` returns: the stored version."""

    def __init__(self, manifest, vdir):
        self.name = manifest.get("name")
        self.type = manifest.get("type")
        self.version = manifest.get("version")
        self.digest = manifest.get("digest")
        self.size = manifest.get("size")
        self.dir = vdir
        self.files_dir = os.path.join(vdir, "files")
        self.manifest = manifest

    def __repr__(self):
        return "<runlog.ArtifactVersion %s:%s %s>" % (self.name, self.version, self.digest)


def _flatten(data, prefix, out):
    for k, v in data.items():
        if isinstance(v, dict):
            _flatten(v, prefix + str(k) + "/", out)
        else:
            out[prefix + str(k)] = v


def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code
    return 1


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
