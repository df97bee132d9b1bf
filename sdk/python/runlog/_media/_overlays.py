"""Bounding boxes and segmentation masks over an Image, in the structure W&B documents.

`boxes={"predictions": {"box_data": [...], "class_labels": {0: "cat"}}}`: each box has a
`position` of `{"minX", "minY", "maxX", "maxY"}` or `{"middle": [x, y], "width", "height"}`,
fractions of the image unless `"domain": "pixel"`, a `class_id`, and optionally `box_caption`
and `scores` (docs.wandb.ai/ref/python/data-types/boundingboxes2d).
`masks={"ground_truth": {"mask_data": 2-D array of class ids, "class_labels": {...}}}`, or
`{"path": an image file}` in place of `mask_data` (docs.wandb.ai/ref/python/data-types/imagemask).
`classes=[{"id": 0, "name": "cat"}, ...]` names classes a set leaves unnamed.
Everything is checked and encoded before any file is written; a problem names the set and box.
"""

import numbers

from ._files import MediaError, as_array, read_file
from ._png import encode_png


def _num(value, what):
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", 0) == 0:
        value = item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value or value in (float("inf"), float("-inf")):
        raise MediaError("%s must be a finite number; got %r" % (what, value))
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _class_id(value, what):
    n = _num(value, what)
    if float(n) != int(n) or n < 0:
        raise MediaError("%s must be a non-negative integer; got %r" % (what, value))
    return int(n)


def _labels(value, what):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MediaError("%s must be a dict of class id to name; got %s" % (what, type(value).__name__))
    return {str(_class_id(k, "%s key" % what)): str(v) for k, v in value.items()}


def classes_labels(classes):
    """`classes=` (W&B's Classes or a list of {"id", "name"}) as {str(id): name}, or None."""
    if classes is None:
        return None
    items = getattr(classes, "_class_set", classes)
    out = {}
    for i, c in enumerate(items if isinstance(items, (list, tuple)) else [items]):
        if not isinstance(c, dict) or "id" not in c or "name" not in c:
            raise MediaError("classes[%d] must be a dict with 'id' and 'name'; got %r" % (i, c))
        out[str(_class_id(c["id"], "classes[%d] id" % i))] = str(c["name"])
    return out


def _position(pos, what):
    if not isinstance(pos, dict):
        raise MediaError("%s position must be a dict; got %s" % (what, type(pos).__name__))
    if all(k in pos for k in ("minX", "minY", "maxX", "maxY")):
        p = {k: _num(pos[k], "%s position %s" % (what, k)) for k in ("minX", "minY", "maxX", "maxY")}
        if p["maxX"] < p["minX"] or p["maxY"] < p["minY"]:
            raise MediaError("%s position has maxX < minX or maxY < minY: %r" % (what, p))
        return p
    if all(k in pos for k in ("middle", "width", "height")):
        middle = pos["middle"]
        if not isinstance(middle, (list, tuple)) or len(middle) != 2:
            middle = getattr(middle, "tolist", lambda: middle)()
        if not isinstance(middle, (list, tuple)) or len(middle) != 2:
            raise MediaError("%s position middle must be [x, y]; got %r" % (what, pos["middle"]))
        p = {"middle": [_num(middle[0], what + " middle x"), _num(middle[1], what + " middle y")],
             "width": _num(pos["width"], what + " width"), "height": _num(pos["height"], what + " height")}
        if p["width"] < 0 or p["height"] < 0:
            raise MediaError("%s has a negative width or height" % what)
        return p
    raise MediaError("%s position needs minX, minY, maxX, maxY or middle, width, height; got keys %s"
                     % (what, sorted(map(str, pos))))


def boxes_record(boxes, classes):
    """The `boxes` record field: {name: {"box_data": [...], "class_labels": {...}}}."""
    if not isinstance(boxes, dict):
        raise MediaError("boxes must be a dict of name to box set; got %s" % type(boxes).__name__)
    out = {}
    for name, group in boxes.items():
        name = str(name)
        group = getattr(group, "_val", group)  # W&B's BoundingBoxes2D keeps its dict as _val
        if not isinstance(group, dict) or not isinstance(group.get("box_data"), (list, tuple)):
            raise MediaError("boxes %r must be a dict with a box_data list" % name)
        data = []
        for i, box in enumerate(group["box_data"]):
            what = "boxes %r box %d" % (name, i)
            if not isinstance(box, dict):
                raise MediaError("%s must be a dict; got %s" % (what, type(box).__name__))
            b = {"position": _position(box.get("position"), what), "class_id": _class_id(box.get("class_id", 0), what + " class_id")}
            domain = box.get("domain")
            if domain not in (None, "pixel"):
                raise MediaError("%s domain must be None (fractions) or 'pixel'; got %r" % (what, domain))
            if domain is not None:
                b["domain"] = domain
            if box.get("box_caption") is not None:
                b["box_caption"] = str(box["box_caption"])
            if box.get("scores") is not None:
                if not isinstance(box["scores"], dict):
                    raise MediaError("%s scores must be a dict of name to number" % what)
                b["scores"] = {str(k): _num(v, "%s score %r" % (what, k)) for k, v in box["scores"].items()}
            data.append(b)
        rec = {"box_data": data}
        labels = _labels(group.get("class_labels"), "boxes %r class_labels" % name) or classes
        if labels:
            rec["class_labels"] = labels
        out[name] = rec
    return out


def prepare_masks(masks, classes, pixels):
    """[(name, png bytes, fields)] for the `masks` field; `pixels(arr)` encodes rows of a 2-D uint8 array."""
    if not isinstance(masks, dict):
        raise MediaError("masks must be a dict of name to mask; got %s" % type(masks).__name__)
    out = []
    for name, mask in masks.items():
        name = str(name)
        mask = getattr(mask, "_val", mask)
        mask = dict(mask) if isinstance(mask, dict) else {"mask_data": getattr(mask, "_mask_data", mask)}
        fields = {}
        if "mask_data" in mask:
            arr = as_array(mask["mask_data"])
            if arr is None or arr.ndim != 2:
                raise MediaError("mask %r: mask_data must be a 2-D array of class ids; got %s"
                                 % (name, "shape %s" % (arr.shape,) if arr is not None else type(mask["mask_data"]).__name__))
            if arr.dtype.kind == "b":
                arr = arr.astype("uint8")
            if arr.dtype.kind not in "ui" and not (arr.dtype.kind == "f" and arr.size and (arr == arr.round()).all()):
                raise MediaError("mask %r: mask_data must hold integer class ids; got dtype %s" % (name, arr.dtype))
            if arr.size and (arr.min() < 0 or arr.max() > 255):
                raise MediaError("mask %r: class ids must lie in 0..255; found %s..%s" % (name, arr.min(), arr.max()))
            height, width = arr.shape
            if width == 0 or height == 0:
                raise MediaError("mask %r has no pixels" % name)
            data = encode_png(width, height, 1, pixels(arr.astype("uint8")))
            fields["width"], fields["height"] = width, height
        elif "path" in mask:
            data = read_file(mask["path"], "mask %r" % name)
        else:
            raise MediaError("mask %r needs mask_data or path" % name)
        labels = _labels(mask.get("class_labels"), "mask %r class_labels" % name) or classes
        if labels:
            fields["class_labels"] = labels
        out.append((name, data, fields))
    return out
