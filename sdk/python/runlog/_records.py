"""The Run's records besides history: config and summary changes, alerts, and the checks every
writer makes first (a finished run writes nothing)."""

import time

from ._config import _clean_json, _json
from ._replay import deep_merge
from ._values import warn

_time = time.time

ALERT_LEVELS = ("INFO", "WARN", "ERROR")


class RecordsMixin(object):
    """Part of `Run` (see _run.py)."""

    def _record(self, rec):
        line = _json(rec) + "\n"
        with self._lock:
            self._ebuf.append(line)

    def _check_open(self, what):
        if self._closed:
            self._warn_closed(what)
            return False
        return True

    def _warn_closed(self, what):
        if self._inert:
            return
        if not self._warned_after_finish:
            self._warned_after_finish = True
            warn("runlog: %s() after finish() of run %s is ignored; nothing was written" % (what, self.id))

    def _config_changed(self, changes):
        self._merge_record("config", self.config._data, changes)

    def _summary_changed(self, changes):
        self._merge_record("summary", self.summary._explicit, changes)

    def _merge_record(self, kind, into, changes):
        """Merges `changes` into the run's config or summary and records them as a `kind` record."""
        if not self._check_open(kind):
            return
        changes = {(k if isinstance(k, str) else str(k)): v for k, v in changes.items()}
        data = _clean_json(changes)
        with self._lock:
            deep_merge(into, data)
            self._record({"type": kind, "ts": _time(), "data": data})

    def _label(self, code=None, repo=None, code_version=None, **kwargs):
        """W&B's integration telemetry label (the HF Trainer calls it); Runlog records nothing."""
        return None

    def alert(self, title, text="", level="INFO", wait_duration=None):
        """Record an alert; the editor shows it as a notification."""
        lvl = getattr(level, "value", level)
        lvl = lvl.upper() if isinstance(lvl, str) else lvl
        if lvl == "WARNING":
            lvl = "WARN"
        if lvl not in ALERT_LEVELS:
            raise ValueError("runlog: alert level must be one of INFO, WARN, ERROR; got %r" % (level,))
        if not isinstance(title, str) or not title:
            raise ValueError("runlog: alert title must be a non-empty string, got %r" % (title,))
        if self._check_open("alert"):
            self._record({"type": "alert", "ts": _time(), "title": title, "text": str(text), "level": lvl})
            self._flush_events()

    def _flush_events(self):
        if self._events.buf:
            self._events.flush()
