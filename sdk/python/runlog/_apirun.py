"""One run of the store as `runlog.Api()` (W&B's public API) reads it: its summary, files,
history and artifacts, and the edits `Run.update()` writes (see _api.py)."""

import datetime
import json
import os
import time

from ._artifact import Artifact
from ._metrics import apply_summary_rules
from ._process import process_start_time
from ._replay import _parse, _read_lines, deep_merge, read_run
from ._store import hostname, pid_alive

# A run on another host whose last record is older than this has crashed (README: State).
REMOTE_CRASH_AFTER_S = 600.0


def _iso(ts):
    if not isinstance(ts, (int, float)):
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Summary(dict):
    """A run's summary; `update()` (or `Run.update()`) saves the changes as an edit."""

    def __init__(self, run, data):
        dict.__init__(self, data)
        self._run = run

    def update(self, *args, **kwargs):
        dict.update(self, *args, **kwargs)
        self._run.update()


class File(object):
    def __init__(self, run_dir, rel):
        self.name = rel
        self._path = os.path.join(run_dir, *rel.split("/"))
        self.size = os.path.getsize(self._path)
        self.url = "file://" + os.path.abspath(self._path).replace(os.sep, "/")
        self.direct_url = self.url

    def download(self, root=".", replace=False, exist_ok=False):
        dest = os.path.join(os.fspath(root), *self.name.split("/"))
        if os.path.exists(dest) and not replace:
            if exist_ok:
                return open(dest, "rb")
            raise FileExistsError("runlog: %s exists; pass replace=True to overwrite it" % dest)
        import shutil
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        shutil.copyfile(self._path, dest)
        return open(dest, "rb")

    def __repr__(self):
        return "<File %s (%d bytes)>" % (self.name, self.size)


class Run(object):
    """A stored run as W&B's public `Run`: read once from its folder; `load()` reads again."""

    def __init__(self, api, project, run_id, run_dir):
        self._api = api
        self.project = project
        self.id = run_id
        self.dir = run_dir
        self.load()

    def load(self, force=True):
        st = read_run(self.dir)
        self._state = st
        self.entity = st.entity
        self.name = self.display_name = st.name or self.id
        self.notes = st.notes
        self.tags = list(st.tags or [])
        self.group = st.group
        self.job_type = st.job_type
        self.config = st.config
        self._scan_extras()
        summary = {}
        for step, ts, data in st.history:
            summary.update(data)
        apply_summary_rules(summary, st.history, st.metrics)  # define_metric, as run.summary
        if st.history:
            last_step, last_ts, _ = max(st.history, key=lambda h: h[0])
            summary["_step"] = last_step
            if isinstance(last_ts, (int, float)) and self.created is not None:
                summary["_timestamp"] = last_ts
                summary["_runtime"] = last_ts - self.created
        deep_merge(summary, st.summary)
        self.summary = Summary(self, summary)
        self._saved = {"name": self.name, "notes": self.notes, "tags": list(self.tags),
                       "summary": json.loads(json.dumps(summary, default=str)),
                       "config": json.loads(json.dumps(self.config, default=str))}
        return self

    def _scan_extras(self):
        """What `read_run` does not keep: times, exit state, state edits, artifact and file records."""
        self.created = None
        self.metadata = None
        self._exit = None
        self._artifacts = []
        self._files = []
        last_init_ts = None
        for line in _read_lines(os.path.join(self.dir, "events.jsonl")):
            if not any(t in line for t in (b'"init"', b'"exit"', b'"artifact"', b'"file"', b'"header"')):
                continue
            rec = _parse(line)
            if rec is None:
                continue
            kind = rec.get("type")
            if kind == "header" and self.created is None:
                self.created = rec.get("created")
            elif kind == "init":
                if self.created is None or not isinstance(self.created, (int, float)):
                    self.created = rec.get("ts")
                last_init_ts = rec.get("ts")
                self.metadata = rec.get("meta") or self.metadata
                self._exit = None
            elif kind == "exit":
                self._exit = rec
            elif kind == "artifact":
                self._artifacts.append(rec)
            elif kind == "file":
                self._files.append(rec)
        edit_state = None
        for line in _read_lines(os.path.join(self.dir, "edits.jsonl")):
            rec = _parse(line)
            if rec and rec.get("type") == "state" and isinstance(rec.get("ts"), (int, float)):
                if last_init_ts is None or rec["ts"] > last_init_ts:
                    edit_state = rec.get("state")
        init = self._state.last_init or {}
        if self._exit is not None:
            self.state = self._exit.get("state") or "finished"
        elif edit_state:
            self.state = edit_state
        else:
            self.state = "running" if self._alive(init) else "crashed"
        self.heartbeat_at = _iso(self._state.last_ts)

    def _alive(self, init):
        """README, State: on this host, while the recorded process (pid and start time) lives;
        elsewhere, while heartbeats are at most 3 intervals (+2 s) old and under 10 minutes."""
        pid = init.get("pid")
        if init.get("host") == hostname() and isinstance(pid, int):
            if not pid_alive(pid):
                return False
            started = init.get("pid_start")
            if isinstance(started, (int, float)):
                now_start = process_start_time(pid)
                return now_start is None or abs(now_start - started) <= 2.0
            return True
        age = time.time() - (self._state.last_ts or 0)
        beat = init.get("heartbeat_interval")
        limit = 3 * beat + 2 if isinstance(beat, (int, float)) and beat > 0 else REMOTE_CRASH_AFTER_S
        return age < min(limit, REMOTE_CRASH_AFTER_S)

    # -- attributes W&B code reads ----------------------------------------------------------

    @property
    def created_at(self):
        return _iso(self.created)

    @property
    def path(self):
        return [self.entity or "", self.project, self.id]

    @property
    def url(self):
        return "file://" + os.path.abspath(self.dir).replace(os.sep, "/")

    @property
    def storage_id(self):
        return self.id

    @property
    def summary_metrics(self):
        return dict(self.summary)

    @property
    def rawconfig(self):
        return self.config

    @property
    def json_config(self):
        return json.dumps({k: {"value": v} for k, v in self.config.items()}, default=str)

    @property
    def lastHistoryStep(self):  # noqa: N802 (W&B's name)
        return self._state.last_step if self._state.last_step is not None else -1

    @property
    def sweep(self):
        return None

    sweep_name = None

    @property
    def system_metrics(self):
        rows = self._system_rows()
        return dict(rows[-1]) if rows else {}

    def __repr__(self):
        return "<Run %s/%s (%s)>" % (self.project, self.id, self.state)

    # -- history ---------------------------------------------------------------------------

    def _rows(self):
        start = self.created if isinstance(self.created, (int, float)) else None
        rows = []
        for step, ts, data in sorted(self._state.history, key=lambda h: h[0]):
            row = {"_step": step}
            if isinstance(ts, (int, float)):
                row["_timestamp"] = ts
                if start is not None:
                    row["_runtime"] = ts - start
            row.update(data)
            rows.append(row)
        return rows

    def _system_rows(self):
        rows = []
        start = self.created if isinstance(self.created, (int, float)) else None
        for line in _read_lines(os.path.join(self.dir, "system.jsonl")):
            rec = _parse(line)
            if rec and isinstance(rec.get("data"), dict) and isinstance(rec.get("ts"), (int, float)):
                row = {"_timestamp": rec["ts"]}
                if start is not None:
                    row["_runtime"] = rec["ts"] - start
                row.update(("system/" + k if not k.startswith("system") else k, v) for k, v in rec["data"].items())
                rows.append(row)
        return rows

    def history(self, samples=500, keys=None, x_axis="_step", pandas=True, stream="default"):
        """Up to `samples` rows, evenly spaced (W&B samples). With `keys`: rows holding all of them."""
        if keys is not None and (not isinstance(keys, list) or not all(isinstance(k, str) for k in keys)):
            raise ValueError("runlog: history(keys=...) must be a list of strings")
        rows = self._system_rows() if stream == "system" else self._rows()
        if keys:
            cols = [x_axis] + [k for k in keys if k != x_axis]
            rows = [{c: r[c] for c in cols} for r in rows if all(c in r for c in cols)]
        if samples is not None and 0 < samples < len(rows):
            n = len(rows)
            picks = sorted({round(i * (n - 1) / (samples - 1)) for i in range(samples)}) if samples > 1 else [n - 1]
            rows = [rows[i] for i in picks]
        if pandas:
            try:
                import pandas as pd
            except ImportError:
                return rows
            return pd.DataFrame.from_records(rows)
        return rows

    def scan_history(self, keys=None, page_size=1000, min_step=0, max_step=None, use_cache=True):
        """Every history row with `min_step <= _step < max_step` (with `keys`: rows holding all of them)."""
        if keys is not None and (not isinstance(keys, list) or not all(isinstance(k, str) for k in keys)):
            raise ValueError("runlog: scan_history(keys=...) must be a list of strings")
        for row in self._rows():
            step = row["_step"]
            if step < (min_step or 0) or (max_step is not None and step >= max_step):
                continue
            if keys:
                if not all(k in row for k in keys):
                    continue
                row = {k: row[k] for k in ["_step"] + [k for k in keys if k != "_step"]}
            yield row

    # -- files and artifacts ---------------------------------------------------------------

    def files(self, names=None, pattern=None, per_page=50):
        """The run folder's files (records, output, files saved with the run)."""
        out = []
        for root, dirs, names_here in os.walk(self.dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for n in sorted(names_here):
                if n.startswith("."):
                    continue
                rel = os.path.relpath(os.path.join(root, n), self.dir).replace(os.sep, "/")
                if names and rel not in names:
                    continue
                if pattern and not __import__("fnmatch").fnmatch(rel, pattern):
                    continue
                out.append(File(self.dir, rel))
        return out

    def file(self, name):
        for f in self.files(names=[name]):
            return f
        raise FileNotFoundError("runlog: run %s has no file %r" % (self.id, name))

    def _artifact_list(self, direction):
        out, seen = [], set()
        for rec in self._artifacts:
            path = rec.get("path")
            if rec.get("direction") != direction or not isinstance(path, str) or path in seen:
                continue
            seen.add(path)
            vdir = os.path.join(self._api.store, *path.split("/"))
            try:
                with open(os.path.join(vdir, "manifest.json"), "r", encoding="utf-8") as f:
                    manifest = json.load(f)
            except (OSError, ValueError):
                continue
            parts = path.split("/")
            out.append(Artifact._from_stored(manifest, vdir, parts[1] if len(parts) > 1 else self.project, self._api.store))
        return out

    def logged_artifacts(self, per_page=100):
        return self._artifact_list("output")

    def used_artifacts(self, per_page=100):
        return self._artifact_list("input")

    # -- edits ------------------------------------------------------------------------------

    def update(self):
        """Saves changed name, notes, tags, config and summary to `edits.jsonl` (as the editor does)."""
        records = []
        now = time.time()
        if self.display_name != self._saved["name"] and self.name == self._saved["name"]:
            self.name = self.display_name
        if self.name != self._saved["name"]:
            if not isinstance(self.name, str) or not self.name.strip():
                raise ValueError("runlog: a run name must be a non-empty string, got %r" % (self.name,))
            records.append({"type": "name", "ts": now, "name": self.name})
        if self.notes != self._saved["notes"]:
            records.append({"type": "notes", "ts": now, "text": self.notes or ""})
        tags = list(dict.fromkeys(t.strip() for t in self.tags if isinstance(t, str) and t.strip()))
        if tags != self._saved["tags"]:
            records.append({"type": "tags", "ts": now, "tags": tags})
        for kind, current in (("config", self.config), ("summary", dict(self.summary))):
            current = json.loads(json.dumps(current, default=str))
            saved = self._saved[kind]
            changed = {k: v for k, v in current.items() if saved.get(k, _MISSING) != v}
            if changed:
                records.append({"type": kind, "ts": now, "data": changed})
        if records:
            data = "".join(json.dumps(r, allow_nan=True) + "\n" for r in records).encode("utf-8")
            fd = os.open(os.path.join(self.dir, "edits.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            self.load()
        return None

    save = update

    def delete(self, delete_artifacts=False):
        raise NotImplementedError("runlog: Api run.delete() is not supported; delete runs from the editor "
                                  "(Delete Runs) or remove the run folder %s" % self.dir)


_MISSING = object()
