"""Rich media for log(): images, tables, histograms, audio, video, HTML, plots and figures.

`log()` hands every value that `is_media()` accepts to `log_media()`, which writes the value's
files under `<run>/media/` (content-addressed, fsync'd) and then one `media` record per value
(README.md, On-disk format). A value that cannot be stored is skipped with a warning naming its key
and step; the rest of the step is kept.
"""

import time

from .._values import warn
from . import plot, sklearn
from ._clips import Audio, Html, Video
from ._files import MediaError
from ._histogram import Histogram
from ._image import Image, is_figure
from ._table import Table
from .plot import Plot
from ._watch import unwatch, watch

__all__ = ["Image", "Table", "Histogram", "Audio", "Video", "Html", "Plot", "MediaError", "plot", "sklearn",
           "watch", "unwatch", "is_media", "log_media"]

_TYPES = (Image, Table, Histogram, Audio, Video, Html, Plot)


def is_media(value):
    if isinstance(value, _TYPES) or is_figure(value):
        return True
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(isinstance(v, _TYPES) or is_figure(v) for v in value))


def encode(run_dir, value):
    """The media records' type fields for one logged value (files written first); raises MediaError."""
    if isinstance(value, (list, tuple)):
        out = []
        for i, v in enumerate(value):
            for rec in encode(run_dir, v):
                rec["index"] = i
                out.append(rec)
        return out
    if is_figure(value):
        value = Image(value)
    return [value._record(run_dir)]


def log_media(run, items, step):
    """Writes the files, then the records, of `items` ({key: value}) at `step`. Callers hold run's lock."""
    for key, value in items.items():
        try:
            recs = encode(run._run_dir, value)
        except MediaError as e:
            warn("runlog: log() skipped %r at step %d: %s" % (key, step, e))
            continue
        except OSError as e:
            warn("runlog: log() skipped %r at step %d: its file could not be written (%s)" % (key, step, e.strerror or e))
            continue
        ts = time.time()
        for rec in recs:
            full = {"type": "media", "ts": ts, "key": key, "step": step}
            full.update(rec)
            run._record(full)
