"""runlog.plot: charts stored as a table plus the chart's spec (which columns go where).

Signatures as W&B documents `wandb.plot.*` (docs.wandb.ai/ref/python/custom-charts/):
line(table, x, y, stroke=None, title=""), scatter(table, x, y, title=""), bar(table, label, value,
title=""), histogram(table, value, title=""), line_series(xs, ys, keys=None, title="", xname="x"),
confusion_matrix(probs=None, y_true=None, preds=None, class_names=None, title=...),
pr_curve(y_true, y_probas, labels=None, classes_to_plot=None, interp_size=21, title=...),
roc_curve(y_true, y_probas, labels=None, classes_to_plot=None, title=...). `split_table` is
accepted and has no effect. Curves are computed here with the standard library.
"""

from ._files import MediaError
from ._table import Table

_MAX_CURVE_POINTS = 200


class Plot(object):
    """A chart: its data as a Table and a spec {"type", "x", "y", "series"?, "value"?, "title"}."""

    _kind = "plot"

    def __init__(self, table, chart):
        self.table = table
        self.chart = {k: v for k, v in chart.items() if v is not None}

    def _record(self, run_dir):
        for field in ("x", "y", "series", "value"):
            col = self.chart.get(field)
            if col is not None and col not in self.table.columns:
                raise MediaError("plot %r: column %r is not in the table %s" % (self.chart.get("type"), col, self.table.columns))
        rec = self.table._record(run_dir)
        rec["kind"] = "plot"
        rec["chart"] = self.chart
        return rec

    def __repr__(self):
        return "<runlog.plot %s>" % self.chart.get("type")


def _list(values):
    if values is None:
        return None
    tolist = getattr(values, "tolist", None)
    return tolist() if callable(tolist) else list(values)


def line(table, x, y, stroke=None, title="", split_table=False):
    return Plot(table, {"type": "line", "x": x, "y": y, "series": stroke, "title": title})


def scatter(table, x, y, title="", split_table=False):
    return Plot(table, {"type": "scatter", "x": x, "y": y, "title": title})


def bar(table, label, value, title="", split_table=False):
    return Plot(table, {"type": "bar", "x": label, "y": value, "title": title})


def histogram(table, value, title="", split_table=False):
    return Plot(table, {"type": "histogram", "x": value, "title": title})


def line_series(xs, ys, keys=None, title="", xname="x", split_table=False):
    xs, ys = _list(xs), [_list(y) for y in ys]
    shared = xs and not isinstance(xs[0], (list, tuple))
    keys = _list(keys) or ["key_%d" % i for i in range(len(ys))]
    rows = []
    for i, series in enumerate(ys):
        xrow = xs if shared else _list(xs[i])
        rows.extend([keys[i], xv, yv] for xv, yv in zip(xrow, series))
    return Plot(Table(columns=["lineKey", xname, "lineVal"], data=rows),
                {"type": "line", "x": xname, "y": "lineVal", "series": "lineKey", "title": title})


def confusion_matrix(probs=None, y_true=None, preds=None, class_names=None, title="Confusion Matrix Curve", split_table=False):
    if (probs is None) == (preds is None):
        raise ValueError("runlog: plot.confusion_matrix() takes probs= or preds=, exactly one")
    y_true = _list(y_true)
    if probs is not None:
        preds = [max(range(len(p)), key=lambda i, p=p: p[i]) for p in _list(probs)]
    preds = _list(preds)
    if len(preds) != len(y_true):
        raise ValueError("runlog: plot.confusion_matrix(): %d predictions for %d true labels" % (len(preds), len(y_true)))
    class_names = _list(class_names)
    if class_names is None:
        ids = sorted(set(y_true) | set(preds), key=str)
        class_names = ["Class_%d" % (i + 1) for i in range(len(ids))]
    else:
        ids = list(range(len(class_names)))
    index = {v: i for i, v in enumerate(ids)}
    for v in set(y_true) | set(preds):
        if v not in index:
            if v in class_names:
                index[v] = class_names.index(v)
            else:
                raise ValueError("runlog: plot.confusion_matrix(): label %r is not among the %d classes" % (v, len(class_names)))
    counts = [[0] * len(class_names) for _ in class_names]
    for t, p in zip(y_true, preds):
        counts[index[t]][index[p]] += 1
    rows = [[class_names[a], class_names[b], counts[a][b]] for a in range(len(class_names)) for b in range(len(class_names))]
    return Plot(Table(columns=["Actual", "Predicted", "nPredictions"], data=rows),
                {"type": "confusion_matrix", "x": "Predicted", "y": "Actual", "value": "nPredictions", "title": title})


def _class_scores(y_true, y_probas, labels, classes_to_plot):
    y_true, probas = _list(y_true), [_list(p) for p in _list(y_probas)]
    if len(y_true) != len(probas):
        raise ValueError("runlog: %d labels for %d rows of probabilities" % (len(y_true), len(probas)))
    k = len(probas[0]) if probas else 0
    labels = _list(labels)
    for i in range(k):
        if classes_to_plot is not None and i not in classes_to_plot:
            continue
        name = labels[i] if labels and i < len(labels) else str(i)
        positive = [t == i or (labels is not None and i < len(labels) and t == labels[i]) for t in y_true]
        yield str(name), [p[i] for p in probas], positive


def _sweep(scores, positive):
    """(threshold-ordered) cumulative true and false positives, one point per distinct score."""
    order = sorted(range(len(scores)), key=lambda j: -scores[j])
    tp = fp = 0
    points = []
    for n, j in enumerate(order):
        if positive[j]:
            tp += 1
        else:
            fp += 1
        if n + 1 == len(order) or scores[order[n + 1]] != scores[j]:
            points.append((tp, fp))
    return points


def _thin(points):
    if len(points) <= _MAX_CURVE_POINTS:
        return points
    step = len(points) / float(_MAX_CURVE_POINTS)
    return [points[int(i * step)] for i in range(_MAX_CURVE_POINTS)] + [points[-1]]


def roc_curve(y_true, y_probas, labels=None, classes_to_plot=None, title="ROC Curve", split_table=False):
    rows = []
    for name, scores, positive in _class_scores(y_true, y_probas, labels, classes_to_plot):
        pos = sum(positive)
        neg = len(positive) - pos
        pts = [(0, 0)] + _sweep(scores, positive)
        for tp, fp in _thin(pts):
            rows.append([name, fp / neg if neg else 0.0, tp / pos if pos else 0.0])
    return Plot(Table(columns=["class", "fpr", "tpr"], data=rows),
                {"type": "line", "x": "fpr", "y": "tpr", "series": "class", "title": title})


def pr_curve(y_true, y_probas, labels=None, classes_to_plot=None, interp_size=21, title="Precision-Recall Curve", split_table=False):
    rows = []
    for name, scores, positive in _class_scores(y_true, y_probas, labels, classes_to_plot):
        pos = sum(positive)
        curve = [(tp / pos if pos else 0.0, tp / float(tp + fp)) for tp, fp in _sweep(scores, positive)]
        # Interpolated precision (the best precision at recall >= r) at interp_size recall levels.
        for i in range(interp_size):
            r = i / float(interp_size - 1) if interp_size > 1 else 1.0
            best = max((p for rec, p in curve if rec >= r), default=0.0)
            rows.append([name, r, best])
    return Plot(Table(columns=["class", "recall", "precision"], data=rows),
                {"type": "line", "x": "recall", "y": "precision", "series": "class", "title": title})
