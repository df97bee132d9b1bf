"""The Run's W&B attributes: `dir`, `url` and the `get_*_url()` methods, `offline`, `mode`,
`mark_preempting`, `join` (https://docs.wandb.ai/ref/python/run/).

Runlog has no server: the URLs are `file://` URIs of the run's and project's folders in the store
(W&B returns None for them offline; a URI keeps `print(run.url)` useful)."""

import json
import os
import pathlib
import time

from ._store import project_dir

_dumps = json.JSONEncoder(separators=(",", ":")).encode


class AttrsMixin(object):
    """Part of `Run` (see _run.py)."""

    @property
    def dir(self):
        """The run's files folder (`<run>/files/`): what a script writes here is kept with the run
        (recorded when the run ends) and can never clash with the run's own record files."""
        path = os.path.join(self._run_dir, "files")
        try:
            os.makedirs(path, exist_ok=True)
        except OSError:
            pass
        return path

    @property
    def run_dir(self):
        """The run's folder in the store (its record files)."""
        return self._run_dir

    @property
    def url(self):
        return self.get_url()

    def get_url(self):
        return pathlib.Path(self._run_dir).as_uri()

    def get_project_url(self):
        return pathlib.Path(project_dir(self.store, self.project)).as_uri()

    def get_sweep_url(self):
        """The sweep's folder, or None when the run is not part of a sweep (as in W&B)."""
        if not self.sweep_id:
            return None
        return pathlib.Path(os.path.join(self.store, "sweeps", self.sweep_id)).as_uri()

    @property
    def project_url(self):
        return self.get_project_url()

    @property
    def sweep_url(self):
        return self.get_sweep_url()

    def project_name(self):
        return self.project

    @property
    def display_name(self):
        return self.name

    @property
    def mode(self):
        return self._mode

    @property
    def offline(self):
        """True in mode "offline" (every Runlog run is local; this answers what init() asked)."""
        return self._mode == "offline"

    @property
    def disabled(self):
        return False

    @property
    def settings(self):
        return self._settings

    @property
    def starting_step(self):
        return self._starting_step

    def mark_preempting(self):
        """Note in the run's output log that it is about to be preempted (W&B marks the run
        preempting); the run's end state stays what its exit says."""
        if not self._check_open("mark_preempting"):
            return
        with self._output.lock:
            self._output.buf.append(_dumps({"ts": time.time(), "stream": "stderr",
                                            "text": "runlog: run marked as preempting\n"}) + "\n")
        self.flush()

    def join(self, exit_code=None, quiet=None):
        """W&B's deprecated alias of `finish()`."""
        return self.finish(exit_code=exit_code, quiet=quiet)
