"""Waiting for `gibon serve --workers N` to be ready: every worker listens on a socket of its own
(SO_REUSEPORT, see gibon.server_cli.worker_sockets), and a client that connects before the last
one listens is never moved to it."""

from __future__ import annotations

import time
from pathlib import Path


def listeners(port: int) -> int:
    """Listening TCP sockets on ``port`` (state 0A in /proc/net/tcp)."""
    return Path("/proc/net/tcp").read_text().count(f":{port:04X} 00000000:0000 0A")


def wait_listening(port: int, workers: int, seconds: float = 180) -> bool:
    """True once ``workers`` sockets listen on ``port``; False after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if listeners(port) >= workers:
            return True
        time.sleep(0.2)
    return False
