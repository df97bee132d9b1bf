"""`run.config` and `run.summary`."""

import dataclasses
import json
import math
import os
import types

try:
    from collections.abc import MutableMapping
except ImportError:  # pragma: no cover
    from collections import MutableMapping

from ._values import as_mapping, json_default

_dumps_any = json.JSONEncoder(separators=(",", ":"), default=json_default).encode


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
        return self._run._summary_value(key)

    def __setitem__(self, key, value):
        self.update({key: value})

    def __delitem__(self, key):
        raise TypeError("runlog: summary keys cannot be removed")

    def update(self, data=None, **kwargs):
        changes = {} if data is None else dict(as_mapping(data, "summary.update()"))
        changes.update(kwargs)
        if changes:
            self._run._summary_changed(changes)

    def _keys(self):
        seen = dict.fromkeys(k for k in self._run._last if k in self)
        seen.update(dict.fromkeys(self._explicit))
        return list(seen)

    def __iter__(self):
        return iter(self._keys())

    def __len__(self):
        return len(self._keys())

    def __contains__(self, key):
        if key in self._explicit:
            return True
        try:
            self._run._summary_value(key)
            return True
        except KeyError:
            return False

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



def _flatten(data, prefix, out):
    for k, v in data.items():
        if isinstance(v, dict):
            _flatten(v, prefix + str(k) + "/", out)
        else:
            out[prefix + str(k)] = v



# -- what init(config=...) accepts -------------------------------------------------------------

def config_from(value, what="init(config=...)"):
    """A dict from every config form W&B accepts (https://docs.wandb.ai/ref/python/init: a dict,
    an argparse Namespace, absl flags, or the path of a YAML file) plus a SimpleNamespace, a
    dataclass, a pydantic model and a JSON file."""
    if value is None:
        return {}
    if isinstance(value, (str, bytes)) or hasattr(value, "__fspath__"):
        return load_config_file(os.fsdecode(os.fspath(value)))
    if isinstance(value, dict):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    flags = getattr(value, "flag_values_dict", None)  # absl.flags.FLAGS
    if callable(flags):
        return dict(flags())
    dump = getattr(value, "model_dump", None)  # pydantic v2
    if callable(dump):
        return dict(dump())
    if hasattr(value, "keys") and hasattr(value, "__getitem__"):
        return {k: value[k] for k in value.keys()}
    if hasattr(value, "_get_kwargs"):  # argparse.Namespace
        return dict(value._get_kwargs())
    if isinstance(value, types.SimpleNamespace):
        return dict(vars(value))
    raise TypeError("runlog: %s expects a dict, an argparse Namespace, a SimpleNamespace, a dataclass or "
                    "the path of a YAML or JSON file, got %s" % (what, type(value).__name__))


def filter_keys(data, include=None, exclude=None):
    """W&B's config_include_keys / config_exclude_keys (top-level keys; not both)."""
    if include and exclude:
        raise ValueError("runlog: init() takes config_include_keys or config_exclude_keys, not both")
    if include:
        keep = set(include)
        return {k: v for k, v in data.items() if k in keep}
    if exclude:
        drop = set(exclude)
        return {k: v for k, v in data.items() if k not in drop}
    return data


def load_config_file(path):
    """A YAML or JSON config file as a dict. W&B's config-file form (`key: {desc: ..., value: ...}`
    and `wandb_version`) is unwrapped to `key: value`."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise FileNotFoundError("runlog: cannot read the config file %r: %s" % (path, e.strerror or e))
    if path.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ValueError("runlog: the config file %r is not valid JSON: %s" % (path, e))
    else:
        data = _load_yaml(text, path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("runlog: the config file %r must hold a mapping of keys to values" % (path,))
    out = {}
    for key, v in data.items():
        if key in ("wandb_version", "_wandb"):
            continue
        if isinstance(v, dict) and "value" in v and set(v) <= {"value", "desc"}:
            v = v["value"]
        out[str(key)] = v
    return out


def _load_yaml(text, path):
    try:
        import yaml  # PyYAML, when installed
    except ImportError:
        yaml = None
    if yaml is not None:
        try:
            return yaml.safe_load(text)
        except Exception as e:
            raise ValueError("runlog: the config file %r is not valid YAML: %s" % (path, e))
    from ._sweeps import miniyaml  # the SDK's one YAML subset reader (also for sweep files)
    try:
        return miniyaml.loads(text)
    except ValueError as e:
        raise ValueError("runlog: the config file %r: %s (install PyYAML for full YAML)" % (path, e))
