"""`runlog.Settings` (also `wandb.Settings`): process settings, each defaulting to its environment
variable. W&B's settings (https://docs.wandb.ai/ref/python/settings/) are accepted by name; the ones
that mean something for a local store act (see `_ACTING`), the others are kept and readable."""

from ._values import as_mapping, warn

# W&B's public setting names (wandb/sdk/wandb_settings.py). Any of them is accepted; `x_*` and `_*`
# (W&B's private ones) too. A name outside both gets one warning and is kept all the same.
WANDB_SETTINGS = frozenset("""
allow_offline_artifacts allow_val_change anonymous api_key azure_account_url_to_access_key base_url
code_dir config_paths console console_multipart credentials_file disable_code disable_git
disable_job_creation docker email entity force fork_from git_commit git_remote git_remote_url git_root
heartbeat_seconds host http_proxy https_proxy identity_token_file ignore_globs init_timeout
insecure_disable_ssl job_name job_source label_disable launch launch_config_path log_internal
log_symlink_user login_timeout mode notebook_name program program_abspath program_relpath project
quiet reinit relogin resume resume_from resumed root_dir run_group run_id run_job_type run_name
run_notes run_tags sagemaker_disable save_code settings_system show_colors show_emoji show_errors
show_info show_warnings silent start_method strict summary_timeout summary_warnings sweep_id
sweep_param_path symlink sync_tensorboard table_raise_on_max_row_limit_exceeded username
max_end_of_run_history_metrics max_end_of_run_summary_metrics
""".split())

# Runlog's own settings.
_FIELDS = ("quiet", "system_interval", "heartbeat_interval", "capture_output")

# W&B settings that act here: init() arguments given through settings, and these.
_ACTING = ("silent", "console", "mode", "reinit", "start_method", "x_disable_stats", "_disable_stats",
           "x_stats_sampling_interval", "_stats_sample_rate_seconds")

_warned = set()


class Settings(object):
    """Process settings. Runlog's own: quiet (RUNLOG_QUIET), system_interval (RUNLOG_SYSTEM_INTERVAL,
    seconds, 0 = off), heartbeat_interval (RUNLOG_HEARTBEAT_INTERVAL, seconds), capture_output
    (RUNLOG_CAPTURE_OUTPUT). W&B's names act where they mean something locally: silent (= quiet),
    console ("off" = no capture), mode, reinit, project, entity, run_id, run_name, run_group,
    run_job_type, run_notes, run_tags, resume, root_dir (the store), x_disable_stats and
    x_stats_sampling_interval (system sampling); start_method and the rest are kept and readable.
    """

    def __init__(self, quiet=None, system_interval=None, heartbeat_interval=None, capture_output=None,
                 **kwargs):
        object.__setattr__(self, "_extra", {})
        self.quiet = quiet
        self.system_interval = system_interval
        self.heartbeat_interval = heartbeat_interval
        self.capture_output = capture_output
        unknown = []
        for key, value in kwargs.items():
            if key not in WANDB_SETTINGS and not key.startswith(("x_", "_")):
                unknown.append(key)
            self._extra[key] = value
        fresh = [k for k in sorted(unknown) if k not in _warned]
        if fresh:
            _warned.update(fresh)
            warn("runlog: Settings(): %s %s not a W&B or Runlog setting; kept, but nothing reads %s"
                 % (", ".join(fresh), "is" if len(fresh) == 1 else "are", "it" if len(fresh) == 1 else "them"))

    def __getattr__(self, name):
        extra = object.__getattribute__(self, "_extra")
        if name in extra:
            return extra[name]
        if name in WANDB_SETTINGS:
            return None
        raise AttributeError("Settings has no attribute %r" % (name,))

    def __setattr__(self, name, value):
        if name in _FIELDS:
            object.__setattr__(self, name, value)
        else:
            self._extra[name] = value

    def update(self, settings=None, **kwargs):
        """Set several settings at once (a dict, another Settings, or keywords)."""
        data = {} if settings is None else _as_dict(settings)
        data.update(kwargs)
        for key, value in data.items():
            if value is not None:
                setattr(self, key, value)

    def get(self, name, default=None):
        value = getattr(self, name, None)
        return default if value is None else value

    def to_dict(self):
        out = {f: getattr(self, f) for f in _FIELDS}
        out.update(self._extra)
        return out

    def copy(self):
        return Settings(**self.to_dict())

    @classmethod
    def _resolve(cls, given, env, base=None):
        """The settings of one init(): `given` over `base` (from setup()) over the environment."""
        s = cls()
        for source in (base, given):
            if source is not None:
                if not isinstance(source, Settings):
                    source = cls(**_as_dict(source))
                for key, value in _as_dict(source).items():
                    if value is not None:
                        setattr(s, key, value)
        x = s._extra
        if s.quiet is None and x.get("silent") is not None:
            s.quiet = x["silent"]
        if s.capture_output is None and x.get("console") is not None:
            s.capture_output = x["console"] not in ("off", False)
        if s.system_interval is None:
            if x.get("x_disable_stats") or x.get("_disable_stats"):
                s.system_interval = 0.0
            else:
                rate = x.get("x_stats_sampling_interval", x.get("_stats_sample_rate_seconds"))
                if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0:
                    s.system_interval = float(rate)
        # RUNLOG_* first, then WANDB_* (https://docs.wandb.ai/guides/track/environment-variables/).
        if s.quiet is None:
            s.quiet = _env_flag(env, "RUNLOG_QUIET", None)
            if s.quiet is None:
                s.quiet = _env_flag(env, "WANDB_SILENT", False) or _env_flag(env, "WANDB_QUIET", False)
        if s.capture_output is None:
            s.capture_output = _env_flag(env, "RUNLOG_CAPTURE_OUTPUT", None)
            if s.capture_output is None:
                console = env.get("WANDB_CONSOLE", "").strip().lower()
                s.capture_output = console != "off"
        if s.system_interval is None:
            s.system_interval = _env_seconds(env, "RUNLOG_SYSTEM_INTERVAL", 10.0)
        if s.heartbeat_interval is None:
            s.heartbeat_interval = _env_seconds(env, "RUNLOG_HEARTBEAT_INTERVAL", 5.0)
        s.quiet = bool(s.quiet)
        s.capture_output = bool(s.capture_output)
        return s

    def __repr__(self):
        return "Settings(%s)" % ", ".join("%s=%r" % kv for kv in sorted(self.to_dict().items()) if kv[1] is not None)


def _as_dict(source):
    if isinstance(source, Settings):
        return source.to_dict()
    if hasattr(source, "model_dump"):  # a real wandb.Settings (pydantic)
        try:
            return {k: v for k, v in source.model_dump().items() if v is not None}
        except Exception:
            pass
    return dict(as_mapping(source, "init(settings=...)"))


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
