"""The server's own CPU time, read from /proc: the figure a busy shared machine skews least."""

from __future__ import annotations

import os
from pathlib import Path


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of a server process and its direct children (uvicorn's workers)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    total = 0
    for one in [pid, *map(int, kids)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
