"""A sweep's state in the store, as plain files any process that sees the store can share.

    <store>/sweeps/<sweep-id>/
      sweep.json                 {"format": "runlog-sweep", "version": 1, "id", "project", "created", "config", "total"}
      control.json               {"state": "running" | "paused" | "stopped", "ts"}   (absent: running)
      trials/<NNNNNN>.json       one per trial, claimed by hard-linking a complete file into place
      trials/<NNNNNN>.rungs.jsonl  the trial's metric at each hyperband bracket, by the run's process

A trial file has one writer, the agent that claimed it; it rewrites it by atomic rename. A claim is
`link(tmp, trials/N.json)`, which fails if N exists, so two agents never hold the same trial.
"""

import json
import os
import re
import time

from .._names import generate_id
from .._replay import read_run
from .._store import hostname, pid_alive, runs_dir

_TRIAL_RE = re.compile(r"(\d{6,})\.json\Z")
_SWEEP_ID_RE = re.compile(r"[a-z0-9_-]{1,64}\Z")
STATES = ("running", "finished", "failed", "crashed", "killed")
# A trial on another host is crashed once its run has written nothing for this long (as runs are).
OTHER_HOST_SILENCE_S = 600.0


class SweepNotFoundError(LookupError):
    pass


def sweeps_dir(store):
    return os.path.join(store, "sweeps")


def sweep_dir(store, sweep_id):
    if not isinstance(sweep_id, str) or not _SWEEP_ID_RE.match(sweep_id):
        raise ValueError("runlog: invalid sweep id %r: use 1-64 characters of a-z 0-9 _ -" % (sweep_id,))
    return os.path.join(store, "sweeps", sweep_id)


def trials_dir(store, sweep_id):
    return os.path.join(sweep_dir(store, sweep_id), "trials")


def trial_path(store, sweep_id, index):
    return os.path.join(trials_dir(store, sweep_id), "%06d.json" % index)


def rungs_path(store, sweep_id, index):
    return os.path.join(trials_dir(store, sweep_id), "%06d.rungs.jsonl" % index)


def _write_atomic(path, data):
    tmp = "%s.tmp-%d-%s" % (path, os.getpid(), generate_id())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, sort_keys=True, allow_nan=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_json(path):
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def create(store, config, project):
    os.makedirs(sweeps_dir(store), exist_ok=True)
    while True:
        sweep_id = generate_id()
        path = sweep_dir(store, sweep_id)
        try:
            os.mkdir(path)
            break
        except FileExistsError:
            continue
    os.mkdir(os.path.join(path, "trials"))
    _write_atomic(os.path.join(path, "sweep.json"), {
        "format": "runlog-sweep", "version": 1, "id": sweep_id, "project": project,
        "created": time.time(), "config": config, "total": planned_trials(config),
    })
    return sweep_id


def planned_trials(config):
    """How many trials the sweep will run: the grid's size and run_cap, whichever is smaller; None if open-ended."""
    from .config import grid_size
    sizes = [config["run_cap"]] if config.get("run_cap") else []
    if config["method"] == "grid":
        sizes.append(grid_size(config["parameters"]))
    return min(sizes) if sizes else None


def load(store, sweep_id):
    path = os.path.join(sweep_dir(store, sweep_id), "sweep.json")
    try:
        data = _read_json(path)
    except FileNotFoundError:
        raise SweepNotFoundError("runlog: no sweep %r in the store %s" % (sweep_id, store))
    if data.get("format") != "runlog-sweep" or data.get("version") != 1:
        raise ValueError("runlog: %s is not a sweep of format version 1" % path)
    return data


def list_ids(store):
    try:
        names = os.listdir(sweeps_dir(store))
    except FileNotFoundError:
        return []
    return sorted(n for n in names if _SWEEP_ID_RE.match(n) and os.path.isfile(os.path.join(sweeps_dir(store), n, "sweep.json")))


def control(store, sweep_id):
    try:
        state = _read_json(os.path.join(sweep_dir(store, sweep_id), "control.json")).get("state")
    except (FileNotFoundError, ValueError):
        return "running"
    return state if state in ("running", "paused", "stopped") else "running"


def set_control(store, sweep_id, state):
    if state not in ("running", "paused", "stopped"):
        raise ValueError("runlog: sweep state must be running, paused or stopped, got %r" % (state,))
    load(store, sweep_id)
    _write_atomic(os.path.join(sweep_dir(store, sweep_id), "control.json"), {"state": state, "ts": time.time()})


def read_trials(store, sweep_id):
    """Every claimed trial, by number. A file being replaced is read again; one never complete is skipped."""
    out = []
    try:
        names = os.listdir(trials_dir(store, sweep_id))
    except FileNotFoundError:
        return out
    for name in names:
        m = _TRIAL_RE.match(name)
        if not m:
            continue
        try:
            trial = _read_json(os.path.join(trials_dir(store, sweep_id), name))
        except (OSError, ValueError):
            continue
        if isinstance(trial, dict) and trial.get("trial") == int(m.group(1)):
            out.append(trial)
    out.sort(key=lambda t: t["trial"])
    return out


def next_index(store, sweep_id):
    """The first trial number after every claimed one, readable or not (a claimed number is spent)."""
    try:
        names = os.listdir(trials_dir(store, sweep_id))
    except FileNotFoundError:
        return 0
    numbers = [int(m.group(1)) for m in map(_TRIAL_RE.match, names) if m]
    return max(numbers) + 1 if numbers else 0


def claim(store, sweep_id, record):
    """Claims trial record["trial"]; False when another agent holds it."""
    path = trial_path(store, sweep_id, record["trial"])
    tmp = "%s.claim-%d-%s" % (path, os.getpid(), generate_id())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(record, sort_keys=True, allow_nan=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        # NFS may retry a link that succeeded and then report EEXIST: the file may be ours.
        try:
            held = _read_json(path)
        except (OSError, ValueError):
            return False
        return held.get("agent") == record.get("agent") and held.get("claimed") == record.get("claimed")
    finally:
        os.unlink(tmp)


def update(store, sweep_id, record):
    _write_atomic(trial_path(store, sweep_id, record["trial"]), record)


def effective_state(store, trial):
    """The trial's state, with a running trial whose agent or run is gone read as crashed."""
    state = trial.get("state")
    if state != "running":
        return state if state in STATES else "crashed"
    agent = trial.get("agent") or {}
    if agent.get("host") == hostname():
        return "running" if pid_alive(agent.get("pid")) else "crashed"
    run = trial.get("run") or {}
    try:
        run_dir = os.path.join(runs_dir(store, run.get("project")), run.get("id"))
        last = read_run(run_dir).last_ts
    except (TypeError, OSError):
        last = None
    last = last if last is not None else trial.get("claimed", 0)
    return "crashed" if time.time() - last > OTHER_HOST_SILENCE_S else "running"


def append_rung(store, sweep_id, index, iteration, value):
    with open(rungs_path(store, sweep_id, index), "a", encoding="utf-8") as f:
        f.write(json.dumps({"iter": iteration, "value": value, "ts": time.time()}, allow_nan=True) + "\n")


def read_rungs(store, sweep_id, exclude=None):
    """{iteration: [values]} over the sweep's trials (all but `exclude`)."""
    out = {}
    try:
        names = os.listdir(trials_dir(store, sweep_id))
    except FileNotFoundError:
        return out
    for name in names:
        if not name.endswith(".rungs.jsonl") or name == "%06d.rungs.jsonl" % (exclude if exclude is not None else -1):
            continue
        try:
            with open(os.path.join(trials_dir(store, sweep_id), name), "r", encoding="utf-8") as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                        out.setdefault(int(rec["iter"]), []).append(float(rec["value"]))
                    except (ValueError, KeyError, TypeError):
                        continue
        except OSError:
            continue
    return out
