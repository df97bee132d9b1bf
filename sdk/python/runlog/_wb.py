"""W&B's process-level functions: `login`, `setup`, `teardown`, `require`, `termlog`/`termwarn`/
`termerror`/`termsetup` (https://docs.wandb.ai/ref/python/). Runlog has no server and no account:
`login` succeeds at once, whatever it is given."""

import os
import sys

from ._settings import Settings, _as_dict, _env_flag

_setup = None


def login(anonymous=None, key=None, relogin=None, host=None, force=None, timeout=None, verify=False,
          referrer=None, **kwargs):
    """Accepted for W&B code; Runlog stores runs locally and needs no account. Returns True."""
    return True


class _Setup(object):
    def __init__(self, settings):
        self.settings = settings


def setup(settings=None):
    """Set process-wide settings that every later init() starts from (W&B's `wandb.setup`)."""
    global _setup
    if settings is not None and not isinstance(settings, Settings):
        settings = Settings(**_as_dict(settings))
    if _setup is None:
        _setup = _Setup(settings or Settings())
    elif settings is not None:
        _setup.settings.update(settings)
    return _setup


def setup_settings():
    return _setup.settings if _setup is not None else None


def teardown(exit_code=None):
    """Finish every open run and forget setup()'s settings."""
    global _setup
    from . import _lifecycle
    for run in reversed(_lifecycle.live_runs()):
        run.finish(exit_code=exit_code)
    _setup = None


def require(requirement=None, experiment=None):
    """W&B's feature switches ("service", "core"): Runlog has them all; nothing to do."""
    return None


_term = {"silent": False}


def termsetup(settings=None, logger=None):
    if settings is not None:
        _term["silent"] = bool(getattr(settings, "silent", None) or getattr(settings, "quiet", None))


def termlog(string="", newline=True, repeat=True, prefix=True):
    _term_write(string, newline, prefix, "runlog: ")


def termwarn(string, newline=True, repeat=True, prefix=True):
    _term_write(string, newline, prefix, "runlog: WARNING ")


def termerror(string, newline=True, repeat=True, prefix=True):
    _term_write(string, newline, prefix, "runlog: ERROR ")


def _term_write(string, newline, prefix, head):
    if _term["silent"] or _env_flag(os.environ, "RUNLOG_QUIET", None) or (
            _env_flag(os.environ, "RUNLOG_QUIET", None) is None and _env_flag(os.environ, "WANDB_SILENT", False)):
        return
    stream = sys.stderr
    if stream is None:
        return
    lines = str(string).split("\n")
    text = "\n".join((head + line) if prefix else line for line in lines)
    try:
        stream.write(text + ("\n" if newline else ""))
        stream.flush()
    except Exception:
        pass
