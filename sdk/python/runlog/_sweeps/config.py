"""Sweep configuration: W&B's schema, read from YAML, JSON or a dict, validated, normalized.

W&B documents the keys at https://docs.wandb.ai/models/sweeps/sweep-config-keys (method, metric,
parameters and their distributions, early_terminate, command and its macros, run_cap).
Every error names the offending key (as a dotted path) and says why.
"""

import json
import math
import os

METHODS = ("grid", "random", "bayes")
GOALS = ("minimize", "maximize")
GRID_LIMIT = 100000

# distribution -> (required keys, optional keys with defaults)
DISTRIBUTIONS = {
    "constant": (("value",), {}),
    "categorical": (("values",), {"probabilities": None}),
    "int_uniform": (("min", "max"), {}),
    "uniform": (("min", "max"), {}),
    "q_uniform": (("min", "max"), {"q": 1.0}),
    "log_uniform": (("min", "max"), {}),
    "log_uniform_values": (("min", "max"), {}),
    "q_log_uniform": (("min", "max"), {"q": 1.0}),
    "q_log_uniform_values": (("min", "max"), {"q": 1.0}),
    "inv_log_uniform": (("min", "max"), {}),
    "inv_log_uniform_values": (("min", "max"), {}),
    "normal": ((), {"mu": 0.0, "sigma": 1.0}),
    "q_normal": ((), {"mu": 0.0, "sigma": 1.0, "q": 1.0}),
    "log_normal": ((), {"mu": 0.0, "sigma": 1.0}),
    "q_log_normal": ((), {"mu": 0.0, "sigma": 1.0, "q": 1.0}),
    "beta": ((), {"a": 1.0, "b": 1.0}),
    "q_beta": ((), {"a": 1.0, "b": 1.0, "q": 1.0}),
}
_PARAM_KEYS = {"value", "values", "min", "max", "distribution", "q", "mu", "sigma", "a", "b",
               "probabilities", "parameters"}
_TOP_KEYS = {"program", "method", "metric", "parameters", "early_terminate", "command", "run_cap",
             "name", "description", "project", "entity", "controller"}
DEFAULT_COMMAND = ["${env}", "${interpreter}", "${program}", "${args}"]
MACROS = ("${env}", "${interpreter}", "${program}", "${args}", "${args_no_hyphens}", "${args_json}",
          "${args_json_file}", "${project}", "${entity}")


class SweepConfigError(ValueError):
    """The sweep configuration is not valid; the message names the key and the reason."""

    def __init__(self, key, reason):
        self.key = key
        self.reason = reason
        ValueError.__init__(self, "runlog sweep config: %s: %s" % (key or "(top level)", reason))


def load(source):
    """A config from a dict, a path to a .yaml/.yml/.json file, or YAML/JSON text."""
    if isinstance(source, dict):
        return validate(source)
    if hasattr(source, "__fspath__") or (isinstance(source, str) and "\n" not in source and os.path.exists(source)):
        path = os.fspath(source)
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
        return validate(parse_text(text, path))
    if isinstance(source, str):
        return validate(parse_text(source, "<text>"))
    raise SweepConfigError(None, "expected a dict, a file path or YAML/JSON text, got %s" % type(source).__name__)


def parse_text(text, where):
    stripped = text.lstrip()
    if stripped.startswith("{") or where.endswith(".json"):
        try:
            return json.loads(text)
        except ValueError as e:
            raise SweepConfigError(None, "%s is not valid JSON: %s" % (where, e))
    try:
        import yaml  # PyYAML when installed; safe_load builds only plain data
    except ImportError:
        yaml = None
    try:
        if yaml is not None:
            return yaml.safe_load(text)
        from . import miniyaml
        return miniyaml.loads(text)
    except Exception as e:  # yaml.YAMLError or miniyaml.YamlError
        raise SweepConfigError(None, "%s is not valid YAML: %s" % (where, str(e).strip()))


def validate(raw):
    """Checks `raw` and returns a normalized copy (a plain dict, JSON-ready)."""
    if not isinstance(raw, dict):
        raise SweepConfigError(None, "a sweep config is a mapping of keys, got %s" % type(raw).__name__)
    unknown = sorted(str(k) for k in raw if k not in _TOP_KEYS)
    if unknown:
        raise SweepConfigError(unknown[0], "unknown key (known: %s)" % ", ".join(sorted(_TOP_KEYS)))
    method = raw.get("method")
    if method is None:
        raise SweepConfigError("method", "missing (one of %s)" % ", ".join(METHODS))
    if method not in METHODS:
        raise SweepConfigError("method", "unknown method %r (one of %s)" % (method, ", ".join(METHODS)))
    out = {"method": method}
    for key in ("name", "description", "program", "project", "entity"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise SweepConfigError(key, "must be a non-empty string")
            out[key] = raw[key]
    metric = raw.get("metric")
    if metric is not None:
        if not isinstance(metric, dict):
            raise SweepConfigError("metric", "must be a mapping with name and goal")
        bad = sorted(k for k in metric if k not in ("name", "goal", "target"))
        if bad:
            raise SweepConfigError("metric.%s" % bad[0], "unknown key (known: name, goal, target)")
        if not isinstance(metric.get("name"), str) or not metric["name"]:
            raise SweepConfigError("metric.name", "missing: the metric the trials log")
        goal = metric.get("goal", "minimize")
        if goal not in GOALS:
            raise SweepConfigError("metric.goal", "must be minimize or maximize, got %r" % (goal,))
        out["metric"] = {"name": metric["name"], "goal": goal}
        if metric.get("target") is not None:
            out["metric"]["target"] = _number(metric["target"], "metric.target")
    if method == "bayes" and "metric" not in out:
        raise SweepConfigError("metric", "bayes needs a metric to optimize")
    params = raw.get("parameters")
    if not isinstance(params, dict) or not params:
        raise SweepConfigError("parameters", "missing or empty: name at least one parameter")
    out["parameters"] = _params(params, "parameters")
    if raw.get("run_cap") is not None:
        cap = raw["run_cap"]
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
            raise SweepConfigError("run_cap", "must be a positive integer, got %r" % (cap,))
        out["run_cap"] = cap
    if method == "grid":
        size = grid_size(out["parameters"])
        if size > GRID_LIMIT and "run_cap" not in out:
            raise SweepConfigError("parameters", "the grid has %d combinations, more than %d: narrow it or set "
                                   "run_cap" % (size, GRID_LIMIT))
    if raw.get("early_terminate") is not None:
        out["early_terminate"] = _early_terminate(raw["early_terminate"], out)
    if raw.get("command") is not None:
        command = raw["command"]
        if not isinstance(command, list) or not command or not all(isinstance(c, str) for c in command):
            raise SweepConfigError("command", "must be a non-empty list of strings")
        out["command"] = list(command)
        if "${program}" in command and "program" not in out:
            raise SweepConfigError("command", "uses ${program} but program is not set")
    return out


def _number(value, key):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise SweepConfigError(key, "must be a number, got %r" % (value,))
    return value


def _params(params, where):
    out = {}
    for name, spec in params.items():
        key = "%s.%s" % (where, name)
        if not isinstance(name, str) or not name or "/" in name:
            raise SweepConfigError(key, "parameter names are non-empty strings without '/'")
        if not isinstance(spec, dict):
            raise SweepConfigError(key, "must be a mapping (value, values, min/max, distribution or parameters)")
        unknown = sorted(k for k in spec if k not in _PARAM_KEYS)
        if unknown:
            raise SweepConfigError("%s.%s" % (key, unknown[0]), "unknown key (known: %s)" % ", ".join(sorted(_PARAM_KEYS)))
        if "parameters" in spec:
            if len(spec) != 1:
                raise SweepConfigError(key, "a nested 'parameters' block takes no other keys")
            if not isinstance(spec["parameters"], dict) or not spec["parameters"]:
                raise SweepConfigError(key + ".parameters", "must be a non-empty mapping")
            out[name] = {"parameters": _params(spec["parameters"], key + ".parameters")}
            continue
        out[name] = _param(spec, key)
    return out


def _param(spec, key):
    dist = spec.get("distribution")
    if dist is None:
        if "values" in spec:
            dist = "categorical"
        elif "value" in spec:
            dist = "constant"
        elif "min" in spec and "max" in spec:
            both_int = all(isinstance(spec[k], int) and not isinstance(spec[k], bool) for k in ("min", "max"))
            dist = "int_uniform" if both_int else "uniform"
        elif "mu" in spec or "sigma" in spec:
            dist = "normal"
        else:
            raise SweepConfigError(key, "give value, values, min and max, or a distribution")
    if dist not in DISTRIBUTIONS:
        raise SweepConfigError(key + ".distribution", "unknown distribution %r (known: %s)"
                               % (dist, ", ".join(sorted(DISTRIBUTIONS))))
    required, optional = DISTRIBUTIONS[dist]
    allowed = set(required) | set(optional) | {"distribution"}
    for k in spec:
        if k not in allowed:
            raise SweepConfigError("%s.%s" % (key, k), "%s does not take %s (it takes %s)"
                                   % (dist, k, ", ".join(sorted(set(required) | set(optional)))))
    for k in required:
        if k not in spec:
            raise SweepConfigError("%s.%s" % (key, k), "missing: %s needs %s" % (dist, " and ".join(required)))
    out = {"distribution": dist}
    if dist == "constant":
        out["value"] = spec["value"]
        return out
    if dist == "categorical":
        values = spec["values"]
        if not isinstance(values, list):
            raise SweepConfigError(key + ".values", "must be a list")
        if not values:
            raise SweepConfigError(key + ".values", "is empty: give at least one value")
        out["values"] = list(values)
        probs = spec.get("probabilities")
        if probs is not None:
            if (not isinstance(probs, list) or len(probs) != len(values)
                    or any(isinstance(p, bool) or not isinstance(p, (int, float)) or p < 0 for p in probs)
                    or abs(sum(probs) - 1.0) > 1e-6):
                raise SweepConfigError(key + ".probabilities", "must be %d non-negative numbers summing to 1" % len(values))
            out["probabilities"] = list(probs)
        return out
    for k, default in optional.items():
        out[k] = _number(spec.get(k, default), "%s.%s" % (key, k))
    for k in required:
        out[k] = _number(spec[k], "%s.%s" % (key, k))
    if "min" in out and out["min"] > out["max"]:
        raise SweepConfigError(key, "min (%r) is greater than max (%r)" % (out["min"], out["max"]))
    if dist == "int_uniform":
        for k in ("min", "max"):
            if not isinstance(out[k], int) and not float(out[k]).is_integer():
                raise SweepConfigError("%s.%s" % (key, k), "int_uniform needs integers, got %r" % (out[k],))
            out[k] = int(out[k])
    if dist in ("log_uniform_values", "q_log_uniform_values", "inv_log_uniform_values") and out["min"] <= 0:
        raise SweepConfigError(key + ".min", "%s needs min > 0, got %r" % (dist, out["min"]))
    if "q" in out and out["q"] <= 0:
        raise SweepConfigError(key + ".q", "must be positive, got %r" % (out["q"],))
    if "sigma" in out and out["sigma"] <= 0:
        raise SweepConfigError(key + ".sigma", "must be positive, got %r" % (out["sigma"],))
    for k in ("a", "b"):
        if k in out and out[k] <= 0:
            raise SweepConfigError("%s.%s" % (key, k), "must be positive, got %r" % (out[k],))
    return out


def _early_terminate(spec, config):
    if not isinstance(spec, dict):
        raise SweepConfigError("early_terminate", "must be a mapping with type: hyperband")
    if spec.get("type") != "hyperband":
        raise SweepConfigError("early_terminate.type", "unknown type %r (only hyperband)" % (spec.get("type"),))
    bad = sorted(k for k in spec if k not in ("type", "min_iter", "max_iter", "eta", "s", "strict"))
    if bad:
        raise SweepConfigError("early_terminate.%s" % bad[0], "unknown key (known: min_iter, max_iter, eta, s, strict)")
    if "metric" not in config:
        raise SweepConfigError("early_terminate", "hyperband needs a metric to compare trials")
    out = {"type": "hyperband", "eta": spec.get("eta", 3), "strict": bool(spec.get("strict", False))}
    for k in ("min_iter", "max_iter", "s"):
        if spec.get(k) is not None:
            v = spec[k]
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise SweepConfigError("early_terminate." + k, "must be a positive integer, got %r" % (v,))
            out[k] = v
    eta = out["eta"]
    if isinstance(eta, bool) or not isinstance(eta, (int, float)) or eta <= 1:
        raise SweepConfigError("early_terminate.eta", "must be a number greater than 1, got %r" % (eta,))
    if "min_iter" not in out and "max_iter" not in out:
        raise SweepConfigError("early_terminate", "hyperband needs min_iter or max_iter")
    if "max_iter" in out and "min_iter" not in out and "s" not in out:
        raise SweepConfigError("early_terminate.s", "with max_iter, give s (the number of brackets)")
    return out


def brackets(early):
    """Iterations at which hyperband compares trials, ascending."""
    eta = early["eta"]
    if "min_iter" in early:
        count = early.get("s")
        if count is None:
            count = 1
            if "max_iter" in early:
                while early["min_iter"] * eta ** count < early["max_iter"]:
                    count += 1
        return [int(round(early["min_iter"] * eta ** i)) for i in range(count)]
    top = early["max_iter"]
    return sorted({max(1, int(round(top / eta ** i))) for i in range(1, early["s"] + 1)})


def iter_leaves(params, prefix=()):
    """(path tuple, spec) of every leaf parameter, in config order."""
    for name, spec in params.items():
        if "parameters" in spec:
            for leaf in iter_leaves(spec["parameters"], prefix + (name,)):
                yield leaf
        else:
            yield prefix + (name,), spec


def grid_values(spec, path):
    dist = spec["distribution"]
    if dist == "constant":
        return [spec["value"]]
    if dist == "categorical":
        return list(spec["values"])
    if dist == "int_uniform":
        return list(range(spec["min"], spec["max"] + 1))
    if dist == "q_uniform":
        q = spec["q"]
        lo = math.ceil(spec["min"] / q - 1e-9)
        hi = math.floor(spec["max"] / q + 1e-9)
        return [_tidy(k * q) for k in range(lo, hi + 1)]
    raise SweepConfigError("parameters." + ".".join(path), "grid search needs values, value, int_uniform or q_uniform, "
                           "not %s" % dist)


def _tidy(x):
    return int(round(x)) if abs(x - round(x)) < 1e-9 else round(x, 12)


def grid_size(params):
    size = 1
    for path, spec in iter_leaves(params):
        dist = spec["distribution"]
        if dist == "int_uniform":
            n = spec["max"] - spec["min"] + 1
        elif dist == "q_uniform":
            n = max(0, math.floor(spec["max"] / spec["q"] + 1e-9) - math.ceil(spec["min"] / spec["q"] - 1e-9) + 1)
        else:
            n = len(grid_values(spec, path))
        size *= n
        if size > 10 ** 12:
            return size
    return size
