"""Append-only JSON-lines files with a write buffer.

Producers append complete lines (each ending with a newline) to an in-memory list under the
writer's lock; `flush()` swaps the list out and hands it to the kernel in one `os.write`, so a
process killed at any moment leaves at most one torn line at the end of the file.
"""

import os
import sys
import threading

_OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
# Bytes kept for retry when the disk refuses a write (full disk); beyond this, lines are dropped.
_MAX_PENDING = 64 * 1024 * 1024


class JsonlWriter(object):
    def __init__(self, path, lock=None, repair=True):
        self.path = path
        # Re-entrant: a signal handler that finishes the run may interrupt the main thread while
        # it holds this lock.
        self.lock = lock if lock is not None else threading.RLock()
        self.buf = []
        self._io_lock = threading.RLock()
        self._pending = b""
        self._dropped = 0
        self._warned = False
        self._fd = os.open(path, _OPEN_FLAGS, 0o644)
        self._closed = False
        if repair:
            self._repair_torn_tail()

    def _repair_torn_tail(self):
        # Appending after a torn last line (a previous process was killed mid-write) would glue
        # our first record onto it; terminate it so only that old line stays unreadable.
        try:
            size = os.fstat(self._fd).st_size
            if size == 0:
                return
            with open(self.path, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    os.write(self._fd, b"\n")
        except OSError:
            pass

    def append(self, line):
        with self.lock:
            self.buf.append(line)

    def flush(self):
        with self._io_lock:
            with self.lock:
                # The list object is kept for good: hot paths hold a reference to it.
                lines = self.buf[:]
                del self.buf[:]
            if not lines and not self._pending:
                return
            if self._closed:
                return
            data = self._pending + "".join(lines).encode("utf-8", "surrogatepass")
            self._pending = b""
            self._write(data)

    def _write(self, data):
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        except OSError as e:
            rest = bytes(view)
            if len(rest) > _MAX_PENDING:
                self._dropped += rest.count(b"\n")
                rest = b""
            self._pending = rest
            if not self._warned:
                self._warned = True
                _warn("runlog: cannot write %s (%s); keeping data in memory and retrying"
                      % (self.path, e.strerror or e))
            return
        if self._warned:
            self._warned = False
            msg = "runlog: writing %s again" % self.path
            if self._dropped:
                msg += " (%d lines were dropped while it failed)" % self._dropped
                self._dropped = 0
            _warn(msg)

    def close(self):
        self.flush()
        with self._io_lock:
            if not self._closed:
                self._closed = True
                try:
                    os.close(self._fd)
                except OSError:
                    pass


def _warn(text):
    stream = sys.__stderr__
    if stream is not None:
        try:
            stream.write(text + "\n")
            stream.flush()
        except Exception:
            pass
