"""A run's record files replayed the way a reader would: config and summary merged, rewinds
applied, the editor's edits (`edits.jsonl`) taking effect in time order."""

import json
import os


def deep_merge(into, data):
    for k, v in data.items():
        old = into.get(k)
        if isinstance(v, dict) and isinstance(old, dict):
            deep_merge(old, v)
        elif isinstance(v, dict):
            into[k] = deep_merge({}, v)
        else:
            into[k] = v
    return into


def _read_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    lines = data.split(b"\n")
    lines.pop()  # the part after the last newline: empty, or a torn line
    return lines


def _parse(line):
    try:
        rec = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None
    return rec if isinstance(rec, dict) else None


class RunState(object):
    """What a run's files say so far, replayed the way a reader would."""

    def __init__(self):
        self.header = None
        self.project = None
        self.name = None
        self.notes = None
        self.tags = None
        self.entity = None
        self.group = None
        self.job_type = None
        self.config = {}
        self.summary = {}
        self.history = []  # effective (step, ts, data), rewinds applied
        self.last_step = None
        self.media_last_step = None
        self.last_init = None
        self.exited = False
        self.last_ts = None
        self.fork_of = None
        self.metrics = []  # define_metric records, in order


def read_run(run_dir):
    """Replay `events.jsonl` (and the editor's `edits.jsonl`) of a run, as a reader would."""
    lines = _read_lines(os.path.join(run_dir, "events.jsonl"))
    # A history record is superseded by any later rewind to a smaller step.
    rewinds = []
    for i, line in enumerate(lines):
        if b'"rewind"' in line:
            rec = _parse(line)
            if rec and rec.get("type") == "rewind" and isinstance(rec.get("step"), int):
                rewinds.append((i, rec["step"]))
    suffix_min = [None] * (len(rewinds) + 1)
    for k in range(len(rewinds) - 1, -1, -1):
        s = rewinds[k][1]
        nxt = suffix_min[k + 1]
        suffix_min[k] = s if nxt is None else min(s, nxt)

    st = RunState()
    edits = []
    next_rewind = 0
    for i, line in enumerate(lines):
        rec = _parse(line)
        if rec is None:
            continue
        while next_rewind < len(rewinds) and rewinds[next_rewind][0] <= i:
            next_rewind += 1
        kind = rec.get("type")
        ts = rec.get("ts")
        if isinstance(ts, (int, float)):
            st.last_ts = ts if st.last_ts is None else max(st.last_ts, ts)
        if kind == "header":
            if st.header is None:
                st.header = rec
        elif kind == "history":
            step = rec.get("step")
            data = rec.get("data")
            if not isinstance(step, int) or not isinstance(data, dict):
                continue
            limit = suffix_min[next_rewind]
            if limit is not None and step > limit:
                continue
            st.history.append((step, ts, data))
        elif kind == "media":
            # A step may hold only media (no history row): it counts as a step taken.
            step = rec.get("step")
            limit = suffix_min[next_rewind]
            if isinstance(step, int) and (limit is None or step <= limit):
                st.media_last_step = step if st.media_last_step is None else max(st.media_last_step, step)
        elif kind == "init":
            st.last_init = rec
            st.exited = False
            if st.project is None:
                st.project = rec.get("project")
                st.entity = rec.get("entity")
                st.group = rec.get("group")
                st.job_type = rec.get("job_type")
                st.fork_of = rec.get("fork_of")
            edits.append((ts, "name", rec.get("name")))
            if rec.get("notes") is not None:
                edits.append((ts, "notes", rec.get("notes")))
            if rec.get("tags") is not None:
                edits.append((ts, "tags", rec.get("tags")))
        elif kind == "exit":
            st.exited = True
        elif kind == "config" and isinstance(rec.get("data"), dict):
            deep_merge(st.config, rec["data"])
        elif kind == "summary" and isinstance(rec.get("data"), dict):
            deep_merge(st.summary, rec["data"])
        elif kind == "metric" and isinstance(rec.get("name"), str):
            st.metrics.append(rec)
        elif kind == "name":
            edits.append((ts, "name", rec.get("name")))
        elif kind == "notes":
            edits.append((ts, "notes", rec.get("text")))
        elif kind == "tags":
            edits.append((ts, "tags", rec.get("tags")))
    for line in _read_lines(os.path.join(run_dir, "edits.jsonl")):
        rec = _parse(line)
        if rec is None:
            continue
        kind = rec.get("type")
        if kind in ("config", "summary") and isinstance(rec.get("data"), dict):
            deep_merge(st.config if kind == "config" else st.summary, rec["data"])
            continue
        value = rec.get("text") if kind == "notes" else rec.get(kind)
        if kind in ("name", "notes", "tags"):
            edits.append((rec.get("ts"), kind, value))
    edits.sort(key=lambda e: e[0] if isinstance(e[0], (int, float)) else 0)
    for _, kind, value in edits:
        if kind == "name" and isinstance(value, str) and value:
            st.name = value
        elif kind == "notes" and isinstance(value, str):
            st.notes = value
        elif kind == "tags" and isinstance(value, list):
            st.tags = [t for t in value if isinstance(t, str)]
    if st.history:
        st.last_step = max(h[0] for h in st.history)
    if st.media_last_step is not None and (st.last_step is None or st.media_last_step > st.last_step):
        st.last_step = st.media_last_step
    return st
