"""`python -m runlog`: read a store on machines with no Node (cluster nodes, CI).

Mirrors the Node command line (`runlog ls|projects|show`, README: Command line) in output shape,
adds `tail` (a run's output, `--follow` until it ends) and reads the run folders directly (no
index), through `Api`. `--filter` takes W&B's filter document as JSON (see `_query.py`).
Exit codes: 0 ok, 1 usage error or not found, 2 store error.
"""

import argparse
import datetime
import json
import math
import os
import sys
import time

from ._api import Api
from ._query import FilterError
from ._replay import _parse

USAGE = """python -m runlog <command> [options]

Commands:
  ls [project] [--filter JSON] [--sort K] [--desc] [--limit N]
                                   list runs (all projects, or one)
  projects                         list projects
  show <id|project/id>             a run's overview, config, summary and metrics
  tail <id|project/id> [-n N] [--follow]
                                   a run's last output lines; --follow waits for more until it ends
  wandb-path                       the folder of Runlog's `wandb` stand-in, to put on PYTHONPATH:
                                   PYTHONPATH="$(python -m runlog wandb-path):$PYTHONPATH"

Options: --dir <store> (default $RUNLOG_DIR, else ./.runlog), --json.
--filter takes W&B's filter document, e.g. '{"config.lr": {"$lt": 0.1}, "state": "finished"}';
--sort takes W&B's order: created_at, summary_metrics.<key>, config.<key>, display_name.
Exit codes: 0 ok, 1 usage error or not found, 2 store error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(message)


class _Usage(Exception):
    pass


def _time(ts):
    if not isinstance(ts, (int, float)):
        return "-"
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def _duration(sec):
    s = int(round(sec or 0))
    h, m = s // 3600, (s % 3600) // 60
    return "%dh%02dm" % (h, m) if h else ("%dm%02ds" % (m, s % 60) if m else "%ds" % s)


def _number(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    return json.dumps(v) if isinstance(v, (str, list, dict)) or v is None else str(v)


def _table(header, rows):
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c if i == len(cells) - 1 else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
    return "\n".join([line(header)] + [line(r) for r in rows]) + "\n"


def _strict(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    return value


def _runtime(run):
    return (run._state.last_ts or run.created or 0) - (run.created or 0)


def _row(run):
    return {"project": run.project, "id": run.id, "name": run.name, "state": run.state,
            "lastStep": run._state.last_step, "runtimeSec": _runtime(run), "startTime": run.created,
            "tags": run.tags, "group": run.group, "jobType": run.job_type, "dir": run.dir}


def _find(api, ref):
    if "/" in ref:
        return api.run(ref)
    matches = []
    for p in api.projects():
        folder = os.path.join(api.store, "projects", p, "runs")
        try:
            ids = os.listdir(folder)
        except OSError:
            continue
        exact = [i for i in ids if i == ref]
        matches += [(p, i) for i in (exact or [i for i in ids if i.startswith(ref)])]
    if not matches:
        raise LookupError("no run with ID %s in %s." % (ref, api.store))
    if len(matches) > 1:
        raise _Usage('"%s" matches %d runs (%s); give project/id.'
                     % (ref, len(matches), ", ".join("%s/%s" % m for m in matches[:5])))
    return api.run("%s/%s" % matches[0])


def cmd_ls(api, a, out):
    projects = [a.project] if a.project else api.projects()
    if a.project and a.project not in api.projects():
        raise LookupError('no project "%s" in %s.' % (a.project, api.store))
    filters = json.loads(a.filter) if a.filter else None
    order = ("-" if a.desc or not a.sort else "+") + (a.sort or "created_at")
    runs = []
    for p in projects:
        runs += api.runs(p, filters=filters, order=order)
    if len(projects) > 1:
        from ._query import sort_runs
        runs = sort_runs(runs, order)
    if a.limit is not None:
        runs = runs[:a.limit]
    if a.json:
        out.write(json.dumps(_strict([_row(r) for r in runs])) + "\n")
        return 0
    rows = [[r.project, r.id, r.name, r.state, "-" if r._state.last_step is None else str(r._state.last_step),
             _duration(_runtime(r)), _time(r.created)] for r in runs]
    out.write(_table(["PROJECT", "ID", "NAME", "STATE", "STEP", "RUNTIME", "STARTED"], rows) + ("no runs\n" if not rows else ""))
    return 0


def cmd_projects(api, a, out):
    rows = []
    for p in api.projects():
        runs = api.runs(p)
        rows.append({"name": p, "runCount": len(runs), "runningCount": sum(r.state == "running" for r in runs),
                     "lastStart": max([r.created for r in runs if r.created] or [None], key=lambda x: x or 0)})
    if a.json:
        out.write(json.dumps(rows) + "\n")
        return 0
    out.write(_table(["PROJECT", "RUNS", "RUNNING", "LAST START"],
                     [[r["name"], str(r["runCount"]), str(r["runningCount"]), _time(r["lastStart"])] for r in rows]))
    return 0


def cmd_show(api, a, out):
    run = _find(api, a.run)
    meta = run.metadata or {}
    if a.json:
        detail = dict(_row(run), config=run.config, summary=dict(run.summary), notes=run.notes, meta=meta,
                      artifacts=[{"name": x.name, "type": x.type, "size": x.size} for x in run.logged_artifacts()])
        out.write(json.dumps(_strict(detail), default=str) + "\n")
        return 0
    lines = []
    field = lambda k, v: lines.append("%s %s" % ((k + ":").ljust(12), v)) if v not in (None, "") else None
    field("Run", "%s/%s" % (run.project, run.id))
    field("Name", run.name)
    field("State", run.state + (" (exit code %s)" % run._exit.get("code") if run._exit else ""))
    field("Started", _time(run.created))
    field("Runtime", _duration(_runtime(run)))
    field("Last step", run._state.last_step)
    field("Group", run.group)
    field("Job type", run.job_type)
    field("Tags", ", ".join(run.tags))
    field("Notes", run.notes)
    field("Host", meta.get("host"))
    field("Command", " ".join(meta.get("command") or []))
    field("Folder", run.dir)
    for title, data in (("Config", _flat(run.config)), ("Summary", {k: v for k, v in _flat(dict(run.summary)).items() if not k.startswith("_")})):
        if data:
            lines += ["", title + ":"] + ["  %s = %s" % (k, _number(v)) for k, v in data.items()]
    stats = {}
    for step, _, data in run._state.history:
        for k, v in data.items():
            s = stats.setdefault(k, [0, step, step, None, None, None])
            s[0] += 1
            s[1], s[2] = min(s[1], step), max(s[2], step)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
                s[3] = v if s[3] is None else min(s[3], v)
                s[4] = v if s[4] is None else max(s[4], v)
            s[5] = v
    if stats:
        lines += ["", "Metrics:", _table(["  KEY", "POINTS", "STEPS", "MIN", "MAX", "LAST"], [
            ["  " + k, str(s[0]), "%d..%d" % (s[1], s[2]), _number(s[3]), _number(s[4]), _number(s[5])]
            for k, s in sorted(stats.items())]).rstrip()]
    arts = [("output", x) for x in run.logged_artifacts()] + [("input", x) for x in run.used_artifacts()]
    if arts:
        lines += ["", "Artifacts:"] + ["  %s %s (%s, %s bytes)" % (d, x.name, x.type, x.size) for d, x in arts]
    out.write("\n".join(lines) + "\n")
    return 0


def _flat(data, prefix=""):
    out = {}
    for k, v in data.items():
        if isinstance(v, dict) and v:
            out.update(_flat(v, prefix + str(k) + "/"))
        else:
            out[prefix + str(k)] = v
    return out


def cmd_tail(api, a, out):
    run = _find(api, a.run)
    path = os.path.join(run.dir, "output.jsonl")
    offset = 0
    pending = []

    def read_new():
        nonlocal offset
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                data = f.read()
        except OSError:
            return []
        end = data.rfind(b"\n") + 1
        offset += end
        recs = [_parse(line) for line in data[:end].split(b"\n")[:-1]]
        return [r for r in recs if r and isinstance(r.get("text"), str)]

    text = "".join(r["text"] for r in read_new())
    lines = text.splitlines(True)
    for line in lines[-a.lines:] if a.lines > 0 else []:
        out.write(line)
    out.flush()
    while a.follow:
        pending = read_new()
        for r in pending:
            out.write(r["text"])
        out.flush()
        if not pending:
            run.load()
            if run.state != "running":
                break
            time.sleep(0.5)
    return 0


def main(argv, out=None, err=None):
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _Parser(prog="python -m runlog", usage=USAGE, add_help=False)
    parser.add_argument("command", nargs="?")
    parser.add_argument("args", nargs="*")
    parser.add_argument("--dir")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-h", "--help", action="store_true")
    parser.add_argument("--filter")
    parser.add_argument("--sort")
    parser.add_argument("--desc", action="store_true")
    parser.add_argument("--limit", type=int)
    parser.add_argument("-n", "--lines", type=int, default=20)
    parser.add_argument("-f", "--follow", action="store_true")
    try:
        a = parser.parse_args(argv)
        if a.help or a.command == "help":
            out.write(USAGE + "\n")
            return 0
        if a.command == "wandb-path" and not a.args:
            out.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "wandb_compat") + "\n")
            return 0
        arity = {"ls": (0, 1), "projects": (0, 0), "show": (1, 1), "tail": (1, 1)}
        if a.command not in arity:
            raise _Usage('unknown command "%s" (commands: ls, projects, show, tail, wandb-path).' % a.command
                         if a.command else "no command given.\n\n" + USAGE)
        lo, hi = arity[a.command]
        if not lo <= len(a.args) <= hi:
            raise _Usage("expected %s argument(s), got %d." % (lo if lo == hi else "%d to %d" % (lo, hi), len(a.args)))
        a.project = a.args[0] if a.command == "ls" and a.args else None
        a.run = a.args[0] if a.args else None
        api = Api(dir=a.dir)
        if not os.path.isdir(api.store):
            err.write("runlog: no Runlog store at %s (pass --dir or set RUNLOG_DIR).\n" % api.store)
            return 2
        return {"ls": cmd_ls, "projects": cmd_projects, "show": cmd_show, "tail": cmd_tail}[a.command](api, a, out)
    except (_Usage, FilterError, json.JSONDecodeError) as e:
        err.write("runlog%s: %s\n" % (" " + a.command if "a" in dir() and a.command else "", e))
        return 1
    except (LookupError, ValueError) as e:
        err.write("runlog: %s\n" % (str(e)[len("runlog: "):] if str(e).startswith("runlog: ") else e))
        return 1
    except OSError as e:
        err.write("runlog: store error: %s\n" % e)
        return 2
    except KeyboardInterrupt:
        return 130
