"""The Run's files and artifacts: `save`, `log_artifact`, `use_artifact`."""

import glob
import os
import re
import shutil
import sys
import tempfile
import time

from . import _artifact
from ._store import find_run_dir
from ._values import warn

_time = time.time


class FilesMixin(object):
    """Part of `Run` (see _run.py): files kept with the run and artifacts."""

    def save(self, glob_str=None, base_path=None, policy="live"):
        """Keep a file, or the files a glob matches, with the run in `run.dir` (`<run>/files/`),
        as W&B's `save` (https://docs.wandb.ai/ref/python/save/): relative paths keep their path
        below the working folder (or below `base_path`); absolute ones keep one folder level.
        policy "now" copies once now; "live" (the default) copies now and again when the run ends
        (so a file written later, or a glob matching more files later, is kept); "end" copies when
        the run ends. Returns the run paths (`files/...`) copied now."""
        if policy not in ("live", "now", "end"):
            raise ValueError("runlog: save(policy=%r) must be 'live', 'now' or 'end'" % (policy,))
        if glob_str is None:
            warn("runlog: save() without a path saves nothing")
            return []
        if not self._check_open("save"):
            return []
        path = os.fsdecode(os.fspath(glob_str))
        if base_path is None:
            base = os.path.dirname(os.path.dirname(os.path.abspath(path))) if os.path.isabs(path) else os.getcwd()
        else:
            base = os.path.abspath(os.fsdecode(os.fspath(base_path)))
        pattern = any(c in path for c in "*?[")
        if pattern:
            matches = [p for p in sorted(glob.glob(path, recursive=True)) if os.path.isfile(p)]
            if not matches and policy == "now":
                raise FileNotFoundError("runlog: save(): no file matches %r" % (path,))
            for p in matches:
                self._save_target(p, base)  # refuses an escaping name now, not at the end
        else:
            matches = [path]
            if os.path.isdir(path):
                raise IsADirectoryError("runlog: save() takes files; %r is a folder (use log_artifact for folders)" % (path,))
            if not os.path.isfile(path):
                if policy == "now":
                    raise FileNotFoundError("runlog: save(): no such file: %r" % (path,))
                self._save_target(path, base)
                matches = []
        if policy != "now":
            self._saved[(os.path.abspath(path), pattern)] = base
        if policy == "end":
            return []
        return [self._copy_saved(p, base) for p in matches]

    def _save_target(self, path, base):
        rel = os.path.normpath(os.path.relpath(os.path.abspath(path), base))
        parts = rel.replace("\\", "/").split("/")
        if os.path.isabs(rel) or rel in (".", "") or ".." in parts:
            raise ValueError("runlog: save() refuses %r: its name %r would escape the run's files folder"
                             % (path, rel))
        files_dir = os.path.abspath(os.path.join(self._run_dir, "files"))
        dest = os.path.join(files_dir, rel)
        if os.path.commonpath([files_dir, os.path.abspath(dest)]) != files_dir:
            raise ValueError("runlog: save() refuses %r: it would land outside %s" % (path, files_dir))
        return dest, "files/" + "/".join(parts)

    def _copy_saved(self, path, base, only_if_changed=False):
        dest, run_path = self._save_target(path, base)
        st = os.stat(path)
        key = os.path.abspath(path)
        if only_if_changed and self._source_stats.get(key) == (st.st_size, st.st_mtime_ns) and os.path.exists(dest):
            return run_path
        self._source_stats[key] = (st.st_size, st.st_mtime_ns)
        if os.path.abspath(path) != os.path.abspath(dest):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(path, dest)
        self._record_file(run_path, dest, force=True)
        return run_path

    def _record_file(self, run_path, dest, force=False):
        try:
            st = os.stat(dest)
        except OSError:
            return
        seen = self._file_stats.get(run_path)
        if force or seen != (st.st_size, st.st_mtime_ns):
            self._file_stats[run_path] = (st.st_size, st.st_mtime_ns)
            self._record({"type": "file", "ts": _time(), "path": run_path, "size": st.st_size})

    def _keep_files_at_end(self):
        """At finish: copy `live`/`end` saves again, then record every file in `run.dir`."""
        for (path, pattern), base in list(self._saved.items()):
            sources = glob.glob(path, recursive=True) if pattern else [path]
            for p in sorted(sources):
                if os.path.isfile(p):
                    try:
                        self._copy_saved(p, base, only_if_changed=True)
                    except (OSError, ValueError) as e:
                        warn("runlog: save(%r) could not keep %r at the end: %s" % (path, p, e))
        files_dir = os.path.join(self._run_dir, "files")
        for folder, dirs, names in os.walk(files_dir):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(folder, name)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                rel = os.path.relpath(full, self._run_dir).replace(os.sep, "/")
                self._record_file(rel, full)

    def restore(self, name, run_path=None, replace=False, root=None):
        """Copy file `name` kept with a run (this one, or `run_path` = "[entity/]project/id") into
        `root` (default `run.dir`) and return it opened for reading, as W&B's `restore`."""
        return restore_file(self.store, self.project, name, run_path, replace,
                            root if root is not None else self.dir, self._run_dir)

    def log_code(self, root=".", name=None, include_fn=None, exclude_fn=None):
        """Store the source files under `root` (`.py` files by default) as a `code` artifact,
        as W&B's `log_code`; returns the artifact version, or None when no file matched."""
        if not self._check_open("log_code"):
            return None
        root = os.path.abspath(os.fsdecode(os.fspath(root)))
        include = include_fn or (lambda path, root=None: path.endswith(".py"))
        exclude = exclude_fn or _default_code_exclude
        store = os.path.abspath(self.store)
        staging = tempfile.mkdtemp(prefix="runlog-code-")
        try:
            count = 0
            for folder, dirs, names in os.walk(root):
                dirs[:] = sorted(d for d in dirs if os.path.abspath(os.path.join(folder, d)) != store
                                 and not _call(exclude, os.path.join(folder, d), root))
                for fname in sorted(names):
                    full = os.path.join(folder, fname)
                    if _call(exclude, full, root) or not _call(include, full, root):
                        continue
                    dest = os.path.join(staging, os.path.relpath(full, root))
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    shutil.copyfile(full, dest)
                    count += 1
            if not count:
                warn("runlog: log_code(%r) found no files to keep" % (root,))
                return None
            artifact = name or _artifact_safe("source-%s-%s" % (self.project, self.id))
            return self.log_artifact(staging, name=artifact, type="code")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _save_program(self):
        """init(save_code=True): keep the main script under `files/code/`, as W&B does."""
        program = getattr(sys.modules.get("__main__"), "__file__", None)
        if not program or not os.path.isfile(program):
            return
        rel = os.path.basename(program)
        dest = os.path.join(self._run_dir, "files", "code", rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(program, dest)
        self._record_file("files/code/" + rel, dest, force=True)

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


def _call(fn, path, root):
    try:
        return fn(path, root)
    except TypeError:
        return fn(path)


def _default_code_exclude(path, root=None):
    parts = os.path.relpath(path, root or ".").replace(os.sep, "/").split("/")
    return any(p in ("wandb", ".runlog", "node_modules", "__pycache__", "venv", ".venv", "env", ".git")
               or (p.startswith(".") and p not in (".", "..")) for p in parts)


def _artifact_safe(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")[:128] or "source"


def restore_file(store, project, name, run_path, replace, root, current_run_dir=None):
    """`restore()`: the file `name` kept with a run, copied into `root` and opened for reading."""
    name = os.fsdecode(os.fspath(name))
    if run_path:
        parts = [p for p in str(run_path).replace(":", "/").split("/") if p and p != "runs"]
        run_id = parts[-1]
        src_project = parts[-2] if len(parts) >= 2 else project
        _, run_dir = find_run_dir(store, src_project or project or "_", run_id)
        if run_dir is None:
            raise ValueError("runlog: restore(): no run %r in the store %s" % (run_path, store))
    elif current_run_dir is not None:
        run_dir = current_run_dir
    else:
        raise ValueError("runlog: restore(%r) needs run_path= when no run is active" % (name,))
    files_dir = os.path.abspath(os.path.join(run_dir, "files"))
    src = os.path.abspath(os.path.join(files_dir, name))
    if os.path.commonpath([files_dir, src]) != files_dir or not os.path.isfile(src):
        raise ValueError("runlog: restore(): file %r not found in run %s" % (name, os.path.basename(run_dir)))
    dest = os.path.join(os.path.abspath(root), name)
    if replace or not os.path.exists(dest):
        if os.path.abspath(dest) != src:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(src, dest)
    return open(dest, "r")
