"""The code a run ran: its git commit and working-tree diff, saved in `<run>/code/` at `init()`.

`code/code.json` says which commit and repository; `code/diff.patch` is `git diff HEAD` plus the
small untracked text files as new-file diffs, so `git apply diff.patch` on a checkout of that
commit gives back the tree the run started from (README, On-disk format). Off with RUNLOG_CODE=0.
Every probe may fail: no git, no repository, a timeout. Then nothing is recorded and `init()`
goes on. git is started with an argument vector, never through a shell.
"""

import json
import os
import shutil
import subprocess

from ._values import warn

# The whole patch; above it the diff is left out (a cut patch would not apply), and code.json says so.
MAX_PATCH_BYTES = 1024 * 1024
# One untracked file, and how many are considered.
MAX_UNTRACKED_BYTES = 100 * 1024
MAX_UNTRACKED_FILES = 200
_TIMEOUT_S = 5.0
# Whatever the user's git config says (colour, external diff tools, prefixes), the patch is plain.
_GIT = ["git", "-c", "core.quotepath=on", "-c", "color.ui=never"]


def enabled(env):
    value = (env.get("RUNLOG_CODE") or "").strip().lower()
    return value not in ("0", "false", "no", "off")


def _git(args, cwd):
    try:
        out = subprocess.run(_GIT + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return out.stdout if out.returncode == 0 else None


def _quote(path):
    """A path as git writes it in a diff header (C-style quoted when it needs to be)."""
    raw = path.encode("utf-8", "surrogateescape")
    if all(0x20 <= b < 0x7F and b not in (0x22, 0x5C) for b in raw):
        return None
    parts = []
    for b in raw:
        if b == 0x22:
            parts.append('\\"')
        elif b == 0x5C:
            parts.append("\\\\")
        elif 0x20 <= b < 0x7F:
            parts.append(chr(b))
        else:
            parts.append("\\%03o" % b)
    return '"%s"' % "".join(parts)


def _new_file_patch(path, text):
    quoted = _quote(path)
    a, b = ('"a/' + quoted[1:], '"b/' + quoted[1:]) if quoted else ("a/" + path, "b/" + path)
    head = "diff --git %s %s\nnew file mode 100644\n" % (a, b)
    if not text:
        return head
    lines = text.split("\n")
    ends_with_newline = lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    body = "".join("+%s\n" % line for line in lines)
    if not ends_with_newline:
        body += "\\ No newline at end of file\n"
    return head + "--- /dev/null\n+++ %s\n@@ -0,0 +1,%d @@\n%s" % (b, len(lines), body)


def _untracked(root, store):
    """New-file diffs of the small untracked text files (not ignored, not the run store), and what was skipped."""
    listed = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    if listed is None:
        return "", [], []
    names = [n.decode("utf-8", "surrogateescape") for n in listed.split(b"\0") if n]
    if store:  # the runs themselves (.runlog inside the repository, not ignored) are no code
        rel = os.path.relpath(os.path.realpath(store), os.path.realpath(root)).replace(os.sep, "/")
        if rel != ".." and not rel.startswith("../"):
            names = [n for n in names if n != rel and not n.startswith(rel + "/")]
    patches, taken, skipped = [], [], []
    names.sort()
    if len(names) > MAX_UNTRACKED_FILES:
        skipped.append({"path": "(%d more files)" % (len(names) - MAX_UNTRACKED_FILES),
                        "why": "more than %d untracked files" % MAX_UNTRACKED_FILES})
        names = names[:MAX_UNTRACKED_FILES]
    for name in names:
        full = os.path.join(root, name)
        try:
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            if os.path.getsize(full) > MAX_UNTRACKED_BYTES:
                skipped.append({"path": name, "why": "larger than %d bytes" % MAX_UNTRACKED_BYTES})
                continue
            with open(full, "rb") as f:
                data = f.read(MAX_UNTRACKED_BYTES + 1)
        except OSError:
            continue
        if b"\0" in data:
            skipped.append({"path": name, "why": "binary"})
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            skipped.append({"path": name, "why": "not UTF-8 text"})
            continue
        patches.append(_new_file_patch(name, text))
        taken.append(name)
    return "".join(patches), taken, skipped


def record(run_dir, where, env, store=None):
    """Saves the code of the repository holding `where` into `<run_dir>/code/`; returns what
    code.json says, or None when there is nothing to record (off, no git, no repository)."""
    if not enabled(env) or shutil.which("git") is None or not where:
        return None
    try:
        top = _git(["rev-parse", "--show-toplevel"], where)
        commit = _git(["rev-parse", "--verify", "HEAD^{commit}"], where) if top else None
        if not top or not commit:
            return None
        root = top.decode("utf-8", "surrogateescape").strip()
        info = {"format": 1, "root": root, "commit": commit.decode("ascii", "replace").strip()}
        branch = _git(["rev-parse", "--abbrev-ref", "HEAD"], root)
        if branch and branch.strip() != b"HEAD":
            info["branch"] = branch.decode("utf-8", "replace").strip()
        tracked = _git(["diff", "HEAD", "--no-ext-diff", "--no-textconv", "--binary",
                        "--src-prefix=a/", "--dst-prefix=b/", "--ignore-submodules"], root)
        if tracked is None:
            info["diff"] = None
            info["left_out"] = "git diff HEAD failed"
        else:
            new_files, untracked, skipped = _untracked(root, os.path.realpath(store) if store else None)
            patch = tracked + new_files.encode("utf-8", "surrogateescape")
            info["untracked"] = untracked
            if skipped:
                info["skipped"] = skipped
            info["diff_bytes"] = len(patch)
            if len(patch) > MAX_PATCH_BYTES:
                info["diff"] = None
                info["left_out"] = "the diff is %d bytes, more than %d" % (len(patch), MAX_PATCH_BYTES)
            else:
                info["diff"] = "diff.patch"
        code_dir = os.path.join(run_dir, "code")
        os.makedirs(code_dir, exist_ok=True)
        if info.get("diff"):
            with open(os.path.join(code_dir, "diff.patch"), "wb") as f:
                f.write(patch)
        tmp = os.path.join(code_dir, "code.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(info, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, os.path.join(code_dir, "code.json"))
        return info
    except Exception as e:  # never fail init() over the code record
        warn("runlog: could not record the run's code: %s" % (e,))
        return None
