"""runlog.Table: rows of numbers, strings, bools, None and Images, stored as one JSON file.

Signature as W&B documents `wandb.Table` (docs.wandb.ai/ref/python/data-types/table):
`Table(columns=None, data=None, rows=None, dataframe=None, dtype=None, optional=True,
allow_mixed_types=False, log_mode="IMMUTABLE")`, with `add_data(*row)`, `add_column(name, data)`,
`get_column(name, convert_to=None)`; columns default to ["Input", "Output", "Expected"].
"""

import json

from ._files import MediaError, as_array, plain, write_media
from ._image import Image

DEFAULT_COLUMNS = ["Input", "Output", "Expected"]


def _is_dataframe(value):
    return hasattr(value, "columns") and hasattr(value, "itertuples")


class Table(object):
    _kind = "table"

    def __init__(self, columns=None, data=None, rows=None, dataframe=None, dtype=None, optional=True,
                 allow_mixed_types=False, log_mode=None):
        if data is None and rows is not None:
            data = rows
        if dataframe is None and _is_dataframe(data):
            dataframe, data = data, None
        if dataframe is not None:
            columns = [str(c) for c in dataframe.columns]
            data = [list(r) for r in dataframe.itertuples(index=False, name=None)]
        elif data is not None and not isinstance(data, list):
            arr = as_array(data) if hasattr(data, "shape") else None
            data = arr.tolist() if arr is not None else [list(r) for r in data]
        self.columns = [str(c) for c in (columns if columns is not None else DEFAULT_COLUMNS)]
        self.data = [list(r) if isinstance(r, (list, tuple)) else r for r in (data or [])]
        self.log_mode = log_mode or "IMMUTABLE"

    def add_data(self, *row):
        if len(row) != len(self.columns):
            raise ValueError("runlog: Table.add_data() got %d values for %d columns %s"
                             % (len(row), len(self.columns), self.columns))
        self.data.append(list(row))

    add_row = add_data

    def add_column(self, name, data, optional=False):
        name = str(name)
        if name in self.columns:
            raise ValueError("runlog: Table.add_column(): column %r already exists" % (name,))
        values = list(data)
        if self.data and len(values) != len(self.data):
            raise ValueError("runlog: Table.add_column(%r) got %d values for %d rows" % (name, len(values), len(self.data)))
        if not self.data:
            self.data = [[] for _ in values]
        self.columns.append(name)
        for row, v in zip(self.data, values):
            row.append(v)

    def get_column(self, name, convert_to=None):
        if name not in self.columns:
            raise ValueError("runlog: Table has no column %r (columns: %s)" % (name, self.columns))
        i = self.columns.index(name)
        values = [row[i] for row in self.data]
        if convert_to == "numpy":
            import numpy
            return numpy.array(values)
        return values

    def get_index(self):
        return list(range(len(self.data)))

    def get_dataframe(self):
        import pandas
        return pandas.DataFrame(self.data, columns=self.columns)

    def _check(self):
        n = len(self.columns)
        if len(set(self.columns)) != n:
            raise MediaError("Table: column names repeat: %s" % (self.columns,))
        for i, row in enumerate(self.data):
            if not isinstance(row, list) or len(row) != n:
                got = len(row) if isinstance(row, list) else type(row).__name__
                raise MediaError("Table: row %d has %s values, the table has %d columns %s" % (i, got, n, self.columns))

    def _payload(self, run_dir):
        self._check()
        images = {}

        def cell(v):
            if isinstance(v, Image):
                key = id(v)
                if key not in images:
                    rec = v._record(run_dir)
                    images[key] = {"_type": "image-file", **{k: rec[k] for k in ("path", "sha256", "size", "width", "height", "caption") if k in rec}}
                return images[key]
            return plain(v)

        body = {"columns": self.columns, "data": [[cell(v) for v in row] for row in self.data]}
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")

    def _record(self, run_dir):
        rec = {"kind": "table"}
        rec.update(write_media(run_dir, self._payload(run_dir), "table.json"))
        rec["columns"] = list(self.columns)
        rec["rows"] = len(self.data)
        return rec

    def __repr__(self):
        return "<runlog.Table %d columns, %d rows>" % (len(self.columns), len(self.data))
