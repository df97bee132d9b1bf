"""runlog.Image: numpy arrays, torch tensors, PIL images, matplotlib figures and image files.

Signature as W&B documents `wandb.Image` (docs.wandb.ai/models/ref/python/data-types/image):
`Image(data_or_path, mode=None, caption=None, grouping=None, classes=None, boxes=None,
masks=None, file_type=None, normalize=True)`. Pixels are encoded to PNG at construction (the
value as it is now); a value that cannot be an image is reported by log() with its key and step.
"""

import io
import os

from ._files import MediaError, as_array, module_of, read_file, write_media
from ._overlays import boxes_record, classes_labels, prepare_masks
from ._png import encode_png, image_size, scanlines

MAX_PIXELS = 50 * 1000 * 1000
_FILE_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp", ".bmp": "bmp"}


def is_figure(value):
    """A matplotlib Figure, or the pyplot module itself (its current figure)."""
    if module_of(value) == "matplotlib":
        return hasattr(value, "savefig") and (hasattr(value, "canvas") or hasattr(value, "gcf"))
    return getattr(value, "__name__", None) == "matplotlib.pyplot"


def figure_png(fig):
    if getattr(fig, "__name__", None) == "matplotlib.pyplot":
        fig = fig.gcf()
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=getattr(fig, "dpi", 100))
    except Exception as e:
        raise MediaError("matplotlib figure could not be rendered to PNG (%s: %s)" % (type(e).__name__, e))
    return buf.getvalue()


def _check_size(width, height):
    if width * height > MAX_PIXELS:
        raise MediaError("image of %dx%d is %.1f megapixels; the limit is %d"
                         % (width, height, width * height / 1e6, MAX_PIXELS // 1000000))
    if width == 0 or height == 0:
        raise MediaError("image of %dx%d has no pixels" % (width, height))


def _pil_pixels(img, mode):
    if mode is not None and img.mode != mode:
        img = img.convert(mode)
    channels = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}.get(img.mode)
    if channels is None:
        has_alpha = "A" in img.mode or "transparency" in getattr(img, "info", {})
        img = img.convert("RGBA" if has_alpha else "RGB")
        channels = 4 if has_alpha else 3
    width, height = img.size
    _check_size(width, height)
    return width, height, channels, img.tobytes()


def _array_pixels(value, normalize):
    torch = module_of(value) == "torch"
    arr = as_array(value)
    if arr is None:
        raise MediaError("an image from %s needs numpy" % type(value).__name__)
    shape = tuple(arr.shape)
    if torch and len(shape) == 3:
        arr = arr.transpose(1, 2, 0)  # W&B documents tensors as (channel, height, width)
        shape = tuple(arr.shape)
    if len(shape) == 2:
        arr = arr.reshape(shape[0], shape[1], 1)
    elif not (len(shape) == 3 and shape[2] in (1, 3, 4)):
        layout = "CxHxW" if torch else "HxW or HxWxC"
        raise MediaError("an image array must be %s with C of 1, 3 or 4; got shape %s" % (layout, shape))
    height, width, channels = arr.shape
    _check_size(width, height)
    np = __import__("numpy")
    kind = arr.dtype.kind
    if kind == "b":
        arr = arr.astype(np.uint8) * 255
    elif kind in "ui":
        if arr.size and (arr.min() < 0 or arr.max() > 255):
            raise MediaError("integer pixel values must lie in 0..255; found %s..%s" % (arr.min(), arr.max()))
        arr = arr.astype(np.uint8)
    elif kind == "f":
        if not np.isfinite(arr).all():
            raise MediaError("image has NaN or infinite pixel values")
        lo, hi = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 0.0)
        if normalize and lo >= 0 and hi <= 1:
            arr = np.rint(arr * 255)
        elif lo < 0 or hi > 255:
            raise MediaError("float pixel values must lie in [0, 1] (or 0..255); found %g..%g" % (lo, hi))
        arr = arr.astype(np.uint8)
    else:
        raise MediaError("pixels of dtype %s are not numbers (use uint8, or float in [0, 1])" % arr.dtype)
    arr = np.ascontiguousarray(arr)
    rows = np.concatenate([np.zeros((height, 1), np.uint8), arr.reshape(height, width * channels)], axis=1)
    return width, height, channels, rows.tobytes(), True


def _mask_rows(arr):
    """PNG scanlines (filter byte 0) of a 2-D uint8 array."""
    np = __import__("numpy")
    height = arr.shape[0]
    return np.concatenate([np.zeros((height, 1), np.uint8), np.ascontiguousarray(arr)], axis=1).tobytes()


class Image(object):
    """An image logged under a key; see the module docstring."""

    _kind = "image"

    def __init__(self, data_or_path, mode=None, caption=None, grouping=None, classes=None, boxes=None,
                 masks=None, file_type=None, normalize=True):
        self.caption = None if caption is None else str(caption)
        self.grouping = grouping
        self._boxes = boxes
        self._masks = masks
        self._classes = classes
        self._error = None
        self._data = None
        self.width = self.height = None
        self.format = None
        try:
            self._data, self.format, self.width, self.height = self._encode(data_or_path, mode, normalize)
        except MediaError as e:
            self._error = str(e)

    @staticmethod
    def _encode(value, mode, normalize):
        if isinstance(value, Image):
            if value._error:
                raise MediaError(value._error)
            return value._data, value.format, value.width, value.height
        if isinstance(value, (str, bytes, os.PathLike)) and not isinstance(value, bytes):
            path = os.fspath(value)
            fmt = _FILE_TYPES.get(os.path.splitext(path)[1].lower())
            if fmt is None:
                raise MediaError("image file %r: the name must end in one of %s" % (path, ", ".join(sorted(_FILE_TYPES))))
            data = read_file(path, "image file")
            size = image_size(data)
            if size is not None:
                _check_size(*size)
            return data, fmt, size[0] if size else None, size[1] if size else None
        if is_figure(value):
            data = figure_png(value)
            w, h = image_size(data)
            _check_size(w, h)
            return data, "png", w, h
        if hasattr(value, "convert") and hasattr(value, "tobytes") and hasattr(value, "mode") and hasattr(value, "size"):
            width, height, channels, pixels = _pil_pixels(value, mode)
            return encode_png(width, height, channels, scanlines(width, height, channels, pixels)), "png", width, height
        if hasattr(value, "shape") or isinstance(value, (list, tuple)):
            width, height, channels, rows, _ = _array_pixels(value, normalize)
            return encode_png(width, height, channels, rows), "png", width, height
        raise MediaError("cannot make an image of %s (give a numpy array, a torch tensor, a PIL image, "
                         "a matplotlib figure or a file path)" % type(value).__name__)

    def _record(self, run_dir):
        if self._error:
            raise MediaError("Image: " + self._error)
        # Boxes and masks are checked and encoded first: a bad one writes no file at all.
        try:
            classes = classes_labels(self._classes)
            boxes = boxes_record(self._boxes, classes) if self._boxes else None
            masks = prepare_masks(self._masks, classes, _mask_rows) if self._masks else []
        except MediaError as e:
            raise MediaError("Image: %s" % e)
        rec = {"kind": "image", "format": self.format}
        rec.update(write_media(run_dir, self._data, "jpg" if self.format == "jpeg" else self.format))
        if self.width is not None:
            rec["width"], rec["height"] = self.width, self.height
        if self.caption is not None:
            rec["caption"] = self.caption
        if boxes:
            rec["boxes"] = boxes
        if masks:
            rec["masks"] = {name: dict(write_media(run_dir, data, "png"), **fields) for name, data, fields in masks}
        return rec

    def __repr__(self):
        return "<runlog.Image %sx%s%s>" % (self.width, self.height, " (error)" if self._error else "")
