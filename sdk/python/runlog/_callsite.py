"""Where each metric is logged from: the file and line of the `log()` call that first logged a key.

`note(run, keys)` is called by `Run.log()` only when a key is seen for the first time, so the
cost is one frame walk per key per process, never per call. It writes one `callsite` record
(README.md, On-disk format, minor 2) for the keys that call introduced; the editor shows the
metrics above that line.
"""

import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_time = __import__("time").time

# co_filename -> absolute path, or None for frames of the SDK itself (and of its wandb shim).
_resolved = {}


def _resolve(filename):
    try:
        return _resolved[filename]
    except KeyError:
        pass
    if filename.startswith("<"):  # <stdin>, <string>, a notebook cell <ipython-input-…>
        path = filename
    else:
        path = os.path.abspath(filename)
        if path.startswith(_PACKAGE_DIR):
            path = None
    _resolved[filename] = path
    return path


def caller():
    """(file, line) of the innermost frame outside the runlog package, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        path = _resolve(frame.f_code.co_filename)
        if path is not None:
            return path, frame.f_lineno
        frame = frame.f_back
    return None


def note(run, keys):
    """Records the caller of `log()` for those of `keys` this run has not placed yet.

    Callers hold the run's lock. Never raises: where a metric came from is a nicety."""
    try:
        seen = run.__dict__.get("_callsite_keys")
        if seen is None:
            seen = run.__dict__["_callsite_keys"] = set()
        new = [k for k in keys if k not in seen]
        if not new:
            return
        seen.update(new)
        site = caller()
        if site is None:
            return
        rec = {"type": "callsite", "ts": _time(), "file": site[0], "line": site[1], "keys": [k if isinstance(k, str) else str(k) for k in new]}
        run._record(rec)
    except Exception:
        pass
