"""Cost of `run.log()` with 3 floats, beside a bare `json.dumps` + buffered file write.

    PYTHONPATH=sdk/python python3 sdk/python/bench_log.py [--calls 100000] [--repeat 5] [--json]

Both loops run in this interpreter over the same pre-built dicts; each figure is the best of
`--repeat` rounds (the least disturbed by other work on the machine).
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import runlog  # noqa: E402


def make_rows(n):
    rng = random.Random(0)
    pool = [{"accuracy": rng.random(), "loss": rng.random() * 2, "lr": rng.random() / 100}
            for _ in range(1024)]
    return [pool[i % len(pool)] for i in range(n)]


def bench_baseline(rows, path):
    dumps = json.dumps
    with open(path, "w") as f:
        write = f.write
        t0 = time.perf_counter()
        for row in rows:
            write(dumps(row) + "\n")
        elapsed = time.perf_counter() - t0
    return elapsed


def bench_runlog(rows, store):
    run = runlog.init(project="bench", dir=store, settings={
        "quiet": True, "system_interval": 0, "capture_output": False, "heartbeat_interval": 5})
    log = run.log
    t0 = time.perf_counter()
    for row in rows:
        log(row)
    elapsed = time.perf_counter() - t0
    run.finish()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--calls", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    rows = make_rows(args.calls)
    tmp = tempfile.mkdtemp(prefix="runlog-bench-")
    try:
        base, sdk = [], []
        for i in range(args.repeat):
            base.append(bench_baseline(rows, os.path.join(tmp, "baseline-%d.jsonl" % i)))
            sdk.append(bench_runlog(rows, os.path.join(tmp, "store-%d" % i)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base_us = min(base) / args.calls * 1e6
    sdk_us = min(sdk) / args.calls * 1e6
    result = {
        "calls": args.calls, "repeat": args.repeat, "python": sys.version.split()[0],
        "baseline_us_per_call": round(base_us, 3), "log_us_per_call": round(sdk_us, 3),
        "ratio": round(sdk_us / base_us, 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print("runlog log() of 3 floats, %d calls, best of %d (Python %s)"
              % (args.calls, args.repeat, result["python"]))
        print("  json.dumps + buffered write: %8.3f us/call" % base_us)
        print("  run.log():                   %8.3f us/call" % sdk_us)
        print("  ratio:                       %8.2fx" % result["ratio"])


if __name__ == "__main__":
    main()
