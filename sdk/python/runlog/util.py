"""`runlog.util` (also `wandb.util`): the helpers training code imports from W&B's util module."""

import json
import os

from ._names import generate_id as _generate_id
from ._values import json_default


def generate_id(length=8):
    """A random run id of `length` characters of [a-z0-9] (W&B's `wandb.util.generate_id`)."""
    from ._names import ID_ALPHABET
    import secrets
    if length == 8:
        return _generate_id()
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def make_artifact_name_safe(name):
    import re
    return re.sub(r"[^a-zA-Z0-9_\-.]", "_", name)[:128]


def to_forward_slash_path(path):
    return path.replace("\\", "/") if os.sep == "\\" else path


def json_friendly(obj):
    """(value, converted): a JSON-friendly form of numpy/torch values, sets and paths."""
    converted = json_default(obj)
    return converted, converted is not obj


def json_dumps_safer(obj, **kwargs):
    return json.dumps(obj, default=json_default, **kwargs)


def get_module(name, required=None, lazy=True):
    """The module `name` if it can be imported, else None (or ImportError with `required`)."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError:
        if required:
            raise ImportError(required if isinstance(required, str) else "%s is required" % name)
        return None


def mkdir_exists_ok(path):
    os.makedirs(path, exist_ok=True)
    return True


def is_numpy_array(obj):
    return type(obj).__module__ == "numpy" and type(obj).__name__ == "ndarray"


def is_pytorch_tensor(obj):
    return type(obj).__module__.startswith("torch") and type(obj).__name__ in ("Tensor", "Parameter")


def ensure_text(s, encoding="utf-8"):
    return s.decode(encoding) if isinstance(s, bytes) else s


__all__ = ["generate_id", "make_artifact_name_safe", "to_forward_slash_path", "json_friendly",
           "json_dumps_safer", "get_module", "mkdir_exists_ok", "is_numpy_array", "is_pytorch_tensor",
           "ensure_text"]
