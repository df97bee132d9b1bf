"""runlog.Histogram, as W&B documents `wandb.Histogram` (docs.wandb.ai/ref/python/data-types/histogram):
`Histogram(sequence=None, np_histogram=None, num_bins=64)`, at most 512 bins; `bins` are the edges
and `histogram` the counts. Stored inline in its media record (no file). NaN and infinities are
left out and counted; a histogram with no finite value is refused when logged.
"""

import math

from ._files import MediaError, as_array, module_of

MAX_LENGTH = 512


def _bin(values, num_bins):
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    width = (hi - lo) / num_bins
    counts = [0] * num_bins
    for v in values:
        i = int((v - lo) / width)
        counts[min(max(i, 0), num_bins - 1)] += 1
    return counts, [lo + width * i for i in range(num_bins)] + [hi]


class Histogram(object):
    _kind = "histogram"
    MAX_LENGTH = MAX_LENGTH

    def __init__(self, sequence=None, np_histogram=None, num_bins=64):
        self._error = None
        self.histogram = []
        self.bins = []
        self.nonfinite = 0
        try:
            self._compute(sequence, np_histogram, num_bins)
        except MediaError as e:
            self._error = str(e)

    def _compute(self, sequence, np_histogram, num_bins):
        if np_histogram is not None:
            counts, edges = np_histogram
            self.histogram = [int(c) if float(c).is_integer() else float(c) for c in list(counts)]
            self.bins = [float(e) for e in list(edges)]
            if len(self.histogram) > MAX_LENGTH:
                raise MediaError("Histogram: %d bins; at most %d" % (len(self.histogram), MAX_LENGTH))
            if len(self.bins) != len(self.histogram) + 1:
                raise MediaError("Histogram: np_histogram needs len(edges) == len(counts) + 1; got %d and %d"
                                 % (len(self.bins), len(self.histogram)))
            return
        if sequence is None:
            raise MediaError("Histogram: give a sequence or np_histogram=(counts, edges)")
        if not isinstance(num_bins, int) or isinstance(num_bins, bool) or not 1 <= num_bins <= MAX_LENGTH:
            raise MediaError("Histogram: num_bins must be an integer from 1 to %d; got %r" % (MAX_LENGTH, num_bins))
        if hasattr(sequence, "shape") or module_of(sequence) == "torch":
            arr = as_array(sequence)
            if arr is not None:
                np = __import__("numpy")
                if arr.dtype.kind not in "biuf":
                    raise MediaError("Histogram: values of dtype %s are not numbers" % arr.dtype)
                arr = arr.astype("float64").ravel()
                ok = np.isfinite(arr)
                self.nonfinite = int(arr.size - ok.sum())
                arr = arr[ok]
                if arr.size == 0:
                    raise MediaError(self._empty_message())
                counts, edges = np.histogram(arr, bins=num_bins)
                self.histogram, self.bins = [int(c) for c in counts], [float(e) for e in edges]
                return
            sequence = sequence.tolist() if hasattr(sequence, "tolist") else list(sequence)
        values = []
        for v in _flatten(sequence):
            try:
                f = float(v)
            except (TypeError, ValueError):
                raise MediaError("Histogram: %r is not a number" % (v,))
            if math.isfinite(f):
                values.append(f)
            else:
                self.nonfinite += 1
        if not values:
            raise MediaError(self._empty_message())
        self.histogram, self.bins = _bin(values, num_bins)

    def _empty_message(self):
        if self.nonfinite:
            return "Histogram: all %d values are NaN or infinite" % self.nonfinite
        return "Histogram: no values"

    def _record(self, run_dir):
        if self._error:
            raise MediaError(self._error)
        rec = {"kind": "histogram", "bins": self.bins, "counts": self.histogram}
        if self.nonfinite:
            rec["nonfinite"] = self.nonfinite
        return rec

    def __repr__(self):
        return "<runlog.Histogram %d bins>" % len(self.histogram)


def _flatten(seq):
    for v in seq:
        if isinstance(v, (list, tuple)):
            for x in _flatten(v):
                yield x
        else:
            yield v
