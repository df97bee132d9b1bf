"""The Run's lifecycle: start (records, capture, background threads), flush, finish."""

import json
import os
import sys
import threading
import time
import traceback

from . import _report
from ._capture import OutputTee
from ._config import _flatten
from ._store import FORMAT_VERSION, remove_resume_marker
from ._system import SystemSampler
from ._version import __version__
from ._writer import JsonlWriter

_dumps = json.JSONEncoder(separators=(",", ":")).encode
_time = time.time
_FLUSH_INTERVAL = 0.05


class LifecycleMixin(object):
    """Part of `Run` (see _run.py): start, flush and finish."""

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self._finish("killed", 130)
        elif issubclass(exc_type, SystemExit):
            code = _exit_code(exc.code if exc is not None else None)
            self._finish("finished" if code == 0 else "failed", code)
        else:
            self._output_traceback(exc_type, exc, tb)
            self._finish("failed", 1)
        return False

    def finish(self, exit_code=None, quiet=None):
        """End the run: state finished (exit code 0) or failed (any other code). A second call does nothing."""
        code = _exit_code(exit_code)
        self._finish("finished" if code == 0 else "failed", code, quiet)

    def _output_traceback(self, exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        with self._output.lock:
            self._output.buf.append(_dumps({"ts": _time(), "stream": "stderr", "text": text}) + "\n")

    def _finish(self, state, code, quiet=None, reason=None):
        if self._child:
            return self._finish_in_child()
        with self._lock:
            if self._finished or self._finishing or self._inert:
                return
            self._finishing = True
        try:
            self._flush_pending()
            try:
                self._keep_files_at_end()
            except Exception as e:  # never lose the exit record over a file
                _report.emit(["could not record the files of run %s: %s" % (self.id, e)])
        finally:
            self._closed = True
        try:
            exit_rec = {"type": "exit", "ts": _time(), "code": code, "state": state}
            if reason:
                exit_rec["reason"] = reason  # why it was stopped, e.g. by a sweep's hyperband
            self._record(exit_rec)
            self._exit_state = (state, code)
            marker = getattr(self, "_resume_marker", None)
            if marker is not None and state == "finished":
                remove_resume_marker(marker)  # resume="auto": a finished run is not continued
            self._stop.set()
            self._restore_streams()
            for w in (self._events, self._output, self._system):
                w.close()
            if self._lock_file is not None:
                self._lock_file.release()
        finally:
            self._finished = True
            self._finishing = False
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout=0.2)
        from . import _lifecycle
        _lifecycle.run_finished(self)
        if not (self._settings.quiet if quiet is None else quiet):
            _report.emit(self._report_lines(state, code))

    def _report_lines(self, state, code):
        series = [(k, s[4]) for k, s in self._stats.items()]
        summary = []
        keys = list(self._last)
        flat_explicit = {}
        _flatten(self.summary._explicit, "", flat_explicit)
        for k in flat_explicit:
            if k not in self._last:
                keys.append(k)
        for k in keys:
            if k in flat_explicit:
                summary.append((k, flat_explicit[k]))
                continue
            try:
                value = self._summary_value(k)  # under its define_metric rule, as run.summary
            except KeyError:
                continue  # summary="none"
            if isinstance(value, dict):
                summary.extend(("%s/%s" % (k, op), v) for op, v in value.items())
            else:
                summary.append((k, value))
        lines = _report.finish_lines(series, summary)
        lines.append("")
        lines.append("View run %s at: %s" % (self._name, self._run_dir))
        if state != "finished":
            lines.append("Run %s (exit code %d)" % (state, code))
        lines.append("Find logs at: %s" % os.path.join(self._run_dir, "output.jsonl"))
        return lines

    def _restore_streams(self):
        for tee in self._tees:
            tee.flush_partial()
            tee.active = False
        for attr, tee in zip(("stdout", "stderr"), self._tees):
            if getattr(sys, attr) is tee:
                setattr(sys, attr, tee.original)
        self._tees = []

    # -- start --------------------------------------------------------------------------------

    def _start(self, init_rec, first_records, lock_file):
        """Write the init records, start the background threads and capture."""
        self._lock_file = lock_file
        try:
            os.makedirs(os.path.join(self._run_dir, "files"), exist_ok=True)
        except OSError:
            pass
        with self._lock:
            if os.path.getsize(self._events.path) == 0 and not self._events.buf:
                self._events.buf.append(_dumps({
                    "type": "header", "format": "runlog", "version": FORMAT_VERSION, "minor": 2,
                    "writer": "runlog-python/" + __version__, "created": init_rec["ts"]}) + "\n")
            self._record(init_rec)
            for rec in first_records:
                self._record(rec)
        self._events.flush()
        s = self._settings
        if s.capture_output:
            for attr in ("stdout", "stderr"):
                stream = getattr(sys, attr)
                if stream is not None:
                    tee = OutputTee(stream, attr, self._output)
                    setattr(sys, attr, tee)
                    self._tees.append(tee)
        t = threading.Thread(target=self._flusher_loop, name="runlog-flusher", daemon=True)
        t.start()
        self._threads.append(t)
        if s.system_interval and s.system_interval > 0:
            t = threading.Thread(target=self._system_loop, name="runlog-system", daemon=True)
            t.start()
            self._threads.append(t)

    def _flusher_loop(self):
        interval = self._settings.heartbeat_interval
        next_beat = _time() + interval if interval and interval > 0 else None
        next_full = _time() + 1.0
        while True:
            # Metrics are written within 50 ms of a log() so an open run page draws them at once
            # (a wakeup with nothing buffered costs one check); everything else, partial output
            # lines included, at least every second as before.
            now = _time()
            wait = max(0.0, min(_FLUSH_INTERVAL, next_full - now))
            if next_beat is not None:
                wait = max(0.0, min(wait, next_beat - now))
            if self._stop.wait(wait):
                return
            try:
                now = _time()
                if next_beat is not None and now >= next_beat:
                    rec = {"type": "heartbeat", "ts": now}
                    if self._last_step is not None:
                        rec["step"] = self._last_step
                    self._record(rec)
                    next_beat = now + interval
                if now >= next_full:
                    self.flush()
                    next_full = now + 1.0
                else:
                    self._events.flush()
            except Exception:
                pass

    def flush(self):
        """Write everything buffered so far to disk."""
        for tee in list(self._tees):
            tee.flush_partial()
        self._output.flush()
        self._events.flush()
        self._system.flush()

    def _system_loop(self):
        interval = self._settings.system_interval
        try:
            sampler = SystemSampler()
        except Exception:
            return
        failures = 0
        while not self._stop.wait(interval):
            try:
                data = sampler.sample()
                failures = 0
            except Exception:
                failures += 1
                if failures >= 3:
                    return
                continue
            if data:
                line = '{"ts":%.6f,"data":%s}\n' % (_time(), _dumps(data))
                with self._system.lock:
                    self._system.buf.append(line)

    def _replay_history(self, history):
        """Feed history read back from disk (resume, fork) into the step counter and statistics."""
        with self._lock:
            for step, _, data in history:
                self._step = step + 1
                self._last_step = step
                self._last.update(data)
                self._track(data)

    def _after_fork_in_child(self):
        # A child made by fork (multiprocessing, DataLoader workers) keeps logging to the run.
        # Its writers are its own: fresh locks (a parent thread may have held ours at the fork),
        # none of the parent's buffered lines (the parent writes those), and every line goes to
        # the file at once in one O_APPEND write, so lines from both processes stay whole and
        # nothing waits for a flusher thread a child does not have (children often end with
        # os._exit). Its output is captured the same way. It never ends the run.
        self._lock = threading.RLock()
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        self._threads = []
        self._stop = threading.Event()
        if self._closed:
            self._inert = True
            for tee in self._tees:
                tee.active = False
            return
        self._child = True
        self._pending = None
        self._events = _direct_writer(self._events.path, self._lock)
        self._ebuf = self._events.buf
        self._output = _direct_writer(self._output.path)
        self._system = _direct_writer(self._system.path)
        for tee in self._tees:
            tee._writer = self._output
            tee._partial = ""
        try:  # runs before a multiprocessing child's os._exit and at interpreter exit
            threading._register_atexit(self._finish_in_child)
        except Exception:
            pass

    def _finish_in_child(self):
        try:
            self._flush_pending()
            for tee in self._tees:
                tee.flush_partial()
        except Exception:
            pass



def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code
    return 1



class _DirectLines(list):
    """A writer buffer that writes each appended line at once (forked children)."""

    def __init__(self, writer):
        list.__init__(self)
        self._writer = writer

    def append(self, line):
        w = self._writer
        with w._io_lock:
            data, w._pending = w._pending + line.encode("utf-8", "surrogatepass"), b""
            w._write(data)


def _direct_writer(path, lock=None):
    w = JsonlWriter(path, lock, repair=False)
    w.buf = _DirectLines(w)
    return w
