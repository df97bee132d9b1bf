"""A training loop that runs until it is stopped (or for --steps steps).

    PYTHONPATH=sdk/python python3 examples/long_train.py --sleep 0.2
"""

import argparse
import math
import random
import time

import runlog


def main():
    parser = argparse.ArgumentParser(description="Log a metric every --sleep seconds until stopped.")
    parser.add_argument("--steps", type=int, default=None, help="stop after this many steps (default: never)")
    parser.add_argument("--sleep", type=float, default=0.2, help="seconds between steps (default: 0.2)")
    parser.add_argument("--project", default=None, help="project name (default: RUNLOG_PROJECT or the folder name)")
    args = parser.parse_args()

    run = runlog.init(project=args.project, config={"sleep": args.sleep, "steps": args.steps})
    step = 0
    try:
        while args.steps is None or step < args.steps:
            loss = math.exp(-step / 50) + random.random() * 0.05
            run.log({"loss": loss, "accuracy": 1 - loss / 2, "lr": 0.01 * 0.99 ** step})
            if step % 10 == 0:
                print(f"step {step} loss {loss:.4f}", flush=True)
            step += 1
            time.sleep(args.sleep)
    finally:
        print(f"stopping after {step} steps", flush=True)
    run.finish()


if __name__ == "__main__":
    main()
