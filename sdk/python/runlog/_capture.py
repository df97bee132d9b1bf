"""Tee sys.stdout / sys.stderr into `output.jsonl`, still writing to the original stream."""

import json
import time

_dumps = json.JSONEncoder(separators=(",", ":")).encode

# A line longer than this is recorded in pieces rather than held back.
_MAX_PARTIAL = 64 * 1024


class OutputTee(object):
    def __init__(self, stream, name, writer):
        self._stream = stream
        self._name = name
        self._writer = writer
        self._partial = ""
        self.active = True

    def write(self, text):
        n = self._stream.write(text)
        if self.active and isinstance(text, str) and text:
            with self._writer.lock:
                buf = self._partial + text
                cut = buf.rfind("\n") + 1
                if cut == 0 and len(buf) < _MAX_PARTIAL:
                    self._partial = buf
                else:
                    if cut == 0:
                        cut = len(buf)
                    self._partial = buf[cut:]
                    self._emit(buf[:cut])
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def _emit(self, chunk):
        self._writer.buf.append(
            '{"ts":%.6f,"stream":"%s","text":%s}\n' % (time.time(), self._name, _dumps(chunk)))

    def flush_partial(self):
        """Record a pending partial line (called before each flush of the output file)."""
        with self._writer.lock:
            if self._partial:
                chunk, self._partial = self._partial, ""
                self._emit(chunk)

    def flush(self):
        return self._stream.flush()

    @property
    def original(self):
        return self._stream

    def __getattr__(self, name):
        return getattr(self._stream, name)
