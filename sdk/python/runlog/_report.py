"""The terminal report: header lines at init, history sparklines and summary at finish."""

import math
import sys

TICKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 20
MAX_LINES = 40
PREFIX = "runlog: "


def sparkline(values, width=SPARK_WIDTH):
    """A run of block characters for `values` (non-finite values skipped), at most `width` long."""
    vals = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not vals:
        return ""
    if len(vals) > width:
        buckets = []
        n = len(vals)
        for b in range(width):
            chunk = vals[b * n // width:(b + 1) * n // width]
            buckets.append(sum(chunk) / len(chunk))
        vals = buckets
    lo, hi = min(vals), max(vals)
    if hi - lo <= 0 or not math.isfinite(hi - lo):
        return TICKS[0] * len(vals)
    scale = (len(TICKS) - 1) / (hi - lo)
    return "".join(TICKS[int(round((v - lo) * scale))] for v in vals)


def format_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return "%.5g" % value
    if isinstance(value, (int, str)):
        return str(value)
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _block(title, rows):
    lines = ["", title]
    if not rows:
        return lines
    shown = rows[:MAX_LINES]
    width = max(len(k) for k, _ in shown)
    for key, text in shown:
        lines.append("%s %s" % (key.rjust(width), text))
    if len(rows) > len(shown):
        lines.append("... and %d more" % (len(rows) - len(shown)))
    return lines


def finish_lines(series, summary):
    """`series`: [(key, values)] in first-logged order; `summary`: [(key, value)]."""
    lines = []
    rows = [(k, sparkline(v)) for k, v in series]
    rows = [r for r in rows if r[1]]
    if rows:
        lines += _block("Run history:", rows)
    if summary:
        lines += _block("Run summary:", [(k, format_value(v)) for k, v in summary])
    return lines


def emit(lines):
    stream = sys.__stderr__
    if stream is None:
        return
    text = "".join(PREFIX + line + "\n" for line in lines)
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
        stream.flush()
    except Exception:
        pass
