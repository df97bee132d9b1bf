"""The three search methods: grid, random, and bayes as a tree-structured Parzen estimator (TPE).

Why TPE rather than a Gaussian process: a sweep mixes categorical, integer, log-scaled and
nested parameters, which TPE models one by one with no kernel design; it needs no matrix
inversion (a GP in stdlib Python would solve an n x n system per suggestion); and its cost grows
linearly with the trials. It is the default sampler of Optuna (Bergstra et al., NeurIPS 2011).
"""

import math
import random as _random

from . import config as _config
from . import space

N_STARTUP = 5
N_CANDIDATES = 24
GAMMA = 0.25


def grid_point(params, index):
    """The `index`-th combination (last parameter varies fastest), or None past the end."""
    leaves = list(_config.iter_leaves(params))
    choices = [_config.grid_values(spec, path) for path, spec in leaves]
    total = 1
    for c in choices:
        total *= len(c)
    if index >= total:
        return None
    out = {}
    for (path, _), values in reversed(list(zip(leaves, choices))):
        index, k = divmod(index, len(values))
        space.set_path(out, path, values[k])
    return _ordered(params, out)


def random_point(params, rng):
    out = {}
    for path, spec in _config.iter_leaves(params):
        space.set_path(out, path, space.sample(spec, rng))
    return out


def _ordered(params, values):
    out = {}
    for path, _ in _config.iter_leaves(params):
        space.set_path(out, path, space.get_path(values, path))
    return out


def tpe_point(params, observations, goal, rng):
    """observations: [(params dict, metric value)] of ended trials. Random until N_STARTUP of them."""
    obs = [(p, y) for p, y in observations if isinstance(y, (int, float)) and not isinstance(y, bool) and math.isfinite(y)]
    if len(obs) < N_STARTUP:
        return random_point(params, rng)
    obs.sort(key=lambda o: o[1] if goal == "minimize" else -o[1])
    n_good = max(1, int(math.ceil(GAMMA * len(obs))))
    good = [p for p, _ in obs[:n_good]]
    bad = [p for p, _ in obs[n_good:]]
    out = {}
    for path, spec in _config.iter_leaves(params):
        d = spec["distribution"]
        if d == "constant":
            value = spec["value"]
        elif d == "categorical":
            value = _categorical(spec, path, good, bad, rng)
        else:
            value = _numeric(spec, path, good, bad, rng)
        space.set_path(out, path, value)
    return out


def _categorical(spec, path, good, bad, rng):
    values = spec["values"]
    k = len(values)

    def weights(points):
        counts = [1.0] * k  # one pseudo-count each: the prior
        for p in points:
            v = space.get_path(p, path)
            for i, candidate in enumerate(values):
                if candidate == v:
                    counts[i] += 1
                    break
        total = sum(counts)
        return [c / total for c in counts]

    lw, gw = weights(good), weights(bad)
    best, best_score = None, -math.inf
    for _ in range(N_CANDIDATES):
        i = _pick(lw, rng)
        score = math.log(lw[i]) - math.log(gw[i])
        if score > best_score:
            best, best_score = i, score
    return values[best]


def _pick(weights, rng):
    x, acc = rng.random(), 0.0
    for i, w in enumerate(weights):
        acc += w
        if x < acc:
            return i
    return len(weights) - 1


class _Parzen(object):
    """A mixture of the prior and one Gaussian per observed point, in the internal coordinate."""

    def __init__(self, spec, points):
        self.spec = spec
        self.kind, self.a, self.b = space.prior(spec)
        self.lo, self.hi = space.bounds(spec)
        width = self.hi - self.lo
        self.points = points
        n = len(points)
        # Scott's rule scaled to the range, floored so one lucky point does not collapse the search.
        self.sigma = max(width * 0.5 * (n + 1) ** -0.2, width / 100.0) if n else width

    def sample(self, rng):
        for _ in range(8):
            k = rng.randrange(len(self.points) + 1)
            if k == len(self.points):
                x = space.draw_internal(self.spec, rng)
            else:
                x = rng.gauss(self.points[k], self.sigma)
            if self.lo <= x <= self.hi:
                return x
        return min(self.hi, max(self.lo, x))

    def log_pdf(self, x):
        total = self._prior_pdf(x)
        for p in self.points:
            z = (x - p) / self.sigma
            total += math.exp(-0.5 * z * z) / (self.sigma * math.sqrt(2 * math.pi))
        return math.log(max(total / (len(self.points) + 1), 1e-300))

    def _prior_pdf(self, x):
        if self.kind == "uniform":
            return 1.0 / max(self.hi - self.lo, 1e-12)
        z = (x - self.a) / self.b
        return math.exp(-0.5 * z * z) / (self.b * math.sqrt(2 * math.pi))


def _numeric(spec, path, good, bad, rng):
    def coords(points):
        out = []
        for p in points:
            u = space.to_internal(spec, space.get_path(p, path))
            if u is not None and math.isfinite(u):
                out.append(u)
        return out

    lower, upper = _Parzen(spec, coords(good)), _Parzen(spec, coords(bad))
    best, best_score = None, -math.inf
    for _ in range(N_CANDIDATES):
        x = lower.sample(rng)
        score = lower.log_pdf(x) - upper.log_pdf(x)
        if score > best_score:
            best, best_score = x, score
    return space.to_value(spec, best)


def make_rng(sweep_id, index, seed=None):
    """A generator per trial: reproducible from the sweep (or seed) and trial number."""
    return _random.Random("%s:%d" % (seed if seed is not None else sweep_id, index))
