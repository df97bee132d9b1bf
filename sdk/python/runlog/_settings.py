"""`runlog.Settings`: process settings, each defaulting to its environment variable."""

from ._values import as_mapping, warn


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

