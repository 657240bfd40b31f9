"""The server's own CPU time, read from /proc: the figure a busy shared machine skews least."""

from __future__ import annotations

import os
from pathlib import Path


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of a server process and its direct children (uvicorn's workers)."""
    return process_cpu_seconds(pid) + sum(worker_cpu_seconds(pid))


def worker_cpu_seconds(pid: int) -> list[float]:
    """User + system CPU of each direct child (uvicorn's workers), to see how evenly they share."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [process_cpu_seconds(int(kid)) for kid in kids]


def postgres_cpu_seconds() -> float:
    """User + system CPU of every PostgreSQL process on this machine (backends, WAL writer ...):
    the database's share of a request, which runs on the same cores as the server."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
        except OSError:
            continue
        total += process_cpu_seconds(int(entry.name))
    return total


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
