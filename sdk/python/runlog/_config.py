"""`run.config` and `run.summary`."""

import json
import math

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
        return self._run._last[key]

    def __setitem__(self, key, value):
        self.update({key: value})

    def __delitem__(self, key):
        raise TypeError("runlog: summary keys cannot be removed")

    def update(self, data=None, **kwargs):
        changes = {} if data is None else dict(as_mapping(data, "summary.update()"))
        changes.update(kwargs)
        if changes:
            self._run._summary_changed(changes)

    def __iter__(self):
        seen = dict.fromkeys(self._run._last)
        seen.update(dict.fromkeys(self._explicit))
        return iter(list(seen))

    def __len__(self):
        return len(set(self._run._last) | set(self._explicit))

    def __contains__(self, key):
        return key in self._explicit or key in self._run._last

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

