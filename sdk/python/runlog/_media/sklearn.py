"""runlog.sklearn: W&B's scikit-learn plots, computed with the script's own scikit-learn.

Names and arguments as W&B documents them (docs.wandb.ai/models/integrations/scikit, "Supported
plots"): plot_classifier, plot_regressor, plot_clusterer, plot_confusion_matrix, plot_roc,
plot_precision_recall, plot_feature_importances, plot_class_proportions, plot_learning_curve,
plot_elbow_curve, plot_silhouette, plot_calibration_curve, plot_summary_metrics, plot_residuals,
plot_outlier_candidates. Each logs its chart (a runlog.plot) to the current run under the key W&B
uses, joined to the current step.
"""

from . import plot as _plot
from ._table import Table


def _log(key, value):
    import runlog
    if runlog.run is None:
        raise ValueError("runlog: sklearn.plot_*() needs a run: call runlog.init() first")
    runlog.run.log({key: value}, commit=False)


def _l(v):
    return v.tolist() if hasattr(v, "tolist") else list(v)


def plot_confusion_matrix(y_true=None, y_pred=None, labels=None, true_labels=None, pred_labels=None, normalize=False):
    from sklearn import metrics
    cm = metrics.confusion_matrix(y_true, y_pred, normalize="true" if normalize else None)
    found = sorted(set(_l(y_true)) | set(_l(y_pred)), key=str)
    classes = [str(labels[c]) if labels is not None and isinstance(c, int) and c < len(labels) else str(c) for c in found]
    rows = [[classes[a], classes[b], float(cm[a][b]) if normalize else int(cm[a][b])]
            for a in range(len(classes)) for b in range(len(classes))]
    _log("confusion_matrix", _plot.Plot(Table(columns=["Actual", "Predicted", "nPredictions"], data=rows),
                                        {"type": "confusion_matrix", "x": "Predicted", "y": "Actual", "value": "nPredictions",
                                         "title": "Confusion Matrix"}))


def plot_roc(y_true=None, y_probas=None, labels=None, plot_micro=True, plot_macro=True, classes_to_plot=None):
    _log("roc", _plot.roc_curve(y_true, y_probas, labels=labels, classes_to_plot=classes_to_plot))


def plot_precision_recall(y_true=None, y_probas=None, labels=None, plot_micro=True, classes_to_plot=None):
    _log("pr", _plot.pr_curve(y_true, y_probas, labels=labels, classes_to_plot=classes_to_plot))


def plot_feature_importances(model=None, feature_names=None, title="Feature Importance", max_num_features=50):
    values = getattr(model, "feature_importances_", None)
    if values is None:
        coef = getattr(model, "coef_", None)
        if coef is None:
            raise ValueError("runlog: plot_feature_importances(): the model has no feature_importances_ or coef_")
        values = abs(coef).mean(axis=0) if getattr(coef, "ndim", 1) > 1 else abs(coef)
    values = _l(values)
    names = [str(n) for n in (feature_names if feature_names is not None else range(len(values)))]
    rows = sorted(zip(names, values), key=lambda r: -r[1])[:max_num_features]
    _log("feature_importances", _plot.bar(Table(columns=["feature_names", "importance"], data=[list(r) for r in rows]),
                                          "feature_names", "importance", title=title))


def plot_class_proportions(y_train=None, y_test=None, labels=None):
    rows = []
    for split, ys in (("train", _l(y_train)), ("test", _l(y_test))):
        for c in sorted(set(ys), key=str):
            name = labels[c] if labels is not None and isinstance(c, int) and c < len(labels) else c
            rows.append([str(name), split, ys.count(c)])
    _log("class_proportions", _plot.Plot(Table(columns=["class", "dataset", "count"], data=rows),
                                         {"type": "bar", "x": "class", "y": "count", "series": "dataset", "title": "Class Proportions"}))


def plot_learning_curve(model=None, X=None, y=None, cv=None, shuffle=False, random_state=None, train_sizes=None,
                        n_jobs=1, scoring=None):
    from sklearn.model_selection import learning_curve
    import numpy as np
    sizes = train_sizes if train_sizes is not None else np.linspace(0.1, 1.0, 5)
    n, train, test = learning_curve(model, X, y, cv=cv, shuffle=shuffle, random_state=random_state,
                                    train_sizes=sizes, n_jobs=n_jobs, scoring=scoring)
    rows = [["train", int(s), float(v)] for s, v in zip(n, train.mean(axis=1))]
    rows += [["test", int(s), float(v)] for s, v in zip(n, test.mean(axis=1))]
    _log("learning_curve", _plot.line(Table(columns=["dataset", "train_size", "score"], data=rows),
                                      "train_size", "score", stroke="dataset", title="Learning Curve"))


def plot_elbow_curve(clusterer=None, X=None, cluster_ranges=None, n_jobs=1, show_cluster_time=True):
    from sklearn.base import clone
    import time
    ranges = list(cluster_ranges) if cluster_ranges is not None else list(range(1, 10, 2))
    rows = []
    for k in ranges:
        c = clone(clusterer).set_params(n_clusters=k)
        t0 = time.time()
        c.fit(X)
        rows.append([int(k), float(c.score(X) * -1), time.time() - t0])
    _log("elbow_curve", _plot.line(Table(columns=["cluster_ranges", "errors", "clustering_time"], data=rows),
                                   "cluster_ranges", "errors", title="Elbow Plot"))


def plot_silhouette(clusterer=None, X=None, cluster_labels=None, labels=None, metric="euclidean", kmeans=True):
    from sklearn.metrics import silhouette_samples
    if cluster_labels is None:
        cluster_labels = clusterer.fit_predict(X)
    values = _l(silhouette_samples(X, cluster_labels, metric=metric))
    rows = [[str(c), float(v)] for c, v in sorted(zip(_l(cluster_labels), values), key=lambda r: (str(r[0]), -r[1]))]
    _log("silhouette_plot", _plot.histogram(Table(columns=["cluster", "silhouette"], data=rows), "silhouette",
                                            title="Silhouette"))


def plot_calibration_curve(clf=None, X=None, y=None, clf_name="Classifier"):
    from sklearn.calibration import calibration_curve
    prob = clf.predict_proba(X)[:, 1]
    frac, mean = calibration_curve(y, prob, n_bins=10)
    rows = [[clf_name, float(m), float(f)] for m, f in zip(mean, frac)] + [["Perfectly calibrated", 0.0, 0.0], ["Perfectly calibrated", 1.0, 1.0]]
    _log("calibration_curve", _plot.line(Table(columns=["model", "mean_predicted_value", "fraction_of_positives"], data=rows),
                                         "mean_predicted_value", "fraction_of_positives", stroke="model", title="Calibration Curve"))


def plot_summary_metrics(model=None, X=None, y=None, X_test=None, y_test=None):
    from sklearn import base, metrics
    pred = model.predict(X_test)
    if base.is_classifier(model):
        pairs = [("accuracy_score", metrics.accuracy_score(y_test, pred)),
                 ("precision", metrics.precision_score(y_test, pred, average="weighted", zero_division=0)),
                 ("recall", metrics.recall_score(y_test, pred, average="weighted", zero_division=0)),
                 ("f1_score", metrics.f1_score(y_test, pred, average="weighted", zero_division=0))]
    else:
        pairs = [("mae", metrics.mean_absolute_error(y_test, pred)), ("mse", metrics.mean_squared_error(y_test, pred)),
                 ("r2_score", metrics.r2_score(y_test, pred))]
    _log("summary_metrics", _plot.bar(Table(columns=["metric_name", "metric_value"], data=[[k, float(v)] for k, v in pairs]),
                                      "metric_name", "metric_value", title="Summary Metrics"))


def plot_residuals(regressor=None, X=None, y=None):
    pred = _l(regressor.predict(X))
    rows = [[float(p), float(t) - float(p)] for p, t in zip(pred, _l(y))]
    _log("residuals", _plot.scatter(Table(columns=["y_pred", "residuals"], data=rows), "y_pred", "residuals", title="Residuals"))


def plot_outlier_candidates(regressor=None, X=None, y=None):
    pred = _l(regressor.predict(X))
    resid = [float(t) - float(p) for p, t in zip(pred, _l(y))]
    n = max(len(resid), 1)
    mean = sum(resid) / n
    sd = (sum((r - mean) ** 2 for r in resid) / n) ** 0.5 or 1.0
    rows = [[i, abs(r - mean) / sd] for i, r in enumerate(resid)]
    _log("outlier_candidates", _plot.bar(Table(columns=["instance", "distance"], data=rows), "instance", "distance",
                                         title="Outlier Candidates (distance in standard deviations)"))


def plot_classifier(model, X_train, X_test, y_train, y_test, y_pred, y_probas, labels, is_binary=False,
                    model_name="Classifier", feature_names=None, log_learning_curve=False):
    if hasattr(model, "feature_importances_") or hasattr(model, "coef_"):
        plot_feature_importances(model, feature_names)
    plot_class_proportions(y_train, y_test, labels)
    plot_confusion_matrix(y_test, y_pred, None)
    plot_roc(y_test, y_probas, labels)
    plot_precision_recall(y_test, y_probas, labels)
    plot_summary_metrics(model, X_train, y_train, X_test, y_test)
    if is_binary:
        plot_calibration_curve(model, X_test, y_test, model_name)
    if log_learning_curve:
        plot_learning_curve(model, X_train, y_train)


def plot_regressor(model, X_train, X_test, y_train, y_test, model_name="Ridge"):
    plot_summary_metrics(model, X_train, y_train, X_test, y_test)
    plot_learning_curve(model, X_train, y_train)
    plot_outlier_candidates(model, X_train, y_train)
    plot_residuals(model, X_train, y_train)


def plot_clusterer(model, X_train, cluster_labels, labels=None, model_name="Clusterer"):
    if hasattr(model, "n_clusters"):
        plot_elbow_curve(model, X_train)
    plot_silhouette(model, X_train, cluster_labels, labels)
