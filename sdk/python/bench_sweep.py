"""Sweep overhead per trial: from the agent's claim of a trial to the trial's init() returning,
beside a bare init() in the same interpreter and store. Prints one JSON line with --json.

    python3 bench_sweep.py [--trials N] [--json]
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import runlog  # noqa: E402
from runlog._sweeps import state  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["RUNLOG_QUIET"] = "1"
    os.environ["RUNLOG_SYSTEM_INTERVAL"] = "0"
    store = tempfile.mkdtemp(prefix="runlog-bench-sweep-")
    try:
        bare = []
        for _ in range(args.trials):
            t0 = time.time()
            run = runlog.init(project="bare", dir=store)
            bare.append(time.time() - t0)
            run.finish()
        sid = runlog.sweep({"method": "random", "metric": {"name": "loss"},
                            "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
                                           "opt": {"values": ["adam", "sgd"]}}}, project="swept", dir=store)
        returned = {}

        def trial():
            run = runlog.init()
            returned[run.id] = time.time()
            run.log({"loss": run.config["lr"]})

        runlog.agent(sid, function=trial, count=args.trials, dir=store, quiet=True)
        swept = [returned[t["run"]["id"]] - t["claimed"] for t in state.read_trials(store, sid)]
    finally:
        shutil.rmtree(store, ignore_errors=True)
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    result = {"trials": args.trials, "bare_init_ms": ms(bare), "claim_to_init_ms": ms(swept),
              "overhead_ms": ms(swept) - ms(bare), "python": sys.version.split()[0]}
    if args.json:
        print(json.dumps(result))
    else:
        print("bare init() %.1f ms, claim -> init() returned %.1f ms, overhead %.1f ms (medians of %d)"
              % (result["bare_init_ms"], result["claim_to_init_ms"], result["overhead_ms"], args.trials))


if __name__ == "__main__":
    main()
