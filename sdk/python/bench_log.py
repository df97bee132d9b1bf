"""Cost of `run.log()` with 3 floats, beside a bare `json.dumps` + buffered file write.

    PYTHONPATH=sdk/python python3 sdk/python/bench_log.py [--calls 100000] [--repeat 5] [--json]

Both loops run in this interpreter over the same pre-built dicts, interleaved in chunks of
`--chunk` calls so that both see the same machine; each figure is the fastest chunk of
`--repeat` rounds (the one least disturbed by other work on the machine), in process CPU time
(the SDK's flusher thread included) and in wall time.
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


def bench(rows, tmp, chunk, rounds):
    """Fastest per-call seconds over all chunks: {"cpu"|"wall": (baseline, run.log())}.

    CPU time is the process's (all threads, so the SDK's flusher thread is counted) and is not
    inflated by other processes on a busy machine; wall time is what the script waits.
    """
    dumps = json.dumps
    clocks = {"cpu": time.process_time, "wall": time.perf_counter}
    best = {name: [float("inf"), float("inf")] for name in clocks}
    for r in range(rounds):
        run = runlog.init(project="bench", dir=os.path.join(tmp, "store-%d" % r), settings={
            "quiet": True, "system_interval": 0, "capture_output": False, "heartbeat_interval": 5})
        log = run.log
        with open(os.path.join(tmp, "baseline-%d.jsonl" % r), "w") as f:
            write = f.write
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                c0, w0 = time.process_time(), time.perf_counter()
                for row in part:
                    write(dumps(row) + "\n")
                c1, w1 = time.process_time(), time.perf_counter()
                for row in part:
                    log(row)
                c2, w2 = time.process_time(), time.perf_counter()
                n = len(part)
                for name, (a, b, c) in (("cpu", (c0, c1, c2)), ("wall", (w0, w1, w2))):
                    best[name][0] = min(best[name][0], (b - a) / n)
                    best[name][1] = min(best[name][1], (c - b) / n)
        run.finish()
    return {name: tuple(v) for name, v in best.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--calls", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=10000)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    rows = make_rows(args.calls)
    tmp = tempfile.mkdtemp(prefix="runlog-bench-")
    try:
        best = bench(rows, tmp, max(1, args.chunk), args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = {"calls": args.calls, "repeat": args.repeat, "chunk": args.chunk, "python": sys.version.split()[0]}
    for name, (base, sdk) in best.items():
        result[name] = {"baseline_us_per_call": round(base * 1e6, 3), "log_us_per_call": round(sdk * 1e6, 3),
                        "ratio": round(sdk / base, 2)}
    if args.json:
        print(json.dumps(result))
        return
    print("runlog log() of 3 floats, %d calls x %d rounds, fastest %d-call chunk (Python %s)"
          % (args.calls, args.repeat, args.chunk, result["python"]))
    print("                                    CPU time   wall time")
    print("  json.dumps + buffered write: %8.3f us %8.3f us" % (
        result["cpu"]["baseline_us_per_call"], result["wall"]["baseline_us_per_call"]))
    print("  run.log():                   %8.3f us %8.3f us" % (
        result["cpu"]["log_us_per_call"], result["wall"]["log_us_per_call"]))
    print("  ratio:                       %8.2fx    %8.2fx" % (result["cpu"]["ratio"], result["wall"]["ratio"]))


if __name__ == "__main__":
    main()
