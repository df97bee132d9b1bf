"""The sweep agent (runlog.agent, and `python -m runlog._sweeps`): claims trials one after another and runs each, in-process or as a subprocess.

    python -m runlog._sweeps create <file> [--project P] [--dir STORE]   prints the sweep id
    python -m runlog._sweeps agent <sweep-id> [--count N] [--dir STORE]

Policy for an agent that dies mid-trial: its trial reads as crashed (its agent's pid is gone on
this host, or its run has been silent for 10 minutes on another), counts toward run_cap and is
never claimed again: trial numbers only grow, and a crashed grid point is not retried.
"""

import json
import math
import os
import signal
import subprocess
import sys
import time

from . import config as _config
from . import context as _context
from . import search, state
from .._names import generate_id
from .._store import hostname, runs_dir

POLL_S = 0.5


def _say(quiet, text):
    if not quiet:
        sys.stderr.write("runlog sweep: %s\n" % text)
        sys.stderr.flush()


def suggest(sweep, trials, index, store):
    """(params, note) for trial `index`; params None when the search is done."""
    cfg = sweep["config"]
    params = cfg["parameters"]
    method = cfg["method"]
    rng = search.make_rng(sweep["id"], index)
    if method == "grid":
        return search.grid_point(params, index), None
    if method == "random":
        return search.random_point(params, rng), None
    metric = cfg["metric"]
    ended = [t for t in trials if state.effective_state(store, t) != "running"]
    observed = [(t["params"], t.get("metric")) for t in ended if _finite(t.get("metric"))]
    if len(ended) >= search.N_STARTUP and not observed:
        return search.random_point(params, rng), ("bayes fell back to random: none of %d ended trials logged %r"
                                                  % (len(ended), metric["name"]))
    return search.tpe_point(params, observed, metric["goal"], rng), None


def _finite(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def target_reached(cfg, trials):
    metric = cfg.get("metric") or {}
    target = metric.get("target")
    if target is None:
        return False
    for t in trials:
        v = t.get("metric")
        if _finite(v) and (v <= target if metric["goal"] == "minimize" else v >= target):
            return True
    return False


def run_outcome(store, project, run_id, metric_name):
    """(state, metric value or None, reason or None) from the run's events.jsonl."""
    path = os.path.join(runs_dir(store, project), run_id, "events.jsonl")
    state_, reason, last, explicit = "crashed", None, None, None
    try:
        with open(path, "r", encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                kind = rec.get("type")
                if kind == "init":
                    state_, reason = "crashed", None
                elif kind == "exit":
                    state_, reason = rec.get("state", "failed"), rec.get("reason")
                elif metric_name and kind == "history" and metric_name in (rec.get("data") or {}):
                    last = rec["data"][metric_name]
                elif metric_name and kind == "summary":
                    v = _lookup(rec.get("data") or {}, metric_name)
                    if v is not None:
                        explicit = v
    except OSError:
        return "crashed", None, "the trial's run was never created"
    value = explicit if explicit is not None else last
    return state_, (value if _finite(value) else None), reason


def _lookup(data, key):
    if key in data:
        return data[key]
    cur = data
    for part in key.split("/"):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def run_agent(store, sweep_id, function=None, count=None, quiet=False):
    """Runs up to `count` trials (all, if None); returns the number it ran."""
    store = os.path.abspath(store)
    sweep = state.load(store, sweep_id)
    cfg = sweep["config"]
    metric = (cfg.get("metric") or {}).get("name")
    done = 0
    noted = set()
    while count is None or done < count:
        ctl = state.control(store, sweep_id)
        if ctl == "stopped":
            _say(quiet, "sweep %s is stopped" % sweep_id)
            break
        if ctl == "paused":
            time.sleep(POLL_S)
            continue
        trials = state.read_trials(store, sweep_id)
        index = state.next_index(store, sweep_id)
        if cfg.get("run_cap") is not None and index >= cfg["run_cap"]:
            _say(quiet, "sweep %s reached its run_cap of %d" % (sweep_id, cfg["run_cap"]))
            break
        if target_reached(cfg, trials):
            _say(quiet, "sweep %s reached its metric target" % sweep_id)
            break
        params, note = suggest(sweep, trials, index, store)
        if params is None:
            _say(quiet, "sweep %s: the grid is done (%d trials)" % (sweep_id, index))
            break
        if note and note not in noted:
            noted.add(note)
            _say(quiet, note)
        record = {"trial": index, "state": "running", "params": params, "claimed": time.time(),
                  "agent": {"host": hostname(), "pid": os.getpid()},
                  "run": {"project": sweep["project"], "id": generate_id()}}
        if note:
            record["search_note"] = note
        if not state.claim(store, sweep_id, record):
            continue  # another agent took this number first: read the trials again
        _say(quiet, "trial %d, run %s: %s" % (index, record["run"]["id"], json.dumps(params, sort_keys=True)))
        if function is not None:
            _run_function(store, sweep, record, function)
        else:
            _run_command(store, sweep, record)
        st, value, reason = run_outcome(store, sweep["project"], record["run"]["id"], metric)
        record.update({"state": st, "metric": value, "ended": time.time()})
        if reason:
            record["reason"] = reason
        if metric and value is None and st != "killed":
            record["note"] = "the trial never logged the sweep's metric %r" % metric
            _say(quiet, "trial %d: %s" % (index, record["note"]))
        state.update(store, sweep_id, record)
        _say(quiet, "trial %d %s%s" % (index, st, "" if value is None else ", %s=%.6g" % (metric, value)))
        done += 1
    return done


def _run_function(store, sweep, record, function):
    from .. import _lifecycle
    trial = _context.Trial(store, sweep["id"], record["trial"], record["run"]["project"], record["run"]["id"],
                           record["params"], sweep["config"])
    _context.set_pending(trial)
    try:
        function()
    except _context.TrialStopped:
        pass
    except Exception:
        run = _lifecycle.current()
        if run is not None and run.id == trial.run_id and not run.finished:
            run._output_traceback(*sys.exc_info())
            run._finish("failed", 1)
        import traceback
        traceback.print_exc()
    finally:
        _context.set_pending(None)
        run = _lifecycle.current()
        if run is not None and run.id == trial.run_id and not run.finished:
            run.finish()


def command_argv(cfg, params, args_file, project):
    """The trial's argument vector from `command` and its macros (never a shell string)."""
    flat = []

    def walk(prefix, data):
        for k, v in data.items():
            if isinstance(v, dict):
                walk(prefix + k + ".", v)
            else:
                flat.append((prefix + k, v))

    walk("", params)

    def text(v):
        if isinstance(v, str):
            return v
        if isinstance(v, (list, dict)):
            return json.dumps(v)
        return str(v)

    program = cfg.get("program")
    argv = []
    for part in cfg.get("command") or _config.DEFAULT_COMMAND:
        if part == "${env}":
            if sys.platform != "win32" and os.path.exists("/usr/bin/env"):
                argv.append("/usr/bin/env")
        elif part == "${interpreter}":
            if program is None or program.endswith(".py"):
                argv.append(sys.executable or "python3")
        elif part == "${program}":
            if program is None:
                raise ValueError("runlog: the sweep has no program to run (set program or command)")
            argv.append(program)
        elif part == "${args}":
            argv.extend("--%s=%s" % (k, text(v)) for k, v in flat)
        elif part == "${args_no_hyphens}":
            argv.extend("%s=%s" % (k, text(v)) for k, v in flat)
        elif part == "${args_json}":
            argv.append(json.dumps(params, sort_keys=True))
        elif part == "${args_json_file}":
            with open(args_file, "w", encoding="utf-8") as f:
                json.dump(params, f, sort_keys=True)
            argv.append(args_file)
        elif part == "${project}":
            argv.append(project)
        elif part == "${entity}":
            if cfg.get("entity"):
                argv.append(cfg["entity"])
        else:
            argv.append(part)
    return argv


def _die_with_parent():
    # The trial dies with its agent, so an agent killed mid-trial leaves no orphan writing its run.
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _run_command(store, sweep, record):
    cfg = sweep["config"]
    args_file = os.path.join(state.trials_dir(store, sweep["id"]), "%06d.args.json" % record["trial"])
    argv = command_argv(cfg, record["params"], args_file, sweep["project"])
    env = dict(os.environ)
    env.update({"RUNLOG_DIR": store, "RUNLOG_PROJECT": sweep["project"], "RUNLOG_RUN_ID": record["run"]["id"],
                "RUNLOG_SWEEP_ID": sweep["id"], "RUNLOG_SWEEP_TRIAL": str(record["trial"])})
    for key in ("RUNLOG_RUN_NAME", "RUNLOG_RESUME", "RUNLOG_FORK_FROM", "RUNLOG_RESUME_FROM"):
        env.pop(key, None)
    linux = sys.platform.startswith("linux")
    try:
        child = subprocess.Popen(argv, env=env, shell=False, preexec_fn=_die_with_parent if linux else None)
    except OSError as e:
        sys.stderr.write("runlog sweep: cannot start %s: %s\n" % (argv[0], e))
        return
    try:
        child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        raise


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(prog="python -m runlog._sweeps")
    sub = parser.add_subparsers(dest="command", required=True)
    p_create = sub.add_parser("create", help="create a sweep from a YAML or JSON file; prints its id")
    p_create.add_argument("file")
    p_create.add_argument("--project")
    p_agent = sub.add_parser("agent", help="run trials of a sweep")
    p_agent.add_argument("sweep_id")
    p_agent.add_argument("--count", type=int)
    for p in (p_create, p_agent):
        p.add_argument("--dir", help="the store (default: $RUNLOG_DIR, else ./.runlog)")
        p.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    store = os.path.abspath(args.dir or os.environ.get("RUNLOG_DIR") or ".runlog")
    from . import create_sweep
    try:
        if args.command == "create":
            print(create_sweep(args.file, project=args.project, dir=store))
            return 0
        if args.count is not None and args.count < 1:
            parser.error("--count must be a positive integer")
        run_agent(store, args.sweep_id, count=args.count, quiet=args.quiet)
        return 0
    except (_config.SweepConfigError, state.SweepNotFoundError, ValueError, OSError) as e:
        sys.stderr.write("%s\n" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
