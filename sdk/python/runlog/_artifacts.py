"""Content-addressed, versioned artifacts under `<store>/projects/<project>/artifacts/<name>/v<N>/`."""

import hashlib
import json
import os
import re
import shutil
import time

from ._store import project_dir, validate_artifact_name

_VERSION_RE = re.compile(r"v(\d+)\Z")
_CHUNK = 1024 * 1024


class ArtifactNotFoundError(LookupError):
    pass


def artifacts_dir(store, project, name):
    return os.path.join(project_dir(store, project), "artifacts", name)


def _versions(base):
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


def _source_files(path):
    """[(relative posix path, absolute path)] sorted by relative path."""
    if os.path.isfile(path):
        return [(os.path.basename(path), path)]
    files = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for n in names:
            full = os.path.join(root, n)
            if os.path.isfile(full):
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                files.append((rel, full))
    files.sort()
    return files


def folder_digest(entries):
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: e["path"]):
        h.update(("%s\0%s\n" % (e["path"], e["digest"])).encode("utf-8"))
    return "sha256:" + h.hexdigest()


def log_artifact(store, project, run_id, path, name, type_):
    """Store `path` (a file or folder) as a version of artifact `name`; returns its manifest."""
    if not os.path.exists(path):
        raise FileNotFoundError("runlog: log_artifact: no such file or folder: %r" % (path,))
    is_file = os.path.isfile(path)
    if name is None:
        base_name = os.path.basename(os.path.normpath(os.path.abspath(path)))
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", base_name).strip("-.")[:128] or "artifact"
    validate_artifact_name(name)
    if not isinstance(type_, str) or not type_:
        raise ValueError("runlog: log_artifact: type must be a non-empty string, got %r" % (type_,))
    base = artifacts_dir(store, project, name)
    os.makedirs(base, exist_ok=True)

    # Copy into a private staging folder while hashing (the content is read once), then either
    # drop it (same digest as the latest version) or move it into a freshly claimed version.
    staging = os.path.join(base, ".staging-%d-%d" % (os.getpid(), int(time.time() * 1e6)))
    files_dir = os.path.join(staging, "files")
    os.makedirs(files_dir)
    try:
        entries = []
        for rel, full in _source_files(path):
            dst = os.path.join(files_dir, *rel.split("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            digest, size = _copy_hashing(full, dst)
            entries.append({"path": rel, "digest": digest, "size": size})
        digest = entries[0]["digest"] if is_file else folder_digest(entries)
        total = sum(e["size"] for e in entries)

        versions = _versions(base)
        if versions:
            latest = read_manifest(base, versions[-1])
            if latest.get("digest") == digest:
                return latest, os.path.join(base, "v%d" % versions[-1])

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
        tmp = os.path.join(vdir, ".manifest.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        os.replace(tmp, os.path.join(vdir, "manifest.json"))
        return manifest, vdir
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def resolve(store, project, ref):
    """`name`, `name:latest` or `name:vN` -> (manifest, version folder)."""
    if not isinstance(ref, str) or not ref:
        raise ValueError("runlog: use_artifact needs 'name', 'name:latest' or 'name:vN', got %r" % (ref,))
    name, _, alias = ref.partition(":")
    validate_artifact_name(name)
    base = artifacts_dir(store, project, name)
    versions = _versions(base)
    if not versions:
        raise ArtifactNotFoundError(
            "runlog: no artifact named %r in project %r (looked in %s)" % (name, project, base))
    if alias in ("", "latest"):
        version = versions[-1]
    else:
        m = _VERSION_RE.match(alias)
        if not m or int(m.group(1)) not in versions:
            raise ArtifactNotFoundError(
                "runlog: artifact %r has no version %r (versions: %s)"
                % (name, alias, ", ".join("v%d" % v for v in versions)))
        version = int(m.group(1))
    return read_manifest(base, version), os.path.join(base, "v%d" % version)
