"""The Run's files and artifacts: `save`, `log_artifact`, `use_artifact`."""

import os
import shutil
import time

from . import _artifact

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

    def log_artifact(self, artifact_or_path, name=None, type=None, aliases=None, tags=None):
        """Store an `Artifact`, file or folder as a new version (identical content reuses the latest)."""
        if not self._check_open("log_artifact"):
            return None
        artifact = _artifact.log_with_run(self, artifact_or_path, name=name, type=type, aliases=aliases)
        self._artifact_record("output", artifact.manifest, artifact.dir, artifact.aliases)
        return artifact

    def use_artifact(self, artifact_or_name, type=None, aliases=None, use_as=None):
        """Record `[project/]name[:alias|:vN]` (or an Artifact) as an input; returns the stored Artifact."""
        if not self._check_open("use_artifact"):
            return None
        artifact = _artifact.use_with_run(self, artifact_or_name, type=type)
        self._artifact_record("input", artifact.manifest, artifact.dir)
        return artifact

    def log_model(self, path, name=None, aliases=None):
        """W&B's `log_model`: `log_artifact(path, name, type="model", aliases)`."""
        return self.log_artifact(path, name=name, type="model", aliases=aliases)

    def use_model(self, name):
        """W&B's `use_model`: the local path of a model artifact's files."""
        artifact = self.use_artifact(name)
        return None if artifact is None else artifact.files_dir

    def _artifact_record(self, direction, manifest, vdir, aliases=None):
        rec = {
            "type": "artifact", "ts": _time(), "direction": direction, "name": manifest.get("name"),
            "artifact_type": manifest.get("type"), "version": manifest.get("version"),
            "digest": manifest.get("digest"), "size": manifest.get("size"),
            "path": os.path.relpath(vdir, self.store).replace(os.sep, "/"),
        }
        aliases = [a for a in aliases or () if a != "latest"]
        if aliases:
            rec["aliases"] = aliases
        self._record(rec)
        self._flush_events()


ArtifactVersion = _artifact.Artifact  # what log_artifact returned before Artifact objects
