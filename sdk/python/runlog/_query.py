"""W&B's MongoDB-style run filters and orders (`Api().runs(path, filters=, order=)`), evaluated locally.

Fields: `config.<key>` (nested with dots; a trailing `.value` as W&B's raw config has is allowed),
`summary_metrics.<key>` (also `summary.<key>`), `tags`, `state`, `display_name`, `name` / `id`
(the run id, as W&B's filters use it), `group`, `job_type`, `notes`, `created_at` (seconds or
ISO 8601). Operators: `$and $or $nor $not $eq $ne $gt $gte $lt $lte $in $nin $regex $exists`;
any other `$` operator is refused with a clear error.
"""

import datetime
import re

_NOTHING = object()
OPERATORS = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$options", "$exists", "$not")


class FilterError(ValueError):
    pass


def _dig(data, parts):
    for i in range(len(parts), 0, -1):
        # Keys may themselves hold dots or slashes ("train/loss", "a.b"): try the longest first.
        key = ".".join(parts[:i])
        if isinstance(data, dict) and key in data:
            rest = parts[i:]
            return data[key] if not rest else _dig(data[key], rest)
    return _NOTHING


def field_value(run, field):
    """The value a filter field names on a run snapshot (`_NOTHING` when absent)."""
    head, _, rest = field.partition(".")
    if head == "config" and rest:
        value = _dig(run.config, rest.split("."))
        if value is _NOTHING and rest.endswith(".value"):
            value = _dig(run.config, rest[:-len(".value")].split("."))
        return value
    if head in ("summary_metrics", "summary") and rest:
        if rest in run.summary:
            return run.summary[rest]
        return _dig(run.summary, rest.split("."))
    simple = {
        "tags": run.tags, "state": run.state, "display_name": run.name, "name": run.id, "id": run.id,
        "group": run.group, "job_type": run.job_type, "notes": run.notes, "created_at": run.created,
        "createdAt": run.created, "project": run.project,
    }
    if field in simple:
        return simple[field]
    raise FilterError("runlog: Api filters: unknown field %r (use config.<key>, summary_metrics.<key>, tags, "
                      "state, display_name, name, group, job_type, notes, created_at)" % (field,))


def _time_value(value):
    if isinstance(value, str):
        try:
            text = value.replace("Z", "+00:00")
            dt = datetime.datetime.fromisoformat(text)
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=datetime.timezone.utc)
            return dt.timestamp()
        except ValueError:
            return value
    return value


def _compare(a, b, op):
    try:
        if op == "$gt":
            return a > b
        if op == "$gte":
            return a >= b
        if op == "$lt":
            return a < b
        return a <= b
    except TypeError:
        return False


def _matches_value(value, cond, field):
    """One field's condition: a plain value (equality; array contains) or an operator object."""
    if isinstance(cond, dict) and any(isinstance(k, str) and k.startswith("$") for k in cond):
        for op, arg in cond.items():
            if op not in OPERATORS:
                raise FilterError("runlog: Api filters: operator %r is not supported (supported: %s)"
                                  % (op, ", ".join(OPERATORS + ("$and", "$or", "$nor"))))
            if field in ("created_at", "createdAt"):
                arg = [_time_value(x) for x in arg] if isinstance(arg, list) else _time_value(arg)
            if not _apply(value, op, arg, cond, field):
                return False
        return True
    return _equal(value, cond)


def _equal(value, expected):
    if isinstance(value, list) and not isinstance(expected, list):
        return expected in value
    return value is not _NOTHING and value == expected


def _apply(value, op, arg, cond, field):
    if op == "$eq":
        return _equal(value, arg)
    if op == "$ne":
        return not _equal(value, arg)
    if op in ("$gt", "$gte", "$lt", "$lte"):
        if value is _NOTHING or value is None or isinstance(value, bool):
            return False
        return _compare(value, arg, op)
    if op in ("$in", "$nin"):
        if not isinstance(arg, (list, tuple)):
            raise FilterError("runlog: Api filters: %s takes a list, got %r" % (op, arg))
        hit = any(_equal(value, a) for a in arg)
        return hit if op == "$in" else not hit
    if op == "$regex":
        flags = re.IGNORECASE if "i" in str(cond.get("$options", "")) else 0
        values = value if isinstance(value, list) else [value]
        return any(isinstance(v, str) and re.search(arg, v, flags) for v in values)
    if op == "$options":
        return True
    if op == "$exists":
        return (value is not _NOTHING and value is not None) == bool(arg)
    if op == "$not":
        return not _matches_value(value, arg, field)
    return False


def matches(run, filters):
    """Whether a run snapshot satisfies a W&B filter document."""
    if not filters:
        return True
    if not isinstance(filters, dict):
        raise FilterError("runlog: Api filters must be a dict, got %r" % (filters,))
    for key, cond in filters.items():
        if key in ("$and", "$or", "$nor"):
            if not isinstance(cond, (list, tuple)):
                raise FilterError("runlog: Api filters: %s takes a list of filters" % key)
            results = [matches(run, c) for c in cond]
            ok = all(results) if key == "$and" else any(results)
            if key == "$nor":
                ok = not ok
            if not ok:
                return False
        elif isinstance(key, str) and key.startswith("$"):
            raise FilterError("runlog: Api filters: top-level operator %r is not supported "
                              "(use $and, $or, $nor or field names)" % (key,))
        elif not _matches_value(field_value(run, key), cond, key):
            return False
    return True


def sort_runs(runs, order):
    """W&B's `order`: `[+|-]created_at` (default newest first), `[+|-]summary_metrics.x`, `[+|-]config.x`."""
    order = order or "-created_at"
    desc = order.startswith("-")
    field = order.lstrip("+-")
    present, missing = [], []
    for r in runs:
        v = field_value(r, field)
        (missing if v is _NOTHING or v is None else present).append((v, r))
    try:
        present.sort(key=lambda p: p[0], reverse=desc)
    except TypeError:
        present.sort(key=lambda p: str(p[0]), reverse=desc)
    return [r for _, r in present] + [r for _, r in missing]
