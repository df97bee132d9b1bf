"""A run that fails: it logs three steps, then raises.

    PYTHONPATH=sdk/python python3 examples/fail.py
"""

import runlog

run = runlog.init(config={"will_fail": True})
for step in range(3):
    run.log({"loss": 1.0 / (step + 1)})
    print(f"step {step}", flush=True)
raise RuntimeError("simulated failure after 3 steps")
