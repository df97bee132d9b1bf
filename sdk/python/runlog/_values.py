"""Turning what a script passes into what the format stores."""

import os
import sys
import warnings


class RunlogWarning(UserWarning):
    pass


def warn(message):
    """Issue a RunlogWarning attributed to the first frame outside this package."""
    if message.startswith("runlog: "):
        message = message[len("runlog: "):]
    frame = sys._getframe(1)
    level = 2
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name != "runlog" and not name.startswith("runlog."):
            break
        frame = frame.f_back
        level += 1
    warnings.warn(message, RunlogWarning, stacklevel=level)


def json_default(obj):
    """json.dumps `default=` for config and summary values: numpy/torch, sets, paths, else str."""
    item = getattr(obj, "item", None)
    if callable(item):
        try:
            return item()
        except Exception:
            pass
    tolist = getattr(obj, "tolist", None)
    if callable(tolist):
        try:
            return tolist()
        except Exception:
            pass
    if isinstance(obj, (set, frozenset)):
        try:
            return sorted(obj)
        except TypeError:
            return list(obj)
    if hasattr(obj, "__fspath__"):
        return os.fspath(obj)
    if hasattr(obj, "_get_kwargs"):  # argparse.Namespace
        return vars(obj)
    return str(obj)


def as_mapping(data, what):
    """A dict from a dict, any Mapping, or an argparse.Namespace."""
    if isinstance(data, dict):
        return data
    if hasattr(data, "keys") and hasattr(data, "__getitem__"):
        return {k: data[k] for k in data.keys()}
    if hasattr(data, "_get_kwargs"):
        return dict(data._get_kwargs())
    raise TypeError("runlog: %s expects a dict, got %s" % (what, type(data).__name__))


def metric_value(value):
    """A value allowed in a history row (number, bool, None), or raises TypeError."""
    t = type(value)
    if t is float or t is int or t is bool or value is None:
        return value
    if isinstance(value, (int, float)):  # subclasses, e.g. IntEnum
        return bool(value) if isinstance(value, bool) else (
            int(value) if isinstance(value, int) else float(value))
    item = getattr(value, "item", None)  # numpy / torch scalars and 0-d arrays
    if callable(item):
        try:
            inner = item()
        except Exception as e:
            raise TypeError("%s whose .item() failed (%s)" % (type(value).__name__, e))
        if isinstance(inner, (bool, int, float)):
            return inner
        raise TypeError("%s holding %s" % (type(value).__name__, type(inner).__name__))
    raise TypeError(type(value).__name__)
