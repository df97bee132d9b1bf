"""The store on disk: names, paths, run directories, the run lock (a run read back: _replay.py)."""

import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import sys
import time

from ._values import warn

FORMAT_VERSION = 1

_ARTIFACT_RE = re.compile(r"[A-Za-z0-9._-]{1,128}\Z")
_STEP_REF_RE = re.compile(r"(.{1,64})\?_step=(\d+)\Z")

# Project names and run ids, as W&B allows them (docs.wandb.ai/ref/python/init: "id ... cannot
# contain the following special characters: / \ # ? % :"; projects likewise). They are folder names
# on disk, kept as given where every system accepts them; README.md (On-disk format) "Layout".
_WANDB_FORBIDDEN = set('/\\#?%:')
_UNSAFE_ON_DISK = set('<>"|*')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {"COM%d" % i for i in range(1, 10)} | {"LPT%d" % i for i in range(1, 10)}
PROJECT_MAX = 128
RUN_ID_MAX = 64

# A run whose process is alive must have written something this recently to count as live.
LIVE_HEARTBEAT_S = 30.0


class RunExistsError(ValueError):
    """A run with this ID already exists in the project (and resuming was not asked for)."""


class RunInUseError(RuntimeError):
    """Another live process owns the run."""


def _name_problem(text, what, limit):
    if not isinstance(text, str) or not text:
        return "%s must be a non-empty string" % what
    if len(text) > limit:
        return "%s has at most %d characters (this one has %d)" % (what, limit, len(text))
    bad = sorted(set(c for c in text if c in _WANDB_FORBIDDEN))
    if bad:
        return "%s cannot contain %s (as in W&B: none of / \\ # ? %% :)" % (what, " ".join(bad))
    return None


def _safe_folder(text):
    """`text` as a folder name every system accepts, or None when it already is one."""
    chars = ["-" if (c in _UNSAFE_ON_DISK or ord(c) < 32 or ord(c) == 127) else c for c in text]
    safe = "".join(chars).strip(" ")
    while safe.startswith("."):
        safe = safe[1:]
    safe = safe.rstrip(". ")
    if safe.split(".")[0].upper() in _RESERVED:
        safe = "_" + safe
    safe = safe or "_"
    return None if safe == text else safe


def validate_project(project):
    problem = _name_problem(project, "a project name", PROJECT_MAX)
    if problem:
        raise ValueError("runlog: invalid project name %r: %s" % (project, problem))
    return project


def project_folder(project):
    """The folder name of `project`: the name itself unless some system would refuse it."""
    validate_project(project)
    return _safe_folder(project) or project


def sanitize_project(text):
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text or "").lstrip(".-")[:100]
    return name or "uncategorized"


def validate_run_id(run_id):
    problem = _name_problem(run_id, "a run id", RUN_ID_MAX)
    if problem is None and (any(c.isspace() for c in run_id) or _safe_folder(run_id) is not None):
        problem = ("a run id is its folder name: no spaces, no < > \" | * or control characters, "
                   "not starting or ending with '.'")
    if problem:
        raise ValueError("runlog: invalid run id %r: %s" % (run_id, problem))
    return run_id


def validate_artifact_name(name):
    if not isinstance(name, str) or not _ARTIFACT_RE.match(name) or name in (".", ".."):
        raise ValueError(
            "runlog: invalid artifact name %r: use 1-128 characters of A-Z a-z 0-9 . _ -" % (name,))
    return name


def parse_step_ref(text, what):
    """`<run-id>?_step=N` -> (run_id, N)."""
    m = _STEP_REF_RE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError("runlog: %s must look like '<run-id>?_step=<N>', got %r" % (what, text))
    validate_run_id(m.group(1))
    return m.group(1), int(m.group(2))


def project_dir(store, project):
    return os.path.join(store, "projects", project_folder(project))


def runs_dir(store, project):
    return os.path.join(store, "projects", project_folder(project), "runs")


def count_runs(store, project):
    try:
        with os.scandir(runs_dir(store, project)) as it:
            return sum(1 for e in it if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return 0


SEQUENCE_DIR = ".sequence"
RESUME_DIR = ".resume"


def claim_sequence(store, project):
    """The new run's number N in `project` (its name is adjective-noun-N), claimed atomically.

    Each number taken is an empty file `projects/<project>/.sequence/<N>`, created exclusively,
    so runs started at the same moment on one store never share N, a deleted run's number is not
    given again, and the numbers stay dense. Call after the run's folder exists.
    """
    folder = os.path.join(store, "projects", project, SEQUENCE_DIR)
    try:
        if not os.path.isdir(folder):
            _start_sequence(folder, _recorded_runs(store, project))
        n = len(os.listdir(folder)) + 1
        while True:
            try:
                os.close(os.open(os.path.join(folder, str(n)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
                return n
            except FileExistsError:
                n += 1
    except OSError:
        return max(1, count_runs(store, project))  # a store that takes run folders but not this


def resume_marker(store, project, cwd):
    """resume="auto": the file naming the run started from folder `cwd` that has not finished
    (`projects/<project>/.resume/<sha256 of cwd, 16 hex>`), as W&B's wandb-resume.json."""
    key = hashlib.sha256(os.path.abspath(cwd).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(store, "projects", project, RESUME_DIR, key)


def read_resume_marker(path, runs):
    """The run id the marker names when that run's folder is still in `runs`, else None."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            run_id = f.read().strip()
    except OSError:
        return None
    try:
        validate_run_id(run_id)
    except ValueError:
        return None
    return run_id if os.path.isdir(os.path.join(runs, run_id)) else None


def write_resume_marker(path, run_id):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(run_id)
        os.replace(tmp, path)
    except OSError as e:
        warn("runlog: resume='auto' could not note run %s for the next start: %s" % (run_id, e))


def remove_resume_marker(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _recorded_runs(store, project):
    """Runs that wrote their `init` already: the numbered ones of a store from before `.sequence`
    (a run being started now, this one or a concurrent one, has not written it yet)."""
    try:
        with os.scandir(runs_dir(store, project)) as it:
            return sum(1 for e in it if e.is_dir() and not e.name.startswith(".")
                       and os.path.exists(os.path.join(e.path, "events.jsonl")))
    except OSError:
        return 0


def _start_sequence(folder, earlier):
    """Creates the sequence folder with the numbers of the `earlier` runs of a store that had none,
    whole or not at all (built aside, then renamed), so no reader sees it half filled."""
    aside = "%s.%d.%s" % (folder, os.getpid(), secrets.token_hex(4))
    os.makedirs(aside)
    for n in range(1, max(0, earlier) + 1):
        open(os.path.join(aside, str(n)), "w").close()
    try:
        os.rename(aside, folder)
    except OSError:
        shutil.rmtree(aside, ignore_errors=True)  # another process made it first


def find_run_dir(store, project, run_id):
    """The run's directory in `project`, else the only project holding that id, else None."""
    path = os.path.join(runs_dir(store, project), run_id)
    if os.path.isdir(path):
        return project, path
    found = []
    try:
        with os.scandir(os.path.join(store, "projects")) as it:
            for e in it:
                candidate = os.path.join(e.path, "runs", run_id)
                if e.is_dir() and os.path.isdir(candidate):
                    found.append((e.name, candidate))
    except OSError:
        pass
    return found[0] if len(found) == 1 else (None, None)


def hostname():
    try:
        return socket.gethostname()
    except Exception:
        return ""


def pid_alive(pid):
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _win_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM
    return True


def _win_pid_alive(pid):
    # os.kill(pid, 0) would terminate the process on Windows.
    try:
        import ctypes
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    except Exception:
        return True


def live_owner(state):
    """The pid of a live process that owns the run, or None."""
    init = state.last_init
    if not init or state.exited:
        return None
    pid = init.get("pid")
    if not isinstance(pid, int) or pid == os.getpid():
        return None
    if init.get("host") != hostname():
        return None
    if state.last_ts is None or time.time() - state.last_ts > LIVE_HEARTBEAT_S:
        return None
    return pid if pid_alive(pid) else None


class RunLock(object):
    """`<run>/.lock`: created exclusively, holding the owner's pid; stale when that pid is dead."""

    def __init__(self, run_dir, run_id):
        self.path = os.path.join(run_dir, ".lock")
        self.run_id = run_id
        self.held = False

    def acquire(self):
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is not None and owner != os.getpid() and pid_alive(owner):
                    raise RunInUseError(
                        "runlog: run %s is in use by process %d (lock file %s); stop that process "
                        "or wait for it to finish before resuming" % (self.run_id, owner, self.path))
                if owner is None and self._young():
                    # Another process created the lock and is about to write its pid.
                    raise RunInUseError(
                        "runlog: run %s is being opened by another process right now (lock file "
                        "%s)" % (self.run_id, self.path))
                # Stale (its process is gone): take it over, unless someone else just did.
                if self._owner() == owner:
                    try:
                        os.unlink(self.path)
                    except OSError:
                        pass
                continue
            try:
                os.write(fd, ("%d\n" % os.getpid()).encode("ascii"))
            finally:
                os.close(fd)
            self.held = True
            return
        raise RunInUseError("runlog: could not take the lock %s of run %s" % (self.path, self.run_id))

    def _owner(self):
        try:
            with open(self.path, "rb") as f:
                text = f.read(32).decode("ascii", "replace").strip()
            return int(text) if text else None
        except (OSError, ValueError):
            return None

    def _young(self):
        try:
            return time.time() - os.stat(self.path).st_mtime < 5.0
        except OSError:
            return False

    def release(self):
        if not self.held:
            return
        self.held = False
        if self._owner() == os.getpid():
            try:
                os.unlink(self.path)
            except OSError:
                pass
