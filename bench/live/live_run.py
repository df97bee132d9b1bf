"""A running script for the live-latency figure (bench/ui/ui.bench.ts).

    python3 live_run.py <store> <go-file> <out.json> <points> <interval-seconds>

Logs step 0 and flushes it (so the run and its chart exist), prints `ready <run-key>`, waits for
<go-file>, then calls `run.log()` <points> times, <interval> apart, recording the wall-clock time
taken right before each call. Writes [[step, epoch_seconds], ...] to <out.json> and finishes.
"""

import json
import math
import os
import sys
import time

import runlog


def main():
    store, go_file, out_file = sys.argv[1], sys.argv[2], sys.argv[3]
    points, interval = int(sys.argv[4]), float(sys.argv[5])
    run = runlog.init(project="live", name="live-bench", dir=store, settings={
        "quiet": True, "system_interval": 0, "capture_output": False})
    run.log({"live": 0.0})
    run.flush()
    print("ready %s/%s" % (run.project, run.id), flush=True)
    # Experiment only (off unless set): flush every N ms besides the SDK's own flusher, to see
    # what a shorter SDK flush interval would give. `npm run bench` never sets it.
    extra_flush = float(os.environ.get("BENCH_LIVE_FLUSH_MS", "0")) / 1000.0
    if extra_flush > 0:
        import threading

        def flusher():
            while True:
                time.sleep(extra_flush)
                run.flush()

        threading.Thread(target=flusher, daemon=True).start()
    deadline = time.time() + 120
    while not os.path.exists(go_file):
        if time.time() > deadline:
            run.finish(exit_code=1)
            sys.exit("no go file within 120 s")
        time.sleep(0.005)
    times = []
    for i in range(1, points + 1):
        t = time.time()
        run.log({"live": math.sin(i / 7.0)})
        times.append([i, t])
        time.sleep(interval)
    # Leave time for the last points to reach the page before the run ends.
    time.sleep(2.0)
    with open(out_file, "w") as f:
        json.dump(times, f)
    run.finish()


if __name__ == "__main__":
    main()
