"""Shared helpers: run a command and take its wall time, CPU time and peak RSS from wait4(2); medians; load."""
import os, statistics, subprocess, time


def run(cmd, stdout=subprocess.DEVNULL, stderr=None, env=None, cwd=None):
    """Runs cmd to completion. Returns dict(wall, cpu, user, sys, maxrss_kb, rc). CPU and RSS cover the child and
    every descendant it waited for (wait4 accounts the whole reaped subtree)."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime, "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss_kb": usage.ru_maxrss, "rc": proc.returncode}


def median(values):
    return statistics.median(values) if values else float("nan")


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = int(open("/proc/meminfo").read().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, {os.uname().sysname} {os.uname().release}"
