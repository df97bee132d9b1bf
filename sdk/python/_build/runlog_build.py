"""PEP 517 build backend for the runlog SDK.

It hands every hook to setuptools when setuptools can build wheels. Older setuptools (before 70.1)
need the separate `wheel` package for that, which an offline machine may lack; then this module
builds the pure-Python wheel (and sdist) itself with the standard library, so
`pip install --no-build-isolation ./sdk/python` works offline either way.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "runlog"


def _setuptools_backend():
    try:
        from setuptools import build_meta
    except Exception:
        return None
    try:
        import setuptools.command.bdist_wheel  # noqa: F401  (setuptools >= 70.1)
        return build_meta
    except Exception:
        pass
    try:
        import wheel.bdist_wheel  # noqa: F401
        return build_meta
    except Exception:
        return None


_ST = _setuptools_backend()


def _version():
    with open(os.path.join(HERE, PACKAGE, "_version.py"), encoding="utf-8") as f:
        return re.search(r'__version__\s*=\s*"([^"]+)"', f.read()).group(1)


def _project_field(name):
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        m = re.search(r'^%s\s*=\s*"([^"]*)"' % re.escape(name), f.read(), re.M)
    return m.group(1) if m else ""


def _metadata():
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % PACKAGE,
        "Version: %s" % _version(),
        "Summary: %s" % _project_field("description"),
        "License: MIT",
        "Requires-Python: %s" % _project_field("requires-python"),
    ]
    readme = os.path.join(HERE, "README.md")
    body = ""
    if os.path.isfile(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _package_files():
    root = os.path.join(HERE, PACKAGE)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(dirpath, name)
            out.append((os.path.relpath(full, HERE).replace(os.sep, "/"), full))
    return out


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "sha256=" + digest


def _write_wheel(wheel_directory, entries):
    """entries: [(archive path, bytes)]; adds the dist-info files and RECORD."""
    version = _version()
    dist_info = "%s-%s.dist-info" % (PACKAGE, version)
    entries = list(entries) + [
        (dist_info + "/METADATA", _metadata().encode("utf-8")),
        (dist_info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: runlog_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (dist_info + "/top_level.txt", (PACKAGE + "\n").encode("ascii")),
    ]
    record = "".join("%s,%s,%d\n" % (p, _record_hash(d), len(d)) for p, d in entries)
    record += dist_info + "/RECORD,,\n"
    entries.append((dist_info + "/RECORD", record.encode("utf-8")))
    name = "%s-%s-py3-none-any.whl" % (PACKAGE, version)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return name


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if _ST is not None:
        return _ST.build_wheel(wheel_directory, config_settings, metadata_directory)
    return _write_wheel(wheel_directory, [(p, _read(full)) for p, full in _package_files()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    if _ST is not None and hasattr(_ST, "build_editable"):
        return _ST.build_editable(wheel_directory, config_settings, metadata_directory)
    pth = (HERE + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, [("__editable__.%s.pth" % PACKAGE, pth)])


def build_sdist(sdist_directory, config_settings=None):
    if _ST is not None:
        return _ST.build_sdist(sdist_directory, config_settings)
    base = "%s-%s" % (PACKAGE, _version())
    files = [(p, full) for p, full in _package_files()]
    for extra in ("pyproject.toml", "README.md", "_build/runlog_build.py"):
        full = os.path.join(HERE, *extra.split("/"))
        if os.path.isfile(full):
            files.append((extra, full))
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tf:
        pkg_info = _metadata().encode("utf-8")
        info = tarfile.TarInfo(base + "/PKG-INFO")
        info.size = len(pkg_info)
        info.mtime = int(time.time())
        tf.addfile(info, io.BytesIO(pkg_info))
        for path, full in files:
            tf.add(full, arcname=base + "/" + path, recursive=False)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return _ST.get_requires_for_build_wheel(config_settings) if _ST is not None else []


def get_requires_for_build_sdist(config_settings=None):
    return _ST.get_requires_for_build_sdist(config_settings) if _ST is not None else []


def get_requires_for_build_editable(config_settings=None):
    if _ST is not None and hasattr(_ST, "get_requires_for_build_editable"):
        return _ST.get_requires_for_build_editable(config_settings)
    return []
