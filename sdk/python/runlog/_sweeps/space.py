"""Parameter distributions: sampling, and the numeric space in which the bayes search models them.

Each numeric distribution maps to an internal coordinate `u` with a prior: uniform on [lo, hi]
or normal(mu, sigma). Values are drawn in `u`, then transformed and quantized as W&B documents
(https://docs.wandb.ai/models/sweeps/sweep-config-keys, "distribution").
"""

import math


def is_numeric(spec):
    return spec["distribution"] not in ("constant", "categorical")


def prior(spec):
    """("uniform", lo, hi) or ("normal", mu, sigma) over the internal coordinate."""
    d = spec["distribution"]
    if d in ("int_uniform", "uniform", "q_uniform"):
        return ("uniform", float(spec["min"]), float(spec["max"]))
    if d in ("log_uniform", "q_log_uniform", "inv_log_uniform"):
        return ("uniform", float(spec["min"]), float(spec["max"]))  # min/max are natural-log exponents
    if d in ("log_uniform_values", "q_log_uniform_values"):
        return ("uniform", math.log(spec["min"]), math.log(spec["max"]))
    if d == "inv_log_uniform_values":
        return ("uniform", math.log(1.0 / spec["max"]), math.log(1.0 / spec["min"]))
    if d in ("normal", "q_normal", "log_normal", "q_log_normal"):
        return ("normal", float(spec["mu"]), float(spec["sigma"]))
    if d in ("beta", "q_beta"):
        return ("uniform", 0.0, 1.0)
    raise ValueError(d)


def bounds(spec):
    kind, a, b = prior(spec)
    return (a, b) if kind == "uniform" else (a - 4 * b, a + 4 * b)


def draw_internal(spec, rng):
    kind, a, b = prior(spec)
    if spec["distribution"] in ("beta", "q_beta"):
        return rng.betavariate(spec["a"], spec["b"])
    if kind == "uniform":
        return rng.uniform(a, b)
    return rng.gauss(a, b)


def to_value(spec, u):
    """The parameter's value for internal coordinate u."""
    d = spec["distribution"]
    q = spec.get("q")
    if d == "int_uniform":
        return int(min(spec["max"], max(spec["min"], math.floor(u + 0.5))))
    if d in ("uniform", "normal", "beta"):
        return u
    if d in ("q_uniform", "q_normal", "q_beta"):
        return _quantize(u, q)
    if d in ("log_uniform", "log_uniform_values", "log_normal"):
        return math.exp(u)
    if d in ("q_log_uniform", "q_log_uniform_values", "q_log_normal"):
        return _quantize(math.exp(u), q)
    if d in ("inv_log_uniform", "inv_log_uniform_values"):
        return math.exp(-u)
    raise ValueError(d)


def to_internal(spec, value):
    """The inverse of to_value (up to quantization); None when value is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    d = spec["distribution"]
    try:
        if d in ("log_uniform", "log_uniform_values", "log_normal", "q_log_uniform", "q_log_uniform_values",
                 "q_log_normal"):
            return math.log(value)
        if d in ("inv_log_uniform", "inv_log_uniform_values"):
            return -math.log(value)
    except ValueError:
        return None
    return float(value)


def _quantize(x, q):
    v = round(x / q) * q
    return int(round(v)) if float(q).is_integer() and abs(v - round(v)) < 1e-9 else v


def sample(spec, rng):
    d = spec["distribution"]
    if d == "constant":
        return spec["value"]
    if d == "categorical":
        probs = spec.get("probabilities")
        if probs is None:
            return spec["values"][rng.randrange(len(spec["values"]))]
        x, acc = rng.random(), 0.0
        for value, p in zip(spec["values"], probs):
            acc += p
            if x < acc:
                return value
        return spec["values"][-1]
    if d == "int_uniform":
        return rng.randint(spec["min"], spec["max"])
    return to_value(spec, draw_internal(spec, rng))


def set_path(out, path, value):
    for name in path[:-1]:
        out = out.setdefault(name, {})
    out[path[-1]] = value


def get_path(data, path):
    for name in path:
        if not isinstance(data, dict) or name not in data:
            return None
        data = data[name]
    return data
