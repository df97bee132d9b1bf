"""`Api`: W&B's public API (`wandb.Api()`) over the local store, read from the run folders.

    api = runlog.Api()                      # store: dir=, else $RUNLOG_DIR, else ./.runlog
    for run in api.runs("mnist", filters={"config.lr": {"$lt": 0.1}, "state": "finished"}):
        print(run.id, run.name, run.summary.get("val/acc"))
    run = api.run("mnist/ab12cd34")
    df = run.history(keys=["loss"])         # a pandas DataFrame when pandas is installed
    run.tags.append("best"); run.update()   # written to edits.jsonl, as the editor writes edits

Filters and orders are described in `_query.py`. Nothing here needs more than the standard
library; the SQLite index is not read, so results match the run files even when the editor is
closed. One run as the Api reads it is in _apirun.py.
"""

import os

from . import _artifacts
from ._apirun import Run
from ._artifact import Artifact
from ._query import matches, sort_runs
from ._store import sanitize_project, validate_run_id


def default_store(dir=None):
    return os.path.abspath(os.path.expanduser(os.fspath(dir) if dir else (os.environ.get("RUNLOG_DIR") or ".runlog")))


class Api(object):
    """Reads runs, artifacts and projects of one store. `overrides`/`api_key`/`timeout` are accepted and unused."""

    def __init__(self, overrides=None, timeout=None, api_key=None, dir=None):
        self.store = default_store(dir if dir is not None else (overrides or {}).get("dir"))
        self.default_entity = None
        self.viewer = None

    def _project_folder(self, project):
        for candidate in (project, sanitize_project(project)):
            path = os.path.join(self.store, "projects", candidate)
            if os.path.isdir(path):
                return candidate, path
        return None, None

    def projects(self, entity=None, per_page=None):
        try:
            return sorted(n for n in os.listdir(os.path.join(self.store, "projects")) if not n.startswith("."))
        except OSError:
            return []

    def runs(self, path=None, filters=None, order="-created_at", per_page=50, include_sweeps=True, lazy=True):
        """Runs of `project` (or `entity/project`) that match W&B-style `filters`, in `order`."""
        project = (path or os.environ.get("RUNLOG_PROJECT") or os.environ.get("WANDB_PROJECT") or "").split("/")[-1]
        if not project:
            raise ValueError("runlog: Api().runs needs a project: runs('my-project')")
        name, folder = self._project_folder(project)
        found = []
        if folder is not None:
            runs_folder = os.path.join(folder, "runs")
            try:
                ids = sorted(os.listdir(runs_folder))
            except OSError:
                ids = []
            for run_id in ids:
                run_dir = os.path.join(runs_folder, run_id)
                if not run_id.startswith(".") and os.path.isfile(os.path.join(run_dir, "events.jsonl")):
                    found.append(Run(self, name, run_id, run_dir))
        return Runs([r for r in sort_runs(found, order) if matches(r, filters)])

    def run(self, path):
        """`project/id`, `entity/project/id`, `entity/project/runs/id` or a bare `id`."""
        parts = [p for p in str(path).strip("/").split("/") if p]
        if len(parts) >= 2 and parts[-2] == "runs":
            parts = parts[:-2] + parts[-1:]
        if not parts:
            raise ValueError("runlog: Api().run needs 'project/run-id', got %r" % (path,))
        run_id = parts[-1]
        validate_run_id(run_id)
        if len(parts) >= 2:
            name, folder = self._project_folder(parts[-2])
            candidates = [(name, os.path.join(folder, "runs", run_id))] if folder else []
        else:
            candidates = [(p, os.path.join(self.store, "projects", p, "runs", run_id)) for p in self.projects()]
        candidates = [(p, d) for p, d in candidates if os.path.isfile(os.path.join(d, "events.jsonl"))]
        if len(candidates) != 1:
            raise ValueError("runlog: no run %r in store %s%s" % (
                path, self.store, " (it is in several projects; name one)" if candidates else ""))
        return Run(self, candidates[0][0], run_id, candidates[0][1])

    def artifact(self, name, type=None):
        """A stored artifact version by `[entity/]project/name[:alias]` (no run records the use)."""
        project = os.environ.get("RUNLOG_PROJECT") or os.environ.get("WANDB_PROJECT") or ""
        proj, _, _ = _artifacts.parse_ref(name, project or "uncategorized")
        manifest, vdir = _artifacts.resolve(self.store, proj, name)
        if type is not None and manifest.get("type") != type:
            raise ValueError("runlog: artifact %r has type %r, not %r" % (name, manifest.get("type"), type))
        return Artifact._from_stored(manifest, vdir, proj, self.store)

    def artifact_exists(self, name, type=None):
        try:
            self.artifact(name, type)
            return True
        except (LookupError, ValueError):
            return False

    def flush(self):
        return None


class Runs(list):
    """The runs a query found (a list; W&B pages through them, here they are all read at once)."""

    def histories(self, samples=500, keys=None, x_axis="_step", format="default", stream="default"):
        rows = []
        for run in self:
            for row in run.history(samples=samples, keys=keys, x_axis=x_axis, pandas=False, stream=stream):
                row = dict(row)
                row["run_id"] = run.id
                rows.append(row)
        if format == "pandas":
            import pandas
            return pandas.DataFrame.from_records(rows)
        return rows
