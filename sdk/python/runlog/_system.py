"""System metric samples (CPU, memory, disk and network I/O, GPUs) for `system.jsonl`.

Linux is read from /proc; elsewhere psutil is used when it is already installed. Whatever cannot
be read is left out of the sample.
"""

import os
import shutil
import subprocess
import sys
import time

try:  # optional, never required
    import psutil  # type: ignore
except Exception:  # pragma: no cover - depends on the machine
    psutil = None

_PROC = sys.platform.startswith("linux") and os.path.isdir("/proc")
_NVIDIA_TIMEOUT_S = 5.0


def _read(path):
    try:
        with open(path, "r") as f:
            return f.read()
    except OSError:
        return None


def _cpu_times():
    text = _read("/proc/stat")
    if not text:
        return None
    fields = text.split("\n", 1)[0].split()
    if not fields or fields[0] != "cpu":
        return None
    values = [int(v) for v in fields[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])  # guest time is already counted in user time
    return total, idle


def _memory():
    text = _read("/proc/meminfo")
    if not text:
        return None
    info = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            info[key] = int(parts[0]) * 1024
    total = info.get("MemTotal")
    available = info.get("MemAvailable")
    if available is None and "MemFree" in info:
        available = info["MemFree"] + info.get("Buffers", 0) + info.get("Cached", 0)
    if not total or available is None:
        return None
    used = total - available
    return used, 100.0 * used / total


def _rss():
    text = _read("/proc/self/statm")
    if not text:
        return None
    try:
        return int(text.split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (IndexError, ValueError, OSError, AttributeError):
        return None


def _physical_disks():
    try:
        names = os.listdir("/sys/block")
    except OSError:
        return None
    # Whole physical devices only: partitions, loop, dm and md devices would count bytes twice.
    return {n for n in names if os.path.exists(os.path.join("/sys/block", n, "device"))}


def _disk_bytes(disks):
    text = _read("/proc/diskstats")
    if not text:
        return None
    read = written = 0
    for line in text.splitlines():
        f = line.split()
        if len(f) < 10:
            continue
        if disks is not None and f[2] not in disks:
            continue
        read += int(f[5]) * 512
        written += int(f[9]) * 512
    return read, written


def _net_bytes():
    text = _read("/proc/net/dev")
    if not text:
        return None
    recv = sent = 0
    for line in text.splitlines()[2:]:
        name, _, rest = line.partition(":")
        if name.strip() == "lo":
            continue
        f = rest.split()
        if len(f) >= 9:
            recv += int(f[0])
            sent += int(f[8])
    return recv, sent


def _gpu_number(text):
    text = text.strip()
    if not text or text.startswith("[") or text.upper() in ("N/A", "NOT SUPPORTED"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


class SystemSampler(object):
    def __init__(self):
        self._nvidia = shutil.which("nvidia-smi")
        self._disks = _physical_disks() if _PROC else None
        self._prev = None
        self._process = None
        if psutil is not None and not _PROC:
            try:
                self._process = psutil.Process()
                psutil.cpu_percent(None)
            except Exception:
                self._process = None
        self._prev = self._counters()

    def _counters(self):
        now = time.time()
        if _PROC:
            return now, _cpu_times(), _disk_bytes(self._disks), _net_bytes()
        if psutil is not None:
            disk = net = None
            try:
                d = psutil.disk_io_counters()
                disk = (d.read_bytes, d.write_bytes) if d else None
            except Exception:
                pass
            try:
                n = psutil.net_io_counters()
                net = (n.bytes_recv, n.bytes_sent) if n else None
            except Exception:
                pass
            return now, None, disk, net
        return now, None, None, None

    def sample(self):
        data = {}
        now, cpu, disk, net = cur = self._counters()
        prev = self._prev
        self._prev = cur
        dt = now - prev[0] if prev else 0
        if cpu and prev and prev[1]:
            dtotal = cpu[0] - prev[1][0]
            if dtotal > 0:
                data["cpu/percent"] = round(100.0 * (dtotal - (cpu[1] - prev[1][1])) / dtotal, 2)
        elif psutil is not None and not _PROC:
            try:
                data["cpu/percent"] = psutil.cpu_percent(None)
            except Exception:
                pass
        if _PROC:
            mem = _memory()
            if mem:
                data["memory/used_bytes"] = mem[0]
                data["memory/percent"] = round(mem[1], 2)
            rss = _rss()
            if rss is not None:
                data["process/rss_bytes"] = rss
        elif psutil is not None:
            try:
                vm = psutil.virtual_memory()
                data["memory/used_bytes"] = vm.total - vm.available
                data["memory/percent"] = vm.percent
            except Exception:
                pass
            if self._process is not None:
                try:
                    data["process/rss_bytes"] = self._process.memory_info().rss
                except Exception:
                    pass
        if dt > 0 and disk and prev[2]:
            data["disk/read_bytes_per_s"] = round(max(0, disk[0] - prev[2][0]) / dt, 1)
            data["disk/write_bytes_per_s"] = round(max(0, disk[1] - prev[2][1]) / dt, 1)
        if dt > 0 and net and prev[3]:
            data["network/recv_bytes_per_s"] = round(max(0, net[0] - prev[3][0]) / dt, 1)
            data["network/sent_bytes_per_s"] = round(max(0, net[1] - prev[3][1]) / dt, 1)
        if self._nvidia:
            self._sample_gpus(data)
        return data

    def _sample_gpus(self, data):
        try:
            out = subprocess.run(
                [self._nvidia, "--query-gpu=index,utilization.gpu,memory.used,temperature.gpu,power.draw",
                 "--format=csv,noheader,nounits"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                timeout=_NVIDIA_TIMEOUT_S, check=False)
        except (OSError, subprocess.SubprocessError):
            self._nvidia = None  # not usable here; stop asking
            return
        if out.returncode != 0:
            self._nvidia = None
            return
        for line in out.stdout.decode("utf-8", "replace").splitlines():
            f = [p.strip() for p in line.split(",")]
            if len(f) < 5 or not f[0].isdigit():
                continue
            i = f[0]
            util, mem, temp, power = (_gpu_number(v) for v in f[1:5])
            if util is not None:
                data["gpu/%s/utilization" % i] = util
            if mem is not None:
                data["gpu/%s/memory_used_bytes" % i] = mem * 1024 * 1024
            if temp is not None:
                data["gpu/%s/temperature_c" % i] = temp
            if power is not None:
                data["gpu/%s/power_w" % i] = power
