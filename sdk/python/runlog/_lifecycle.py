"""Process-wide hooks that end the current run with the right state.

- normal interpreter exit (atexit): finished, code 0 (or the code given to sys.exit);
- uncaught exception (sys.excepthook chain): failed, code 1, traceback in the output log;
- KeyboardInterrupt / SIGINT: killed, code 130 (the script's own cleanup still runs first). A
  SIGINT is a stop someone asked for (Ctrl+C, the editor's Stop Run), not an error: the
  KeyboardInterrupt it raises ends the process without a traceback, with one line that says so,
  and the process still ends by SIGINT, which shells and the editor report as 130;
- SIGTERM: killed, code 143, recorded at once, then the previous handler (by default: terminate).

Every run still open is ended so, not only the current one: `init(reinit="create_new")` keeps
several open at once.
"""

import atexit
import os
import signal
import sys
import threading

_current = None
_live = []  # every open run, oldest first (the current one among them)
_installed = False
_prev_excepthook = None
_orig_exit = None
_prev_handlers = {}
_exit_code = None
_signal = None


def current():
    return _current


def set_current(run):
    global _current
    _current = run
    register(run)


def register(run):
    """Track an open run that is not (or not only) the current one."""
    if run not in _live:
        _live.append(run)
    _install()


def live_runs():
    return list(_live)


def run_finished(run):
    global _current
    if _current is run:
        _current = None
    if run in _live:
        _live.remove(run)


def _open_runs():
    return [r for r in reversed(_live) if not r.finished]


def _install():
    global _installed, _prev_excepthook, _orig_exit
    if _installed:
        return
    _installed = True
    atexit.register(_at_exit)
    _prev_excepthook = sys.excepthook
    sys.excepthook = _excepthook
    _orig_exit = sys.exit
    sys.exit = _exit
    import builtins
    for name in ("exit", "quit"):  # site's exit()/quit() raise SystemExit without sys.exit
        original = getattr(builtins, name, None)
        if original is not None:
            setattr(builtins, name, _ExitWrapper(original))
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    if threading.current_thread() is threading.main_thread():
        for name, handler in (("SIGINT", _on_sigint), ("SIGTERM", _on_sigterm)):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                prev = signal.getsignal(sig)
                if prev is signal.SIG_IGN or prev is None:
                    continue  # ignored on purpose, or owned by non-Python code: leave it alone
                signal.signal(sig, handler)
                _prev_handlers[sig] = prev
            except (ValueError, OSError):
                pass


def _exit(code=None):
    global _exit_code
    if threading.current_thread() is threading.main_thread():
        _exit_code = code
    _orig_exit(code)


class _ExitWrapper(object):
    def __init__(self, original):
        self._original = original

    def __call__(self, code=None):
        global _exit_code
        if threading.current_thread() is threading.main_thread():
            _exit_code = code
        return self._original(code)

    def __repr__(self):
        return repr(self._original)


def _exit_code_value(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code)
    return 1


def _at_exit():
    for run in _open_runs():
        if _signal == getattr(signal, "SIGINT", None) and _signal is not None:
            run._finish("killed", 130)
        elif _signal == getattr(signal, "SIGTERM", None) and _signal is not None:
            run._finish("killed", 143)
        else:
            code = _exit_code_value(_exit_code)
            run._finish("finished" if code == 0 else "failed", code)


def _requested_stop(exc_type):
    return issubclass(exc_type, KeyboardInterrupt) and _signal is not None and _signal == getattr(signal, "SIGINT", None)


def _excepthook(exc_type, exc, tb):
    run = _current
    runs = _open_runs()
    stopped = _requested_stop(exc_type)
    try:
        if stopped:
            name = (" " + run.name) if run is not None and not run.finished else ""
            sys.stderr.write("runlog: run%s stopped (SIGINT), exit code 130\n" % name)
        else:
            _prev_excepthook(exc_type, exc, tb)
    finally:
        for run in runs:
            if run.finished:
                continue
            if not stopped and sys.stderr not in [t for t in run._tees if t.active]:
                run._output_traceback(exc_type, exc, tb)
            if issubclass(exc_type, KeyboardInterrupt):
                run._finish("killed", 130)
            else:
                run._finish("failed", 1)


def _chain(signum, frame):
    prev = _prev_handlers.get(signum)
    if callable(prev):
        return prev(signum, frame)
    # SIG_DFL: let the default action happen, as if we had never been here.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _on_sigint(signum, frame):
    global _signal
    _signal = signum
    if not callable(_prev_handlers.get(signum)):
        for run in _open_runs():
            run._finish("killed", 130)
    return _chain(signum, frame)


def _on_sigterm(signum, frame):
    global _signal
    _signal = signum
    for run in _open_runs():
        run._finish("killed", 143)
    return _chain(signum, frame)


def _after_fork_in_child():
    # The child keeps the runs (and `runlog.run`): what it logs reaches them through its own
    # writers (Run._after_fork_in_child); it never ends them.
    for run in list(_live):
        run._after_fork_in_child()
