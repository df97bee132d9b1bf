"""When this process started, by the platform's own account, for the `init` record's `pid_start`.

The editor compares it with what the platform says of the recorded pid now, so a pid reused by
another process never keeps a dead run alive (src/core/ingest/processes.ts reads it the same way):

    Linux    /proc/<pid>/stat field 22 (clock ticks after boot) + /proc/stat btime
    macOS    `ps -o lstart= -p <pid>` (whole seconds)
    Windows  GetProcessTimes
"""

import ctypes
import os
import subprocess
import sys
import time


def process_start_time(pid=None):
    """Epoch seconds process `pid` (default: this one) started, or None when unknown."""
    pid = os.getpid() if pid is None else pid
    try:
        if sys.platform.startswith("linux"):
            return _linux(pid)
        if sys.platform == "darwin":
            return _macos(pid)
        if sys.platform == "win32":
            return _windows() if pid == os.getpid() else None
    except Exception:
        return None
    return None


def _linux(pid):
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    # Field 2, the command, is in parentheses and may hold spaces: count fields after it.
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[19])  # field 22
    boot = None
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("btime "):
                boot = int(line.split()[1])
                break
    if boot is None:
        return None
    # The editor divides by USER_HZ, 100 wherever Node runs; sysconf says the same here.
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return boot + ticks / float(hz)


def _macos(pid):
    out = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True,
                         timeout=5, env=dict(os.environ, LC_ALL="C")).stdout.strip()
    if not out:
        return None
    return time.mktime(time.strptime(out, "%a %b %d %H:%M:%S %Y"))


def _windows():
    class FILETIME(ctypes.Structure):
        _fields_ = [("low", ctypes.c_uint32), ("high", ctypes.c_uint32)]

    creation, exit_, kernel, user = FILETIME(), FILETIME(), FILETIME(), FILETIME()
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if not kernel32.GetProcessTimes(kernel32.GetCurrentProcess(), ctypes.byref(creation), ctypes.byref(exit_),
                                    ctypes.byref(kernel), ctypes.byref(user)):
        return None
    # 100 ns intervals since 1601-01-01.
    ticks = (creation.high << 32) | creation.low
    return ticks / 1e7 - 11644473600.0
