"""Memory figures of this process from /proc/self/status (Linux), for the benchmarks."""

from __future__ import annotations


def status_mb(field: str) -> float | None:
    """A memory line of /proc/self/status ("VmRSS": now, "VmHWM": peak) in MiB; None where
    the file or the line is missing (not Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
