"""What the run records about where it runs (`meta` of the init record). Every probe may fail."""

import getpass
import os
import platform
import re
import shutil
import subprocess
import sys

from ._version import __version__

_TIMEOUT_S = 3.0


def _run(args, cwd=None):
    try:
        out = subprocess.run(
            args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.decode("utf-8", "replace")


def _strip_credentials(url):
    # https://user:token@host/repo -> https://host/repo
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", r"\1", url)


def git_info(cwd):
    if shutil.which("git") is None:
        return None
    commit = _run(["git", "rev-parse", "HEAD"], cwd)
    if commit is None:
        return None
    info = {"commit": commit.strip()}
    branch = _run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd)
    if branch and branch.strip() != "HEAD":
        info["branch"] = branch.strip()
    remote = _run(["git", "config", "--get", "remote.origin.url"], cwd)
    if remote and remote.strip():
        info["remote"] = _strip_credentials(remote.strip())
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd)
    if status is not None:
        info["dirty"] = bool(status.strip())
    return info


def _read(path):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def cpu_model():
    text = _read("/proc/cpuinfo")
    if text:
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "Processor", "cpu model") and value.strip():
                return value.strip()
    if sys.platform == "darwin":
        out = _run(["sysctl", "-n", "machdep.cpu.brand_string"])
        if out and out.strip():
            return out.strip()
    return platform.processor() or platform.machine() or None


def memory_total():
    text = _read("/proc/meminfo")
    if text:
        m = re.search(r"^MemTotal:\s+(\d+)\s*kB", text, re.M)
        if m:
            return int(m.group(1)) * 1024
    if sys.platform == "darwin":
        out = _run(["sysctl", "-n", "hw.memsize"])
        if out and out.strip().isdigit():
            return int(out.strip())
    if sys.platform == "win32":
        try:
            import ctypes

            class MemoryStatus(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]
            status = MemoryStatus()
            status.dwLength = ctypes.sizeof(MemoryStatus)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
                return int(status.ullTotalPhys)
        except Exception:
            pass
    return None


def _number(text):
    text = text.strip()
    if not text or text.startswith("[") or text.upper() in ("N/A", "NOT SUPPORTED"):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def gpus():
    if shutil.which("nvidia-smi") is None:
        return None
    out = _run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"])
    if out is None:
        return None
    result = []
    for line in out.splitlines():
        if not line.strip():
            continue
        name, _, mem = line.rpartition(",")
        gpu = {"name": name.strip()}
        mib = _number(mem)
        if mib is not None:
            gpu["memory_total"] = int(mib * 1024 * 1024)
        result.append(gpu)
    return result


def program_path():
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and argv0 not in ("-c", "-m") and os.path.isfile(argv0):
        return os.path.abspath(argv0)
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path and os.path.isfile(path):
        return os.path.abspath(path)
    return None


def collect(host):
    meta = {"sdk_version": __version__, "host": host}
    try:
        meta["author"] = getpass.getuser()
    except Exception:
        pass
    meta["command"] = [sys.executable] + list(sys.argv)
    try:
        meta["cwd"] = os.getcwd()
    except OSError:
        pass
    program = program_path()
    if program:
        meta["program"] = program
    git = git_info(os.path.dirname(program) if program else meta.get("cwd"))
    if git:
        meta["git"] = git
    try:
        meta["os"] = platform.platform()
    except Exception:
        pass
    meta["python"] = {"executable": sys.executable, "version": platform.python_version()}
    hardware = {"cpu_count": os.cpu_count()}
    model = cpu_model()
    if model:
        hardware["cpu_model"] = model
    mem = memory_total()
    if mem:
        hardware["memory_total"] = mem
    gpu_list = gpus()
    if gpu_list:
        hardware["gpus"] = gpu_list
    meta["hardware"] = hardware
    return meta
