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

import os
import time

from . import _lifecycle
from ._artifacts import ArtifactNotFoundError
from ._meta import collect as _collect_meta
from ._names import generate_id, generate_name
from ._run import ArtifactVersion, Config, Run, Summary, _check_tags
from ._store import (RunExistsError, RunInUseError, RunLock, count_runs, find_run_dir, hostname,
                     live_owner, parse_step_ref, read_run, runs_dir, sanitize_project,
                     validate_project, validate_run_id)
from ._values import RunlogWarning, as_mapping, warn
from ._version import __version__

__all__ = [
    "init", "log", "finish", "alert", "save", "log_artifact", "use_artifact", "run", "config",
    "summary", "Run", "Config", "Summary", "Settings", "AlertLevel", "ArtifactVersion",
    "RunExistsError", "RunInUseError", "ArtifactNotFoundError", "RunlogWarning", "__version__",
]

_env_run_consumed = False


class AlertLevel(object):
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


class Settings(object):
    """Process settings; each one defaults to its environment variable.

    quiet (RUNLOG_QUIET), system_interval (RUNLOG_SYSTEM_INTERVAL, seconds, 0 = off),
    heartbeat_interval (RUNLOG_HEARTBEAT_INTERVAL, seconds), capture_output (RUNLOG_CAPTURE_OUTPUT).
    """

    _FIELDS = ("quiet", "system_interval", "heartbeat_interval", "capture_output")

    def __init__(self, quiet=None, system_interval=None, heartbeat_interval=None, capture_output=None,
                 silent=None, console=None):
        self.quiet = quiet if quiet is not None else silent
        self.system_interval = system_interval
        self.heartbeat_interval = heartbeat_interval
        self.capture_output = capture_output if capture_output is not None else (
            None if console is None else console not in ("off", False))

    @classmethod
    def _resolve(cls, given, env):
        if given is None:
            s = cls()
        elif isinstance(given, Settings):
            s = cls(**{f: getattr(given, f) for f in cls._FIELDS})
        else:
            data = dict(as_mapping(given, "init(settings=...)"))
            known = {"quiet", "silent", "console"} | set(cls._FIELDS)
            unknown = sorted(k for k in data if k not in known)
            if unknown:
                warn("runlog: init(settings=...) ignores unknown setting(s): %s" % ", ".join(unknown))
            s = cls(**{k: v for k, v in data.items() if k in known})
        if s.quiet is None:
            s.quiet = _env_flag(env, "RUNLOG_QUIET", False)
        if s.capture_output is None:
            s.capture_output = _env_flag(env, "RUNLOG_CAPTURE_OUTPUT", True)
        if s.system_interval is None:
            s.system_interval = _env_seconds(env, "RUNLOG_SYSTEM_INTERVAL", 10.0)
        if s.heartbeat_interval is None:
            s.heartbeat_interval = _env_seconds(env, "RUNLOG_HEARTBEAT_INTERVAL", 5.0)
        s.quiet = bool(s.quiet)
        s.capture_output = bool(s.capture_output)
        return s

    def __repr__(self):
        return "Settings(%s)" % ", ".join("%s=%r" % (f, getattr(self, f)) for f in self._FIELDS)


def _env_flag(env, key, default):
    value = env.get(key, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


def _env_seconds(env, key, default):
    value = env.get(key, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
        if seconds < 0 or seconds != seconds:
            raise ValueError
        return seconds
    except ValueError:
        warn("runlog: %s=%r is not a number of seconds; using %s" % (key, value, default))
        return default


def _resume_mode(resume):
    if resume is None or resume is False or resume == "":
        return None
    if resume is True:
        return "allow"
    if isinstance(resume, str) and resume.lower() in ("allow", "must", "never", "auto"):
        mode = resume.lower()
        return "allow" if mode == "auto" else mode
    raise ValueError("runlog: resume must be 'allow', 'must' or 'never', got %r" % (resume,))


def _env(env, key):
    value = env.get(key)
    return value if value not in (None, "") else None


def init(project=None, entity=None, name=None, id=None, config=None, notes=None, tags=None,
         group=None, job_type=None, dir=None, resume=None, fork_from=None, resume_from=None,
         settings=None, **kwargs):
    """Start a run (see the module docstring) and make it the current run."""
    global _env_run_consumed
    if kwargs:
        warn("runlog: init() ignores unsupported argument(s): %s" % ", ".join(sorted(kwargs)))
    previous = _lifecycle.current()
    if previous is not None and not previous.finished:
        previous.finish()

    env = os.environ
    settings = Settings._resolve(settings, env)
    # The editor's per-launch values (run id, name, resume, fork, rewind) belong to the first run
    # this process starts; later runs in the same process get their own.
    launch = {} if _env_run_consumed else env
    _env_run_consumed = True

    store = os.path.abspath(os.path.expanduser(os.fspath(dir) if dir else (_env(env, "RUNLOG_DIR") or ".runlog")))
    if project is None:
        project = _env(env, "RUNLOG_PROJECT") or sanitize_project(os.path.basename(os.getcwd()))
    validate_project(project)
    run_id = id if id is not None else _env(launch, "RUNLOG_RUN_ID")
    if run_id is not None:
        validate_run_id(run_id)
    name = name if name is not None else _env(launch, "RUNLOG_RUN_NAME")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError("runlog: name must be a non-empty string, got %r" % (name,))
    notes = notes if notes is not None else _env(env, "RUNLOG_NOTES")
    if tags is None and _env(env, "RUNLOG_TAGS"):
        tags = [t.strip() for t in env["RUNLOG_TAGS"].split(",") if t.strip()]
    tags = _check_tags(tags) if tags is not None else None
    group = group if group is not None else _env(env, "RUNLOG_GROUP")
    job_type = job_type if job_type is not None else _env(env, "RUNLOG_JOB_TYPE")
    resume = _resume_mode(resume if resume is not None else _env(launch, "RUNLOG_RESUME"))
    fork_from = fork_from if fork_from is not None else _env(launch, "RUNLOG_FORK_FROM")
    resume_from = resume_from if resume_from is not None else _env(launch, "RUNLOG_RESUME_FROM")
    if config is not None:
        config = as_mapping(config, "init(config=...)")

    if fork_from and resume_from:
        raise ValueError("runlog: pass fork_from= or resume_from=, not both")
    rewind_step = None
    fork_src = None
    if resume_from:
        src_id, rewind_step = parse_step_ref(resume_from, "resume_from")
        if run_id is not None and run_id != src_id:
            raise ValueError("runlog: resume_from=%r rewinds run %s, but id=%r was given"
                             % (resume_from, src_id, run_id))
        run_id = src_id
    elif fork_from:
        if resume in ("allow", "must"):
            raise ValueError("runlog: fork_from= starts a new run; it cannot be combined with resume=%r" % (resume,))
        src_id, fork_step = parse_step_ref(fork_from, "fork_from")
        src_project, src_dir = find_run_dir(store, project, src_id)
        if src_dir is None:
            raise ValueError("runlog: cannot fork: no run %r in project %r (store %s)" % (src_id, project, store))
        fork_src = (src_id, fork_step, src_dir)

    base = runs_dir(store, project)
    exists = run_id is not None and os.path.isdir(os.path.join(base, run_id))
    if rewind_step is not None:
        if not exists:
            raise ValueError("runlog: cannot rewind: no run %r in project %r (store %s)" % (run_id, project, store))
    elif resume == "must" and not exists:
        if run_id is None:
            raise ValueError("runlog: resume='must' needs the id= of the run to resume")
        raise ValueError("runlog: resume='must' but there is no run %r in project %r (store %s)"
                         % (run_id, project, store))
    elif exists and resume not in ("allow", "must"):
        raise RunExistsError(
            "runlog: a run with id %r already exists in project %r (%s); pass resume='allow' to "
            "continue it, or choose another id" % (run_id, project, os.path.join(base, run_id)))
    resuming = exists

    try:
        os.makedirs(base, exist_ok=True)
    except OSError as e:
        raise OSError(e.errno, "runlog: cannot create the project folder %s in the store: %s"
                      % (base, e.strerror or e))
    if resuming:
        run_dir = os.path.join(base, run_id)
        lock = RunLock(run_dir, run_id)
        lock.acquire()
        try:
            state = read_run(run_dir)
            owner = live_owner(state)
            if owner is not None:
                raise RunInUseError(
                    "runlog: run %s is still running in process %d on this host; stop it before resuming"
                    % (run_id, owner))
            header = state.header
            if header is not None and header.get("version") != 1:
                raise ValueError("runlog: run %s was written in format version %r, which this SDK (format 1) "
                                 "cannot continue" % (run_id, header.get("version")))
            if rewind_step is not None:
                if state.last_step is None or rewind_step > state.last_step:
                    raise ValueError("runlog: cannot rewind run %s to step %d: its last step is %s"
                                     % (run_id, rewind_step, state.last_step))
                state.history = [h for h in state.history if h[0] <= rewind_step]
        except BaseException:
            lock.release()
            raise
        sequence = count_runs(store, project)
        run_name = name or state.name or generate_name(sequence)
    else:
        generated = run_id is None
        while True:
            if generated:
                run_id = generate_id()
            run_dir = os.path.join(base, run_id)
            try:
                os.mkdir(run_dir)
                break
            except FileExistsError:
                if not generated:
                    raise RunExistsError("runlog: a run with id %r already exists in project %r (%s)"
                                         % (run_id, project, run_dir))
        lock = RunLock(run_dir, run_id)
        lock.acquire()
        state = None
        sequence = count_runs(store, project)
        run_name = name or generate_name(sequence)

    try:
        run = _open_run(store, project, run_id, run_name, run_dir, entity, group, job_type, notes, tags,
                        config, settings, state, rewind_step, fork_src, sequence, lock)
    except BaseException:
        lock.release()
        raise
    return run


def _open_run(store, project, run_id, run_name, run_dir, entity, group, job_type, notes, tags, config,
              settings, state, rewind_step, fork_src, sequence, lock):
    resumed = state is not None
    if resumed:
        entity = entity if entity is not None else state.entity
        group = group if group is not None else state.group
        job_type = job_type if job_type is not None else state.job_type
        notes_value = notes if notes is not None else state.notes
        tags_value = tags if tags is not None else state.tags
    else:
        notes_value, tags_value = notes, tags

    fork_of = None
    first = []
    src_state = None
    if fork_src is not None:
        src_id, fork_step, src_dir = fork_src
        src_state = read_run(src_dir)
        if src_state.last_step is None or fork_step > src_state.last_step:
            raise ValueError("runlog: cannot fork run %s at step %d: its last step is %s"
                             % (src_id, fork_step, src_state.last_step))
        src_state.history = [h for h in src_state.history if h[0] <= fork_step]
        fork_of = {"run": src_id, "step": fork_step}

    run = Run(store=store, project=project, run_id=run_id, name=run_name, run_dir=run_dir, entity=entity,
              group=group, job_type=job_type, notes=notes_value, tags=tags_value, settings=settings,
              resumed=resumed, fork_of=fork_of, sequence=sequence)
    host = hostname()
    init_rec = {"type": "init", "ts": time.time(), "id": run_id, "name": run_name, "project": project}
    for key, value in (("entity", entity), ("group", group), ("job_type", job_type),
                       ("notes", notes_value), ("tags", tags_value)):
        if value is not None:
            init_rec[key] = value
    init_rec.update({"pid": os.getpid(), "host": host, "resumed": resumed})
    if fork_of is not None:
        init_rec["fork_of"] = fork_of
    init_rec["meta"] = _collect_meta(host)

    if resumed:
        run.config._data.update(state.config)
        run.summary._explicit.update(state.summary)
        run._replay_history(state.history)
        if rewind_step is not None:
            first.append({"type": "rewind", "ts": time.time(), "step": rewind_step})
            run._step = rewind_step + 1
    elif src_state is not None:
        if src_state.config:
            run.config._data.update(src_state.config)
            first.append({"type": "config", "ts": time.time(), "data": src_state.config})
        for step, ts, data in src_state.history:
            first.append({"type": "history", "ts": ts, "step": step, "data": data})
        run._replay_history(src_state.history)
        run._step = fork_step + 1

    _lifecycle.set_current(run)
    run._start(init_rec, first, lock)
    if config:
        run.config.update(config)
        run._events.flush()

    if not settings.quiet:
        from . import _report
        lines = ["Tracking run %s (%s) in project %s" % (run_name, run_id, project),
                 "Run data is saved locally in %s" % run_dir]
        if rewind_step is not None:
            lines.append("Rewound to step %d; history continues at step %d" % (rewind_step, rewind_step + 1))
        elif resumed:
            lines.append("Resuming at step %d" % run.step)
        elif fork_of is not None:
            lines.append("Forked from run %s at step %d" % (fork_of["run"], fork_of["step"]))
        _report.emit(lines)
    return run


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


def log(data, step=None, commit=None):
    run = _lifecycle.current()
    if run is None:
        raise RuntimeError("runlog.log(): call runlog.init() first")
    run.log(data, step=step, commit=commit)


def finish(exit_code=None, quiet=None):
    run = _lifecycle.current()
    if run is not None:
        run.finish(exit_code=exit_code, quiet=quiet)


def alert(title, text="", level="INFO", wait_duration=None):
    return _require("alert").alert(title, text, level, wait_duration)


def save(glob_str, base_path=None, policy="now"):
    return _require("save").save(glob_str, base_path, policy)


def log_artifact(artifact_or_path, name=None, type="dataset", aliases=None):
    return _require("log_artifact").log_artifact(artifact_or_path, name=name, type=type, aliases=aliases)


def use_artifact(artifact_or_name, type=None):
    return _require("use_artifact").use_artifact(artifact_or_name, type=type)
