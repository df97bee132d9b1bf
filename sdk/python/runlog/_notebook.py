"""Runs started in a Jupyter kernel (README, Notebooks).

One run per `init()`: running the cell again finishes the previous run and starts a new one
(`init()` does that everywhere); the kernel's exit (shutdown, restart) finishes the last one
through the SDK's atexit hook. stdout and stderr of the cells that run are captured like a
script's. An interrupted cell (Kernel > Interrupt) does not end the run: the kernel goes on.

The run's rich display is a Runlog MIME type that the editor's notebook renderer draws as the
run's charts; other front ends show the text/plain fallback.
"""

import sys

from . import _lifecycle

MIME_TYPE = "application/vnd.runlog.run+json"

_hooked = False


def kernel_shell():
    """The IPython shell of a Jupyter kernel this process is, or None (a plain script, a terminal IPython)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        shell = ipython.get_ipython()
    except Exception:
        return None
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def attach(run, quiet):
    """Called by init(): in a kernel, keeps the run alive across cells and shows it in the cell."""
    shell = kernel_shell()
    if shell is None:
        return False
    global _hooked
    if not _hooked:
        _hooked = True
        try:
            shell.events.register("post_run_cell", _after_cell)
        except Exception:
            pass
    if not quiet:
        try:
            from IPython.display import display
            display(run)
        except Exception:
            pass
    return True


def _after_cell(result=None):
    # The kernel turned SIGINT into a KeyboardInterrupt that ended the cell, not the process:
    # forget it, or the kernel's exit would record the run as killed.
    _lifecycle._signal = None


def payload(run):
    # The run's record folder (`run.dir` is its files/ folder where the SDK follows W&B).
    folder = getattr(run, "run_dir", None) or run.dir
    return {"version": 1, "project": run.project, "id": run.id, "name": run.name, "dir": str(folder),
            "store": run.store}


def mimebundle(run, include=None, exclude=None):
    """`Run._repr_mimebundle_`: our MIME type, and a text/plain fallback."""
    text = "Runlog run %s (%s) in project %s, %s: %s" % (run.name, run.id, run.project, run.state,
                                                         getattr(run, "run_dir", None) or run.dir)
    bundle = {MIME_TYPE: payload(run), "text/plain": text}
    if include:
        bundle = {k: v for k, v in bundle.items() if k in include}
    if exclude:
        bundle = {k: v for k, v in bundle.items() if k not in exclude}
    return bundle
