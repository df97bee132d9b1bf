"""Content-addressed media files under `<run>/media/`, and the error every media type raises."""

import hashlib
import math
import os
import sys
import threading


class MediaError(ValueError):
    """A value log() cannot store as media; the message says what is wrong with it."""


def write_media(run_dir, data, ext):
    """Writes `data` to `media/<sha256>.<ext>` (once; fsync'd) and returns its record fields."""
    digest = hashlib.sha256(data).hexdigest()
    name = "%s.%s" % (digest, ext)
    folder = os.path.join(run_dir, "media")
    path = os.path.join(folder, name)
    try:
        if os.path.getsize(path) == len(data):
            return {"path": "media/" + name, "size": len(data), "sha256": digest}
    except OSError:
        pass
    os.makedirs(folder, exist_ok=True)
    # A temporary name, then rename: a reader (or a crash) never sees a half-written file.
    tmp = "%s.tmp-%d-%d" % (path, os.getpid(), threading.get_ident())
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return {"path": "media/" + name, "size": len(data), "sha256": digest}


def read_file(path, what):
    try:
        with open(os.fspath(path), "rb") as f:
            return f.read()
    except OSError as e:
        raise MediaError("%s: cannot read %r (%s)" % (what, os.fspath(path), e.strerror or e))


def module_of(value):
    return type(value).__module__.split(".", 1)[0]


def numpy():
    """The numpy module when the script has it (values that are numpy arrays imply it)."""
    mod = sys.modules.get("numpy")
    if mod is None:
        try:
            import numpy as mod  # noqa: F811
        except ImportError:
            return None
    return mod


def as_array(value):
    """A numpy array from a numpy array, a torch tensor or nested lists; None without numpy."""
    np = numpy()
    if np is None:
        return None
    if module_of(value) == "torch":
        t = value.detach().cpu()
        if str(t.dtype) in ("torch.bfloat16", "torch.float16"):
            t = t.float()
        return t.numpy()
    return np.asarray(value)


def plain(value):
    """A JSON-friendly table cell: numbers, strings, bools, None, lists and dicts of them."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", 0) == 0:
        try:
            return plain(item())
        except Exception:
            pass
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        try:
            return plain(tolist())
        except Exception:
            pass
    return str(value)


def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
