"""A small per-client request limit for public endpoints (sliding window, in the process)."""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import Request

from gibon.errors import GibonError


class TooManyRequests(GibonError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"요청이 너무 잦습니다. {retry_after}초 뒤에 다시 시도하세요 "
            "(많은 가구는 로그인 후 일괄 계산을 쓰세요)",
            where="rate_limit",
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


class RateLimiter:
    """At most ``limit`` requests per ``window`` seconds per client key."""

    def __init__(self, limit: int, window: float, max_clients: int = 10_000) -> None:
        self.limit, self.window, self.max_clients = limit, window, max_clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one request of ``key``, or raise ``TooManyRequests`` (the request not counted)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                raise TooManyRequests(max(1, int(hits[0] + self.window - now) + 1))
            hits.append(now)
            if len(self._hits) > self.max_clients:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
