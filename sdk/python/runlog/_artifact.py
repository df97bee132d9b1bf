"""`Artifact`: a versioned set of files a run produces or consumes (W&B's `wandb.Artifact`).

A new artifact collects files (`add_file`, `add_dir`, `new_file`, `add_reference`) and is stored
by `run.log_artifact(artifact, aliases=[...])`; `run.use_artifact("project/name:alias")` returns
a stored one to read (`download`, `file`, `files`, `get_path`, `metadata`, `version`, `aliases`).
Storage and the on-disk layout are in `_artifacts.py`.
"""

import os
import shutil
import tempfile
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from . import _artifacts
from ._values import warn


class ArtifactEntry(object):
    """One file of a stored artifact (W&B's manifest entry / `File`)."""

    def __init__(self, artifact, entry):
        self._artifact = artifact
        self.path = self.name = entry["path"]
        self.digest = entry.get("digest")
        self.size = entry.get("size")
        self.ref = entry.get("ref")
        self.local_path = os.path.join(artifact._vdir, "files", *self.path.split("/")) if "digest" in entry else None

    def download(self, root=None, replace=True):
        """Copies the file under `root` (default: the artifact's download folder); returns its path."""
        if self.local_path is None:
            raise FileNotFoundError("runlog: %r is a reference to %s, which Runlog records but does not "
                                    "fetch" % (self.path, self.ref))
        root = root if root is not None else self._artifact._default_root()
        dest = os.path.join(os.fspath(root), *self.path.split("/"))
        if replace or not os.path.exists(dest):
            os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
            shutil.copyfile(self.local_path, dest)
        return dest

    def ref_target(self):
        return self.ref if self.ref is not None else self.local_path

    def __repr__(self):
        return "<ArtifactEntry %s %s>" % (self.path, self.digest or self.ref)


class Artifact(object):
    """A new artifact to fill and log, or (from `use_artifact`/`log_artifact`) a stored version."""

    def __init__(self, name, type, description=None, metadata=None, incremental=False, use_as=None, **kwargs):
        from ._store import validate_artifact_name
        validate_artifact_name(name)
        if not isinstance(type, str) or not type:
            raise ValueError("runlog: Artifact type must be a non-empty string, got %r" % (type,))
        if metadata is not None and not isinstance(metadata, dict):
            raise ValueError("runlog: Artifact metadata must be a dict, got %r" % (metadata,))
        self._name = name
        self.type = type
        self.description = description
        self.metadata = dict(metadata or {})
        self._sources = {}      # path in artifact -> (local file, file:// ref or None)
        self._references = {}   # path in artifact -> uri (not fetched)
        self._tmp = None
        self._manifest = None
        self._vdir = None
        self._project = None
        self._store = None
        self.aliases = []
        self._saved_aliases = []

    # -- building -------------------------------------------------------------------------

    def _check_draft(self, what):
        if self._manifest is not None:
            raise ValueError("runlog: Artifact.%s: %s:%s is already stored and cannot change; make a new "
                             "Artifact for a new version" % (what, self._name, self.version))

    def _put(self, rel, local, ref=None, overwrite=False):
        rel = rel.replace(os.sep, "/").strip("/")
        parts = rel.split("/")
        if not rel or any(p in ("", ".", "..") for p in parts):
            raise ValueError("runlog: invalid path inside an artifact: %r" % (rel,))
        if rel in self._sources and not overwrite and self._sources[rel][0] != local:
            raise ValueError("runlog: the artifact already has a file at %r (pass overwrite=True to replace it)" % rel)
        self._sources[rel] = (local, ref)

    def add_file(self, local_path, name=None, is_tmp=False, skip_cache=None, policy=None, overwrite=False):
        """Adds one file, at `name` inside the artifact (default: its file name)."""
        self._check_draft("add_file")
        local_path = os.path.abspath(os.fspath(local_path))
        if not os.path.isfile(local_path):
            raise FileNotFoundError("runlog: Artifact.add_file: no such file: %r" % (local_path,))
        self._put(name if name is not None else os.path.basename(local_path), local_path, overwrite=overwrite)
        return ArtifactEntry(self, {"path": (name or os.path.basename(local_path)).replace(os.sep, "/")})

    def add_dir(self, local_path, name=None, skip_cache=None, policy=None, merge=False):
        """Adds every file under a folder, under `name/` inside the artifact (default: at its root)."""
        self._check_draft("add_dir")
        local_path = os.path.abspath(os.fspath(local_path))
        if not os.path.isdir(local_path):
            raise NotADirectoryError("runlog: Artifact.add_dir: no such folder: %r" % (local_path,))
        prefix = (name.replace(os.sep, "/").strip("/") + "/") if name else ""
        for rel, full in _artifacts.source_files(local_path, prefix):
            self._put(rel, full, overwrite=True)

    def new_file(self, name, mode="x", encoding=None):
        """Opens a new file inside the artifact for writing (use it as a context manager)."""
        self._check_draft("new_file")
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="runlog-artifact-")
        dest = os.path.join(self._tmp, *name.replace(os.sep, "/").split("/"))
        if name.replace(os.sep, "/").strip("/") in self._sources:
            raise ValueError("runlog: the artifact already has a file at %r" % (name,))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if "b" not in mode and encoding is None:
            encoding = "utf-8"
        handle = open(dest, mode if "x" in mode or "w" in mode else "x", encoding=encoding)
        self._put(name, dest)
        return handle

    def add_reference(self, uri, name=None, checksum=True, max_objects=None):
        """A file:// reference is resolved: its file(s) are stored. Any other URI is recorded only."""
        self._check_draft("add_reference")
        uri = os.fspath(uri)
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            local = url2pathname(unquote(parsed.path))
            if os.path.isdir(local):
                prefix = (name.strip("/") + "/") if name else ""
                for rel, full in _artifacts.source_files(local, prefix):
                    self._put(rel, full, ref="file://" + full.replace(os.sep, "/"), overwrite=True)
            elif os.path.isfile(local):
                self._put(name or os.path.basename(local), local, ref=uri, overwrite=True)
            else:
                raise FileNotFoundError("runlog: Artifact.add_reference: %s does not exist" % (uri,))
        else:
            rel = name or (parsed.path.rstrip("/").rsplit("/", 1)[-1] or parsed.netloc or "reference")
            self._references[rel.strip("/")] = uri
        return None

    def add(self, obj, name):
        """Adds a media object (anything with `to_json`) as `<name>.<type>.json`."""
        self._check_draft("add")
        to_json = getattr(obj, "to_json", None)
        if not callable(to_json):
            raise TypeError("runlog: Artifact.add takes a media object (Table, Image, ...), got %r" % (type(obj).__name__,))
        import json
        kind = getattr(obj, "_log_type", type(obj).__name__.lower())
        with self.new_file("%s.%s.json" % (name, kind), mode="w") as f:
            json.dump(to_json(self) if _takes_arg(to_json) else to_json(), f, default=str)

    def remove(self, item):
        self._check_draft("remove")
        path = item.path if isinstance(item, ArtifactEntry) else str(item)
        if self._sources.pop(path, None) is None and self._references.pop(path, None) is None:
            raise FileNotFoundError("runlog: the artifact has no file %r" % (path,))

    # -- stored state ---------------------------------------------------------------------

    @classmethod
    def _from_stored(cls, manifest, vdir, project, store):
        a = cls.__new__(cls)
        a._name = manifest.get("name")
        a.type = manifest.get("type")
        a.description = manifest.get("description")
        a.metadata = dict(manifest.get("metadata") or {})
        a._sources, a._references, a._tmp = {}, {}, None
        a._attach(manifest, vdir, project, store)
        return a

    def _attach(self, manifest, vdir, project, store):
        self._manifest = manifest
        self._vdir = vdir
        self._project = project
        self._store = store
        base = os.path.dirname(vdir)
        number = int(manifest["version"][1:])
        self.aliases = _artifacts.aliases_of(base, number)
        self._saved_aliases = list(self.aliases)

    @property
    def name(self):
        """`name` of a new artifact; `name:vN` once stored (as W&B shows a logged artifact)."""
        return self._name if self._manifest is None else "%s:%s" % (self._name, self.version)

    @property
    def source_name(self):
        return self.name

    @property
    def version(self):
        return None if self._manifest is None else self._manifest.get("version")

    @property
    def digest(self):
        return None if self._manifest is None else self._manifest.get("digest")

    @property
    def size(self):
        if self._manifest is not None:
            return self._manifest.get("size")
        return sum(os.path.getsize(p) for p, _ in self._sources.values() if os.path.exists(p))

    @property
    def id(self):
        return None if self._manifest is None else "%s/%s:%s" % (self._project, self._name, self.version)

    @property
    def qualified_name(self):
        return self.id

    @property
    def project(self):
        return self._project

    @property
    def state(self):
        return "PENDING" if self._manifest is None else "COMMITTED"

    @property
    def created_at(self):
        return None if self._manifest is None else self._manifest.get("created")

    @property
    def file_count(self):
        return len(self._manifest.get("files", [])) if self._manifest is not None else len(self._sources)

    @property
    def manifest(self):
        return self._manifest

    @property
    def dir(self):
        """The stored version's folder (None before it is logged)."""
        return self._vdir

    @property
    def files_dir(self):
        return None if self._vdir is None else os.path.join(self._vdir, "files")

    def logged_by(self):
        """The id of the run that logged this version."""
        return None if self._manifest is None else self._manifest.get("run")

    def is_draft(self):
        return self._manifest is None

    def wait(self, timeout=None):
        return self

    def __fspath__(self):
        if self._vdir is None:
            raise ValueError("runlog: artifact %r is not stored yet; log it first" % (self._name,))
        return os.path.join(self._vdir, "files")

    def __repr__(self):
        return "<runlog.Artifact %s (%s)%s>" % (self.name, self.type, "" if self._manifest else " draft")

    # -- reading --------------------------------------------------------------------------

    def _require_stored(self, what):
        if self._manifest is None:
            raise ValueError("runlog: Artifact.%s needs a stored artifact: log it, or get it with use_artifact" % what)

    def _default_root(self):
        sep = "-" if os.name == "nt" else ":"
        return os.path.join(os.environ.get("WANDB_ARTIFACT_DIR") or "artifacts", self._name + sep + self.version)

    def files(self, names=None, per_page=50):
        """The stored files (and recorded references) as entries with `name`, `size`, `download()`."""
        self._require_stored("files")
        out = [ArtifactEntry(self, e) for e in self._manifest.get("files", [])]
        out += [ArtifactEntry(self, r) for r in self._manifest.get("references", [])]
        return [e for e in out if names is None or e.name in names]

    def get_entry(self, name):
        self._require_stored("get_entry")
        for e in self.files():
            if e.path == name:
                return e
        raise KeyError("runlog: artifact %s has no file %r" % (self.name, name))

    get_path = get_entry

    def download(self, root=None, allow_missing_references=False, skip_cache=None, path_prefix=None, multipart=None):
        """Copies the files into `root` (default `./artifacts/<name>:<version>`); returns that folder."""
        self._require_stored("download")
        root = os.fspath(root) if root is not None else self._default_root()
        os.makedirs(root, exist_ok=True)
        for e in self.files():
            if path_prefix and not e.path.startswith(path_prefix):
                continue
            if e.local_path is None:
                if not allow_missing_references:
                    warn("runlog: %s: %r refers to %s, which Runlog records but does not fetch" % (self.name, e.path, e.ref))
                continue
            e.download(root)
        return root

    def file(self, root=None):
        """Downloads a one-file artifact and returns the file's path."""
        self._require_stored("file")
        entries = self._manifest.get("files", [])
        if len(entries) != 1:
            raise ValueError("runlog: Artifact.file() is for one-file artifacts; %s has %d files"
                             % (self.name, len(entries)))
        return ArtifactEntry(self, entries[0]).download(root)

    def verify(self, root=None):
        """Checks that the files under `root` match the stored digests (raises ValueError)."""
        self._require_stored("verify")
        import hashlib
        root = os.fspath(root) if root is not None else self._default_root()
        for e in self._manifest.get("files", []):
            h = hashlib.sha256()
            with open(os.path.join(root, *e["path"].split("/")), "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            if "sha256:" + h.hexdigest() != e["digest"]:
                raise ValueError("runlog: %s differs from the stored artifact" % e["path"])

    def save(self, project=None, settings=None):
        """Logs a new artifact with the current run; for a stored one, records changed aliases."""
        if self._manifest is None:
            from . import _lifecycle
            run = _lifecycle.current()
            if run is None:
                raise RuntimeError("runlog: Artifact.save() needs a run: call runlog.init() first")
            run.log_artifact(self)
            return
        added = [a for a in self.aliases if a not in self._saved_aliases and a != "latest"]
        for a in added:
            _artifacts.validate_alias(a)
        _artifacts.add_aliases(os.path.dirname(self._vdir), self.version, added, None)
        self._saved_aliases = list(self.aliases)

    # -- logging (called by Run) ----------------------------------------------------------

    def _store_into(self, store, project, run_id):
        self._check_draft("log")
        refs = [{"path": p, "ref": u} for p, u in sorted(self._references.items())]
        sources = [(rel, local, ref) for rel, (local, ref) in self._sources.items()]
        manifest, vdir, _ = _artifacts.store_version(
            store, project, run_id, self._name, self.type, sources, references=refs,
            description=self.description, metadata=self.metadata)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._sources, self._references = {}, {}
        pending = list(self.aliases)
        self._attach(manifest, vdir, project, store)
        self.aliases = self.aliases + [a for a in pending if a not in self.aliases]


def _takes_arg(fn):
    try:
        import inspect
        return len(inspect.signature(fn).parameters) >= 1
    except (TypeError, ValueError):
        return False


def log_with_run(run, artifact_or_path, name=None, type=None, aliases=None):
    """`run.log_artifact`: store a path or an `Artifact`, apply aliases, record the event."""
    given = [aliases] if isinstance(aliases, str) else list(aliases or [])
    for a in given:
        if a != "latest":
            _artifacts.validate_alias(a)
    if isinstance(artifact_or_path, Artifact):
        artifact = artifact_or_path
        artifact._store_into(run.store, run.project, run.id)
    else:
        path = os.fspath(artifact_or_path)
        manifest, vdir = _artifacts.log_artifact(run.store, run.project, run.id, path, name, type or "dataset")
        artifact = Artifact._from_stored(manifest, vdir, run.project, run.store)
    wanted = []
    for a in given + list(artifact.aliases):
        if a != "latest" and a not in wanted and not _artifacts._VERSION_RE.match(a):
            wanted.append(_artifacts.validate_alias(a))
    base = os.path.dirname(artifact.dir)
    _artifacts.add_aliases(base, artifact.version, [a for a in wanted if a not in artifact._saved_aliases], run.id)
    artifact._attach(artifact.manifest, artifact.dir, run.project, run.store)
    return artifact


def use_with_run(run, artifact_or_name, type=None):
    """`run.use_artifact`: resolve `[entity/][project/]name[:alias]` (or take an Artifact)."""
    if isinstance(artifact_or_name, Artifact):
        if artifact_or_name.is_draft():
            artifact_or_name._store_into(run.store, run.project, run.id)
        ref = "%s/%s:%s" % (artifact_or_name.project, artifact_or_name._name, artifact_or_name.version)
    else:
        ref = artifact_or_name
    project, _, _ = _artifacts.parse_ref(ref, run.project)
    manifest, vdir = _artifacts.resolve(run.store, run.project, ref)
    if type is not None and manifest.get("type") != type:
        raise ValueError("runlog: artifact %r has type %r, not %r" % (ref, manifest.get("type"), type))
    return Artifact._from_stored(manifest, vdir, project, run.store)
