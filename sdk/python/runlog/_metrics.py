"""`run.define_metric`: W&B's metric definitions (https://docs.wandb.ai/ref/python/run/#define_metric,
https://docs.wandb.ai/guides/track/log/customize-logging-axes/).

A definition is written as a `metric` record (README.md, On-disk format); the editor's index applies
its summary rule and its x axis. In the SDK it drives `run.summary` and `step_sync` (a row holding a
metric with a custom x axis but not that axis gets the axis's last value, as W&B does).
"""

import fnmatch
import math
import time

from ._values import warn

SUMMARY_OPS = ("min", "max", "mean", "first", "last", "best", "copy", "none")
GOALS = {"minimize": "minimize", "min": "minimize", "maximize": "maximize", "max": "maximize"}


class MetricDefinition(object):
    """What `define_metric` returns (W&B's `wandb.sdk.wandb_metric.Metric`)."""

    def __init__(self, name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None):
        self.name = name
        self.step_metric = step_metric
        self.step_sync = step_sync
        self.hidden = hidden
        self.summary = summary  # tuple of ops, or None
        self.goal = goal

    def record(self):
        rec = {"type": "metric", "ts": time.time(), "name": self.name}
        for key in ("step_metric", "step_sync", "hidden", "goal"):
            value = getattr(self, key)
            if value is not None:
                rec[key] = value
        if self.summary is not None:
            rec["summary"] = list(self.summary)
        return rec

    def __repr__(self):
        return "<runlog.MetricDefinition %s>" % ", ".join(
            "%s=%r" % (k, v) for k, v in vars(self).items() if v is not None)


def parse_summary(summary):
    if summary is None:
        return None
    parts = summary.split(",") if isinstance(summary, str) else list(summary)
    ops = []
    for part in parts:
        op = str(part).strip().lower()
        if op not in SUMMARY_OPS:
            raise ValueError("runlog: define_metric(summary=%r): %r is not one of %s"
                             % (summary, op, ", ".join(SUMMARY_OPS)))
        if op not in ops:
            ops.append(op)
    return tuple(ops)


def rule_for(defs, key):
    """The definition in `defs` ({name or glob: MetricDefinition}) that applies to `key`: its own,
    else the longest matching glob."""
    found = defs.get(key)
    if found is None:
        best = -1
        for name, d in defs.items():
            if "*" in name and len(name) > best and fnmatch.fnmatchcase(key, name.replace("[", "[[]")):
                found, best = d, len(name)
    return found


def definitions(records):
    """{name: MetricDefinition} from `metric` records read back (a later one replaces an earlier one)."""
    out = {}
    for rec in records:
        try:
            ops = parse_summary(rec.get("summary"))
        except ValueError:
            ops = None
        out[rec["name"]] = MetricDefinition(rec["name"], rec.get("step_metric"), rec.get("step_sync"),
                                            rec.get("hidden"), ops, rec.get("goal"))
    return out


def apply_summary_rules(summary, history, records):
    """A summary of last values read back from disk (`Api`), shaped by the run's definitions as
    `run.summary` shapes it while the run is live: `{op: value}`, or the key left out for "none"."""
    defs = definitions(records)
    if not defs:
        return summary
    for key in list(summary):
        d = rule_for(defs, key)
        ops = [op for op in (d.summary or ()) if op != "copy"] if d is not None else []
        if not ops or ops == ["last"]:
            continue
        if "none" in ops:
            del summary[key]
            continue
        values = [data[key] for _, _, data in sorted(history, key=lambda h: h[0])
                  if key in data and type(data[key]) in (int, float, bool) and data[key] == data[key]]
        if not values:
            continue
        out = {}
        for op in ops:
            if op == "last":
                out[op] = summary[key]
            elif op == "min" or (op == "best" and d.goal != "maximize"):
                out[op] = min(values)
            elif op == "max" or op == "best":
                out[op] = max(values)
            elif op == "mean":
                out[op] = sum(values) / len(values)
            elif op == "first":
                out[op] = values[0]
        summary[key] = out
    return summary


class MetricsMixin(object):
    """Part of `Run` (see _run.py): metric definitions."""

    def _init_metrics(self):
        self._defs = {}  # name (or glob) -> MetricDefinition; non-empty sends log() off the hot path
        self._rule_cache = {}  # key -> MetricDefinition or None
        self._agg = {}  # key -> [first, sum, count] for keys whose summary needs them

    def define_metric(self, name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None,
                      overwrite=None, **kwargs):
        """Customize how metric `name` (a glob with `*` allowed) is summarized and charted."""
        if kwargs:
            warn("runlog: define_metric() ignores unsupported argument(s): %s" % ", ".join(sorted(kwargs)))
        if not isinstance(name, str) or not name:
            raise ValueError("runlog: define_metric() needs a metric name, got %r" % (name,))
        if name.endswith("*") and name != "*" and "*" in name[:-1]:
            raise ValueError("runlog: define_metric(%r): only one '*' is allowed" % (name,))
        step_metric = getattr(step_metric, "name", step_metric)  # a MetricDefinition is accepted
        if step_metric is not None and not isinstance(step_metric, str):
            raise ValueError("runlog: define_metric(step_metric=%r) must be a metric name" % (step_metric,))
        if goal is not None:
            if not isinstance(goal, str) or goal.lower() not in GOALS:
                raise ValueError("runlog: define_metric(goal=%r) must be 'minimize' or 'maximize'" % (goal,))
            goal = GOALS[goal.lower()]
        ops = parse_summary(summary)
        if step_metric is not None and step_sync is None:
            step_sync = True
        new = MetricDefinition(name, step_metric, step_sync, hidden, ops, goal)
        old = self._defs.get(name)
        if old is not None and overwrite is False:
            for key in ("step_metric", "step_sync", "hidden", "summary", "goal"):
                if getattr(new, key) is None:
                    setattr(new, key, getattr(old, key))
        if not self._check_open("define_metric"):
            return new
        with self._lock:
            self._defs[name] = new
            self._rule_cache.clear()
            self._record(new.record())
        return new

    def _restore_definitions(self, records):
        """Definitions read back from disk (resume): in force again, not written again."""
        self._defs.update(definitions(records))
        self._rule_cache.clear()

    def _rule(self, key):
        """The definition that applies to `key`: its own, else the longest matching glob."""
        cache = self._rule_cache
        if key in cache:
            return cache[key]
        found = cache[key] = rule_for(self._defs, key)
        return found

    def _sync_step_metrics(self, row):
        # Callers hold self._lock.
        last = self._last
        for key in list(row):
            d = self._rule(key)
            if d is not None and d.step_sync and d.step_metric and d.step_metric not in row and d.step_metric in last:
                row[d.step_metric] = last[d.step_metric]

    def _track_defined(self, row):
        for key, value in row.items():
            d = self._rule(key)
            if d is None or not d.summary or not (set(d.summary) & {"first", "mean"}):
                continue
            if type(value) not in (int, float, bool) or value != value:
                continue
            agg = self._agg.get(key)
            if agg is None:
                self._agg[key] = [value, float(value), 1]
            else:
                agg[1] += value
                agg[2] += 1

    def _summary_value(self, key):
        """W&B's summary of a logged metric under its definition; KeyError when it has none."""
        d = self._rule(key) if self._defs else None
        if d is None or not d.summary:
            return self._last[key]
        ops = [op for op in d.summary if op != "copy"] or ["last"]
        if "none" in ops:
            raise KeyError(key)
        if ops == ["last"]:
            return self._last[key]
        stats = self._stats.get(key)
        agg = self._agg.get(key)
        out = {}
        for op in ops:
            if op == "last":
                out[op] = self._last[key]
            elif op == "min" and stats and stats[0] != math.inf:
                out[op] = stats[0]
            elif op == "max" and stats and stats[1] != -math.inf:
                out[op] = stats[1]
            elif op == "mean" and agg:
                out[op] = agg[1] / agg[2]
            elif op == "first" and agg:
                out[op] = agg[0]
            elif op == "best" and stats:
                best = stats[1] if d.goal == "maximize" else stats[0]
                if best not in (math.inf, -math.inf):
                    out[op] = best
        if not out:
            raise KeyError(key)
        return out
