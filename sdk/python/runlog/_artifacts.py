"""Content-addressed, versioned artifacts under `<store>/projects/<project>/artifacts/<name>/v<N>/`.

This module is the storage: claiming versions, manifests, aliases and resolving references. The
`Artifact` object scripts build and read is in `_artifact.py`.
"""

import hashlib
import json
import os
import re
import shutil
import time

from ._store import project_dir, validate_artifact_name, validate_project

_VERSION_RE = re.compile(r"v(\d+)\Z")
_ALIAS_RE = re.compile(r"[A-Za-z0-9._-]{1,128}\Z")
_CHUNK = 1024 * 1024


class ArtifactNotFoundError(LookupError):
    pass


def artifacts_dir(store, project, name):
    return os.path.join(project_dir(store, project), "artifacts", name)


def versions(base):
    """Version numbers with a complete manifest, ascending."""
    found = []
    try:
        names = os.listdir(base)
    except OSError:
        return found
    for n in names:
        m = _VERSION_RE.match(n)
        if m and os.path.isfile(os.path.join(base, n, "manifest.json")):
            found.append(int(m.group(1)))
    return sorted(found)


def _all_claimed(base):
    try:
        return [int(m.group(1)) for m in (_VERSION_RE.match(n) for n in os.listdir(base)) if m]
    except OSError:
        return []


def read_manifest(base, version):
    with open(os.path.join(base, "v%d" % version, "manifest.json"), "r", encoding="utf-8") as f:
        return json.load(f)


def _copy_hashing(src, dst):
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while True:
            chunk = fin.read(_CHUNK)
            if not chunk:
                break
            h.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    shutil.copystat(src, dst, follow_symlinks=True)
    return "sha256:" + h.hexdigest(), size


def source_files(path, prefix=""):
    """[(relative posix path, absolute path)] of a file or a folder's files, sorted by path."""
    if os.path.isfile(path):
        return [(prefix + os.path.basename(path), path)]
    files = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for n in names:
            full = os.path.join(root, n)
            if os.path.isfile(full):
                files.append((prefix + os.path.relpath(full, path).replace(os.sep, "/"), full))
    files.sort()
    return files


def folder_digest(entries, references=()):
    """sha256 over `path\\0digest\\n` per file, then `path\\0ref\\n` per recorded reference."""
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: e["path"]):
        h.update(("%s\0%s\n" % (e["path"], e["digest"])).encode("utf-8"))
    for r in sorted(references, key=lambda r: r["path"]):
        h.update(("%s\0%s\n" % (r["path"], r["ref"])).encode("utf-8"))
    return "sha256:" + h.hexdigest()


def store_version(store, project, run_id, name, type_, sources, single_file=False, references=(),
                  description=None, metadata=None):
    """Store `sources` [(path in artifact, local file, file:// ref or None)] as a version of `name`.

    Identical content (same digest as the latest version) reuses that version. Returns
    (manifest, version folder, reused).
    """
    validate_artifact_name(name)
    if not isinstance(type_, str) or not type_:
        raise ValueError("runlog: log_artifact: type must be a non-empty string, got %r" % (type_,))
    base = artifacts_dir(store, project, name)
    os.makedirs(base, exist_ok=True)
    references = [dict(r) for r in references]

    # Copy into a private staging folder while hashing (the content is read once), then either
    # drop it (same digest as the latest version) or move it into a freshly claimed version.
    staging = os.path.join(base, ".staging-%d-%d" % (os.getpid(), int(time.time() * 1e6)))
    files_dir = os.path.join(staging, "files")
    os.makedirs(files_dir)
    try:
        entries = []
        for rel, full, ref in sorted(sources, key=lambda s: s[0]):
            dst = os.path.join(files_dir, *rel.split("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            digest, size = _copy_hashing(full, dst)
            entry = {"path": rel, "digest": digest, "size": size}
            if ref:
                entry["ref"] = ref
            entries.append(entry)
        if single_file and len(entries) == 1 and not references:
            digest = entries[0]["digest"]
        else:
            digest = folder_digest(entries, references)
        total = sum(e["size"] for e in entries)

        existing = versions(base)
        if existing:
            latest = read_manifest(base, existing[-1])
            if latest.get("digest") == digest:
                return latest, os.path.join(base, "v%d" % existing[-1]), True

        version = max(_all_claimed(base) + [-1]) + 1
        while True:
            vdir = os.path.join(base, "v%d" % version)
            try:
                os.mkdir(vdir)  # atomic: this process owns the version from here on
                break
            except FileExistsError:
                version += 1
        os.rename(files_dir, os.path.join(vdir, "files"))
        manifest = {
            "name": name, "type": type_, "version": "v%d" % version, "digest": digest,
            "size": total, "files": entries, "created": time.time(), "run": run_id,
        }
        if references:
            manifest["references"] = references
        if description:
            manifest["description"] = description
        if metadata:
            manifest["metadata"] = metadata
        tmp = os.path.join(vdir, ".manifest.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, default=str)
            f.write("\n")
        os.replace(tmp, os.path.join(vdir, "manifest.json"))
        return manifest, vdir, False
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def log_artifact(store, project, run_id, path, name, type_):
    """Store `path` (a file or folder) as a version of artifact `name`; returns (manifest, folder)."""
    if not os.path.exists(path):
        raise FileNotFoundError("runlog: log_artifact: no such file or folder: %r" % (path,))
    if name is None:
        base_name = os.path.basename(os.path.normpath(os.path.abspath(path)))
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", base_name).strip("-.")[:128] or "artifact"
    sources = [(rel, full, None) for rel, full in source_files(path)]
    manifest, vdir, _ = store_version(store, project, run_id, name, type_, sources,
                                      single_file=os.path.isfile(path))
    return manifest, vdir


# -- aliases --------------------------------------------------------------------------------

def validate_alias(alias):
    if not isinstance(alias, str) or not _ALIAS_RE.match(alias) or _VERSION_RE.match(alias):
        raise ValueError("runlog: invalid artifact alias %r: use 1-128 characters of A-Z a-z 0-9 . _ - "
                         "(not 'vN', which names a version)" % (alias,))
    return alias


def read_aliases(base):
    """{alias: version number}: the last line naming an alias wins (`aliases.jsonl`)."""
    out = {}
    try:
        with open(os.path.join(base, "aliases.jsonl"), "rb") as f:
            data = f.read()
    except OSError:
        return out
    for line in data.split(b"\n")[:-1]:
        try:
            rec = json.loads(line.decode("utf-8", "replace"))
            m = _VERSION_RE.match(rec.get("version", ""))
            if isinstance(rec.get("alias"), str) and m:
                out[rec["alias"]] = int(m.group(1))
        except (ValueError, AttributeError, TypeError):
            continue
    return out


def add_aliases(base, version, aliases, run_id):
    """Point each alias at `version` (one append, whole lines)."""
    lines = "".join(json.dumps({"ts": time.time(), "alias": a, "version": version, "run": run_id}) + "\n"
                    for a in aliases)
    if not lines:
        return
    fd = os.open(os.path.join(base, "aliases.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, lines.encode("utf-8"))
    finally:
        os.close(fd)


def aliases_of(base, version_number):
    """`latest` (for the newest version) and the user aliases pointing at this version."""
    out = []
    existing = versions(base)
    if existing and existing[-1] == version_number:
        out.append("latest")
    out.extend(sorted(a for a, v in read_aliases(base).items() if v == version_number and a != "latest"))
    return out


# -- resolving ------------------------------------------------------------------------------

def parse_ref(ref, default_project):
    """`name[:alias]`, `project/name[:alias]` or `entity/project/name[:alias]` -> (project, name, alias)."""
    if not isinstance(ref, str) or not ref.strip():
        raise ValueError("runlog: use_artifact needs 'name', 'name:alias' or 'project/name:alias', got %r" % (ref,))
    parts = ref.strip().split("/")
    if len(parts) > 3:
        raise ValueError("runlog: artifact reference %r has too many '/' parts (entity/project/name:alias)" % (ref,))
    project = parts[-2] if len(parts) >= 2 else default_project
    validate_project(project)
    name, _, alias = parts[-1].partition(":")
    return project, name, alias


def resolve(store, project, ref):
    """A reference (see `parse_ref`) -> (manifest, version folder). Aliases: latest, vN, user aliases."""
    project, name, alias = parse_ref(ref, project)
    validate_artifact_name(name)
    base = artifacts_dir(store, project, name)
    existing = versions(base)
    if not existing:
        raise ArtifactNotFoundError(
            "runlog: no artifact named %r in project %r (looked in %s)" % (name, project, base))
    if alias in ("", "latest"):
        version = existing[-1]
    else:
        m = _VERSION_RE.match(alias)
        version = int(m.group(1)) if m else read_aliases(base).get(alias)
        if version not in existing:
            known = ", ".join(["v%d" % v for v in existing] + sorted(read_aliases(base)))
            raise ArtifactNotFoundError(
                "runlog: artifact %r has no version %r (versions: %s)" % (name, alias, known))
    return read_manifest(base, version), os.path.join(base, "v%d" % version)


def list_artifacts(store, project):
    """Names of a project's artifacts that have at least one complete version."""
    base = os.path.join(project_dir(store, project), "artifacts")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return []
    return [n for n in names if versions(os.path.join(base, n))]
