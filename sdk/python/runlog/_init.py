"""`runlog.init()`: start, resume, fork or rewind a run and make it the current run."""

import os
import sys
import time

from . import _code, _lifecycle
from ._meta import collect as _collect_meta
from ._names import generate_id, generate_name
from ._process import process_start_time
from ._run import Run, _check_tags
from ._settings import Settings
from ._sweeps import context as _sweep_context
from ._replay import read_run
from ._store import (RunExistsError, RunInUseError, RunLock, claim_sequence, count_runs, find_run_dir, hostname,
                     live_owner, parse_step_ref, read_resume_marker, resume_marker, runs_dir,
                     sanitize_project, validate_project, validate_run_id, write_resume_marker)
from ._config import config_from, filter_keys
from ._disabled import DisabledRun, is_disabled_env
from ._values import warn

_env_run_consumed = False


def _resume_mode(resume):
    if resume is None or resume is False or resume == "":
        return None
    if resume is True:
        return "auto"
    if isinstance(resume, str) and resume.lower() in ("allow", "must", "never", "auto"):
        return resume.lower()
    raise ValueError("runlog: resume must be 'allow', 'must', 'never', 'auto' or True, got %r" % (resume,))


def _env(env, key):
    value = env.get(key)
    return value if value not in (None, "") else None


def default_store(env):
    """The store when init() is given no `dir=`: $RUNLOG_DIR, else `.runlog` inside $WANDB_DIR (W&B's
    WANDB_DIR is where its `wandb/` folder goes: https://docs.wandb.ai/support/how_can_i_define_the_local_folder_where_to_save_the_wandb_files),
    else `.runlog` in the working folder."""
    wandb_dir = _env(env, "WANDB_DIR")
    return _env(env, "RUNLOG_DIR") or (os.path.join(wandb_dir, ".runlog") if wandb_dir else ".runlog")


def _first(*values):
    for v in values:
        if v is not None:
            return v
    return None


def _setup_settings():
    from . import _wb
    return _wb.setup_settings()


def _resolve_mode(mode, env):
    if mode is None:
        if is_disabled_env(env):
            return "disabled"
        mode = _env(env, "RUNLOG_MODE") or _env(env, "WANDB_MODE") or "online"
    key = str(mode).strip().lower()
    if key not in _MODES:
        raise ValueError("runlog: mode must be 'online', 'offline', 'disabled' or 'shared', got %r" % (mode,))
    return _MODES[key]


def _resolve_reinit(reinit):
    """W&B's reinit (https://docs.wandb.ai/guides/runs/multiple-runs-per-process/): True is
    "finish_previous", False is "return_previous", "default" is "finish_previous" in a notebook
    and "return_previous" elsewhere."""
    if reinit is None or reinit == "default":
        return "finish_previous" if _in_notebook() else "return_previous"
    if reinit is True:
        return "finish_previous"
    if reinit is False:
        return "return_previous"
    if reinit in _REINIT:
        return reinit
    raise ValueError("runlog: reinit must be True, False or one of %s; got %r" % (", ".join(_REINIT), reinit))


def _in_notebook():
    from ._notebook import kernel_shell  # one test of "a Jupyter kernel", shared with the notebook display
    return kernel_shell() is not None


# Every keyword of W&B's wandb.init (https://docs.wandb.ai/ref/python/init/). The ones with no local
# meaning are accepted silently: force, anonymous, allow_val_change, tensorboard/sync_tensorboard
# and monitor_gym (README.md, "W&B compatibility", says what each does here).
_REINIT = ("default", "return_previous", "finish_previous", "create_new")
_MODES = {"online": "online", "run": "online", "offline": "offline", "dryrun": "offline",
          "disabled": "disabled", "shared": "shared"}
_warned_kwargs = set()


def init(project=None, entity=None, name=None, id=None, config=None, notes=None, tags=None,
         group=None, job_type=None, dir=None, resume=None, fork_from=None, resume_from=None,
         settings=None, *, config_exclude_keys=None, config_include_keys=None, allow_val_change=None,
         mode=None, force=None, anonymous=None, reinit=None, save_code=None, tensorboard=None,
         sync_tensorboard=None, monitor_gym=None, **kwargs):
    """Start a run (see the module docstring) and make it the current run."""
    global _env_run_consumed
    fresh = sorted(k for k in kwargs if k not in _warned_kwargs)
    if fresh:
        _warned_kwargs.update(fresh)
        warn("runlog: init() accepts but ignores argument(s) it does not know: %s" % ", ".join(fresh))

    env = os.environ
    settings = Settings._resolve(settings, env, _setup_settings())
    x = settings._extra
    mode = _resolve_mode(mode if mode is not None else x.get("mode"), env)
    reinit = _resolve_reinit(reinit if reinit is not None else x.get("reinit"))
    previous = _lifecycle.current()
    if previous is not None and not previous.finished:
        if reinit == "return_previous":
            return previous
        if reinit == "finish_previous":
            previous.finish()
    make_current = reinit != "create_new" or previous is None or previous.finished
    trial = _sweep_context.take(env)  # a sweep agent's trial: its project, store, run id and params
    if trial is not None:
        project, dir, id, config = _sweep_context.apply(trial, project, dir, id, config)

    # The editor's per-launch values (run id, name, resume, fork, rewind) and W&B's WANDB_RUN_ID /
    # WANDB_RESUME belong to the first run this process starts; later runs get their own.
    launch = {} if _env_run_consumed else env
    _env_run_consumed = True

    if config is not None:
        config = config_from(config)
    config = filter_keys(config or {}, config_include_keys, config_exclude_keys) if (
        config or config_include_keys or config_exclude_keys) else config
    if mode == "disabled":
        run = DisabledRun(project=project or x.get("project"), name=name, id=id, entity=entity, group=group,
                          job_type=job_type, notes=notes, tags=tags, config=config, settings=settings)
        if make_current:
            _lifecycle.set_current(run)
        return run

    # RUNLOG_* first, then WANDB_* (https://docs.wandb.ai/guides/track/environment-variables/).
    dir = dir if dir is not None else x.get("root_dir")
    store = os.path.abspath(os.path.expanduser(
        os.fspath(dir) if dir else default_store(env)))
    if project is None:
        project = (x.get("project") or _env(env, "RUNLOG_PROJECT") or _env(env, "WANDB_PROJECT")
                   or sanitize_project(os.path.basename(os.getcwd())))
    validate_project(project)
    entity = _first(entity, x.get("entity"), _env(env, "WANDB_ENTITY"))
    run_id = _first(id, x.get("run_id"), _env(launch, "RUNLOG_RUN_ID"), _env(launch, "WANDB_RUN_ID"))
    if run_id is not None:
        validate_run_id(run_id)
    name = _first(name, x.get("run_name"), _env(launch, "RUNLOG_RUN_NAME"), _env(env, "WANDB_NAME"))
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError("runlog: name must be a non-empty string, got %r" % (name,))
    notes = _first(notes, x.get("run_notes"), _env(env, "RUNLOG_NOTES"), _env(env, "WANDB_NOTES"))
    if tags is None:
        tags = x.get("run_tags")
    if tags is None:
        text = _env(env, "RUNLOG_TAGS") or _env(env, "WANDB_TAGS")
        if text:
            tags = [t.strip() for t in text.split(",") if t.strip()]
    tags = _check_tags(tags) if tags is not None else None
    group = _first(group, x.get("run_group"), _env(env, "RUNLOG_GROUP"), _env(env, "WANDB_RUN_GROUP"))
    job_type = _first(job_type, x.get("run_job_type"), _env(env, "RUNLOG_JOB_TYPE"), _env(env, "WANDB_JOB_TYPE"))
    resume = _resume_mode(_first(resume, x.get("resume"), _env(launch, "RUNLOG_RESUME"), _env(launch, "WANDB_RESUME")))
    fork_from = _first(fork_from, x.get("fork_from"), _env(launch, "RUNLOG_FORK_FROM"))
    resume_from = _first(resume_from, x.get("resume_from"), _env(launch, "RUNLOG_RESUME_FROM"))
    sweep_id = _env(env, "RUNLOG_SWEEP_ID") or _env(env, "WANDB_SWEEP_ID")
    save_code = save_code if save_code is not None else x.get("save_code")
    if save_code is None:
        save_code = (_env(env, "WANDB_SAVE_CODE") or "").lower() in ("true", "1", "yes")

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
        if resume in ("allow", "must", "auto"):
            raise ValueError("runlog: fork_from= starts a new run; it cannot be combined with resume=%r" % (resume,))
        src_id, fork_step = parse_step_ref(fork_from, "fork_from")
        src_project, src_dir = find_run_dir(store, project, src_id)
        if src_dir is None:
            raise ValueError("runlog: cannot fork: no run %r in project %r (store %s)" % (src_id, project, store))
        fork_src = (src_id, fork_step, src_dir)

    marker = None
    if resume == "auto" and run_id is None and not resume_from and not fork_from:
        # W&B's resume="auto"/True without an id: the run a process started from this folder left
        # unfinished is continued (https://docs.wandb.ai/guides/runs/resuming/).
        marker = resume_marker(store, project, os.getcwd())
        run_id = read_resume_marker(marker, runs_dir(store, project))
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
    elif exists and resume not in ("allow", "must", "auto"):
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
        sequence = claim_sequence(store, project)
        run_name = name or generate_name(sequence)

    try:
        run = _open_run(store, project, run_id, run_name, run_dir, entity, group, job_type, notes, tags,
                        config, settings, state, rewind_step, fork_src, sequence, lock, trial,
                        mode=mode, sweep_id=sweep_id, make_current=make_current)
        if save_code:
            run._save_program()
        if marker is not None:
            write_resume_marker(marker, run_id)
            run._resume_marker = marker
    except BaseException:
        lock.release()
        raise
    return run


def _open_run(store, project, run_id, run_name, run_dir, entity, group, job_type, notes, tags, config,
              settings, state, rewind_step, fork_src, sequence, lock, trial=None, mode="online", sweep_id=None,
              make_current=True):
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
              resumed=resumed, fork_of=fork_of, sequence=sequence, mode=mode, sweep_id=sweep_id)
    host = hostname()
    init_rec = {"type": "init", "ts": time.time(), "id": run_id, "name": run_name, "project": project}
    for key, value in (("entity", entity), ("group", group), ("job_type", job_type),
                       ("notes", notes_value), ("tags", tags_value)):
        if value is not None:
            init_rec[key] = value
    # pid_start and heartbeat_interval tell the editor when this run's process is gone (README, State).
    beat = settings.heartbeat_interval if settings.heartbeat_interval and settings.heartbeat_interval > 0 else None
    init_rec.update({"pid": os.getpid(), "pid_start": process_start_time(), "heartbeat_interval": beat,
                     "host": host, "resumed": resumed})
    if fork_of is not None:
        init_rec["fork_of"] = fork_of
    init_rec["meta"] = _collect_meta(host)
    # Recorded so the editor can say when the first system sample comes (0 = sampling off).
    init_rec["meta"]["system_interval"] = settings.system_interval or 0
    if not resumed:  # the code this run started from, in <run>/code/ (README, On-disk format)
        _code.record(run_dir, _code_folder(init_rec["meta"]), os.environ, store)
    if trial is not None:
        _sweep_context.attach(trial, run, init_rec)

    if resumed:
        run.config._data.update(state.config)
        run.summary._explicit.update(state.summary)
        run._restore_definitions(state.metrics)
        run._replay_history(state.history)
        if state.last_step is not None and state.last_step + 1 > run._step:
            run._step = state.last_step + 1  # the last steps held only media
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

    run._starting_step = run._step
    if make_current:
        _lifecycle.set_current(run)
    else:
        _lifecycle.register(run)
    run._start(init_rec, first, lock)
    if config:
        run.config.update(config)
        run._events.flush()

    if "IPython" in sys.modules:  # a Jupyter kernel: the run lives across cells, shown in the cell
        from . import _notebook
        _notebook.attach(run, settings.quiet)
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




def _code_folder(meta):
    program = meta.get("program")
    return os.path.dirname(program) if program and "ipykernel" not in program else meta.get("cwd")
