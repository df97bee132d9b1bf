"""The Run's files and artifacts: `save`, `log_artifact`, `use_artifact`."""

import os
import shutil
import time

from . import _artifacts

_time = time.time


class FilesMixin(object):
    """Part of `Run` (see _run.py): files kept with the run and artifacts."""

    def save(self, glob_str, base_path=None, policy="now"):
        """Copy a file (or the files a glob pattern matches) into `<run>/files/`; returns their run paths."""
        if not self._check_open("save"):
            return []
        path = os.fspath(glob_str)
        if any(c in path for c in "*?["):
            import glob
            matches = [p for p in sorted(glob.glob(path, recursive=True)) if os.path.isfile(p)]
            if not matches:
                raise FileNotFoundError("runlog: save(): no file matches %r" % (path,))
            return [self._save_one(p, base_path) for p in matches]
        return [self._save_one(path, base_path)]

    def _save_one(self, path, base_path):
        if os.path.isdir(path):
            raise IsADirectoryError("runlog: save() takes files; %r is a folder (use log_artifact for folders)" % (path,))
        if not os.path.isfile(path):
            raise FileNotFoundError("runlog: save(): no such file: %r" % (path,))
        if base_path is not None:
            rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_path))
        elif os.path.isabs(path):
            cwd = os.getcwd()
            absolute = os.path.abspath(path)
            inside = os.path.commonpath([cwd, absolute]) == cwd if os.path.splitdrive(cwd)[0] == os.path.splitdrive(absolute)[0] else False
            rel = os.path.relpath(absolute, cwd) if inside else os.path.basename(absolute)
        else:
            rel = path
        rel = os.path.normpath(rel)
        parts = rel.replace("\\", "/").split("/")
        if os.path.isabs(rel) or rel in (".", "") or ".." in parts:
            raise ValueError("runlog: save() refuses %r: its name %r would escape the run's files folder"
                             % (path, rel))
        files_dir = os.path.join(self.dir, "files")
        dest = os.path.join(files_dir, rel)
        if os.path.commonpath([os.path.abspath(files_dir), os.path.abspath(dest)]) != os.path.abspath(files_dir):
            raise ValueError("runlog: save() refuses %r: it would land outside %s" % (path, files_dir))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(path, dest)
        run_path = "files/" + "/".join(parts)
        self._record({"type": "file", "ts": _time(), "path": run_path, "size": os.path.getsize(dest)})
        return run_path

    def log_artifact(self, artifact_or_path, name=None, type="dataset", aliases=None):
        """Store a file or folder as a new version of artifact `name` (or reuse identical content)."""
        if not self._check_open("log_artifact"):
            return None
        path = os.fspath(artifact_or_path)
        manifest, vdir = _artifacts.log_artifact(self.store, self.project, self.id, path, name, type)
        self._artifact_record("output", manifest, vdir)
        return ArtifactVersion(manifest, vdir)

    def use_artifact(self, artifact_or_name, type=None):
        """Record `name`, `name:latest` or `name:vN` as an input; returns its files folder."""
        if not self._check_open("use_artifact"):
            return None
        manifest, vdir = _artifacts.resolve(self.store, self.project, artifact_or_name)
        if type is not None and manifest.get("type") != type:
            raise ValueError("runlog: artifact %r has type %r, not %r"
                             % (artifact_or_name, manifest.get("type"), type))
        self._artifact_record("input", manifest, vdir)
        return os.path.join(vdir, "files")

    def _artifact_record(self, direction, manifest, vdir):
        self._record({
            "type": "artifact", "ts": _time(), "direction": direction, "name": manifest.get("name"),
            "artifact_type": manifest.get("type"), "version": manifest.get("version"),
            "digest": manifest.get("digest"), "size": manifest.get("size"),
            "path": os.path.relpath(vdir, self.store).replace(os.sep, "/"),
        })
        self._flush_events()



class ArtifactVersion(object):
    """What `log_artifact` returns: the stored version."""

    def __init__(self, manifest, vdir):
        self.name = manifest.get("name")
        self.type = manifest.get("type")
        self.version = manifest.get("version")
        self.digest = manifest.get("digest")
        self.size = manifest.get("size")
        self.dir = vdir
        self.files_dir = os.path.join(vdir, "files")
        self.manifest = manifest

    def __repr__(self):
        return "<runlog.ArtifactVersion %s:%s %s>" % (self.name, self.version, self.digest)

