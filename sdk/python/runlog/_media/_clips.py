"""runlog.Audio, runlog.Video and runlog.Html: stored as files under the run's media/.

As W&B documents them: `Audio(data_or_path, sample_rate=None, caption=None)`,
`Video(data_or_path, caption=None, fps=None, format=None)`, `Html(data, inject=True)`
(docs.wandb.ai/ref/python/data-types/). Audio arrays (samples, or samples x channels, floats in
[-1, 1]) are written as 16-bit WAV with the standard library; a video must be a file here (no
encoder is bundled); Html is stored as given and never rendered inside the editor.
"""

import io
import os
import wave

from ._files import MediaError, as_array, read_file, write_media

_AUDIO = (".wav", ".mp3", ".ogg", ".flac", ".m4a")
_VIDEO = (".mp4", ".webm", ".gif", ".ogg", ".mov", ".avi")


def _from_path(value, allowed, what):
    path = os.fspath(value)
    ext = os.path.splitext(path)[1].lower()
    if ext not in allowed:
        raise MediaError("%s file %r: the name must end in one of %s" % (what, path, ", ".join(allowed)))
    return read_file(path, what + " file"), ext[1:]


class _FileMedia(object):
    _kind = None

    def _init(self, caption, make):
        self.caption = None if caption is None else str(caption)
        self._error = None
        self._data = self._ext = None
        try:
            self._data, self._ext = make()
        except MediaError as e:
            self._error = str(e)

    def _record(self, run_dir):
        if self._error:
            raise MediaError("%s: %s" % (type(self).__name__, self._error))
        rec = {"kind": self._kind, "format": self._ext}
        rec.update(write_media(run_dir, self._data, self._ext))
        if self.caption is not None:
            rec["caption"] = self.caption
        rec.update(self._fields())
        return rec

    def _fields(self):
        return {}


class Audio(_FileMedia):
    _kind = "audio"

    def __init__(self, data_or_path, sample_rate=None, caption=None):
        self.sample_rate = sample_rate
        self._seconds = None
        self._init(caption, lambda: self._make(data_or_path))

    def _make(self, value):
        if isinstance(value, (str, os.PathLike)):
            return _from_path(value, _AUDIO, "audio")
        if not self.sample_rate:
            raise MediaError("audio from an array needs sample_rate=")
        arr = as_array(value)
        if arr is None or arr.ndim not in (1, 2) or arr.dtype.kind not in "iuf":
            raise MediaError("audio must be a 1-D (samples) or 2-D (samples x channels) array of numbers")
        np = __import__("numpy")
        if arr.dtype.kind == "f":
            if not np.isfinite(arr).all():
                raise MediaError("audio has NaN or infinite samples")
            arr = np.clip(arr, -1, 1) * 32767
        frames = arr.reshape(arr.shape[0], -1).astype("<i2")
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(frames.shape[1])
            w.setsampwidth(2)
            w.setframerate(int(self.sample_rate))
            w.writeframes(frames.tobytes())
        self._seconds = frames.shape[0] / float(self.sample_rate)
        return buf.getvalue(), "wav"

    def _fields(self):
        out = {}
        if self.sample_rate:
            out["sample_rate"] = int(self.sample_rate)
        if self._seconds is not None:
            out["duration"] = self._seconds
        return out


class Video(_FileMedia):
    _kind = "video"

    def __init__(self, data_or_path, caption=None, fps=None, format=None):
        self.fps = fps
        self._init(caption, lambda: self._make(data_or_path))

    def _make(self, value):
        if isinstance(value, (str, os.PathLike)):
            return _from_path(value, _VIDEO, "video")
        raise MediaError("Video takes a file path here (%s given): write the frames to .mp4/.gif first"
                         % type(value).__name__)


class Html(_FileMedia):
    _kind = "html"

    def __init__(self, data, inject=True, data_is_not_path=False):
        self._init(None, lambda: self._make(data, data_is_not_path))

    @staticmethod
    def _make(data, data_is_not_path):
        if hasattr(data, "read"):
            data = data.read()
        if isinstance(data, os.PathLike) or (isinstance(data, str) and not data_is_not_path
                                             and data.lower().endswith((".html", ".htm")) and os.path.isfile(data)):
            return read_file(data, "html"), "html"
        if isinstance(data, bytes):
            return data, "html"
        if isinstance(data, str):
            return data.encode("utf-8", "surrogatepass"), "html"
        raise MediaError("Html takes a string, bytes, a file object or a path to an .html file")
