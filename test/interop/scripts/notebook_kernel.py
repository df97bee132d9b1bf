"""Drives a real Jupyter kernel (ipykernel) with jupyter_client as a notebook front end would:
runs cells that call runlog.init() and log, re-runs the init cell, interrupts a cell, then shuts
the kernel down. Prints one JSON object: each cell's outputs (stream text, display MIME types and
the Runlog payload), for the test to check against the run folders the kernel wrote."""

import json
import sys

from jupyter_client.manager import start_new_kernel

INIT_CELL = 'import runlog\nrun = runlog.init(project="nb", config={"lr": 0.1})\nprint("hello from the init cell")\n'
CELLS = [
    ("init", INIT_CELL),
    ("train", 'for step in range(5):\n    run.log({"loss": 1.0 / (step + 1)})\nprint("trained", run.step)\n'),
    ("show", "run\n"),
    ("fails", 'print("about to fail")\nraise ValueError("a cell that fails")\n'),
    ("reinit", INIT_CELL),
    ("after", 'run.log({"loss": 0.25})\nprint("second run logs")\n'),
    ("interrupted", 'import time\nprint("sleeping", flush=True)\ntime.sleep(60)\n'),
    ("alive", 'run.log({"loss": 0.125})\nprint("still tracked after the interrupt")\n'),
]


def run_cell(kc, km, name, code):
    msg_id = kc.execute(code)
    outputs = {"name": name, "stream": "", "mime": [], "payload": None, "status": None, "error": None}
    interrupted = False
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            outputs["stream"] += content["text"]
            if name == "interrupted" and "sleeping" in outputs["stream"] and not interrupted:
                interrupted = True
                km.interrupt_kernel()
        elif kind in ("display_data", "execute_result"):
            outputs["mime"].append(sorted(content["data"]))
            payload = content["data"].get("application/vnd.runlog.run+json")
            if payload is not None:
                outputs["payload"] = payload
                outputs["text"] = content["data"].get("text/plain")
        elif kind == "error":
            outputs["error"] = content["ename"]
        elif kind == "status" and content["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    outputs["status"] = reply["content"]["status"]
    return outputs


def main():
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    results = []
    try:
        for name, code in CELLS:
            results.append(run_cell(kc, km, name, code))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a shutdown_request: the kernel exits as on "Shut Down"
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
