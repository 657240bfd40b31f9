"""A bounded door: at most ``limit`` requests inside the app at once, the rest answered 503 quickly.

Without it, a burst queues on the thread pool and the database pool until clients time out (the
2026-12 attack: 200 readers, 46 answers in 20 s). Here a request waits at most ``wait`` seconds
for a place (longer on PostgreSQL), then gets 503 with ``Retry-After`` in gibon's error shape.
``/health`` and static files do not queue, so a probe still sees the server alive.

Two counts: ``limit`` places in all (the database pool's size), of which only ``running`` may be
taken by requests that started less than ``LONG`` seconds ago. Python runs one thread at a time,
so 28 requests started at once in one process only take turns, each switch costs CPU, and every
one of them finishes late; a few at a time finish sooner and leave the CPU to the next (figures:
docs/benchmarks.md, care reads and the day page under load). A request still running after
``LONG`` (a plan being solved, an export) gives its quick place back and keeps its place in all,
so long work never blocks the quick requests.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from gibon.errors import Busy

EXEMPT = ("/health", "/static/")
# How long a request may wait for a place. SQLite serves one writer at a time, so a long line only
# turns into timeouts: answer 503 quickly. PostgreSQL serves the line at its own pace: wait longer,
# well within a client's usual 30 s, so a burst is served rather than refused.
WAIT_SQLITE = 1.0
WAIT_POSTGRES = 10.0
MESSAGE = "요청이 몰려 지금은 처리할 수 없습니다. 잠시 후 다시 시도하세요 (server busy)"
_PAGE = (
    '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>잠시 후 다시 시도하세요</title><link rel="stylesheet" href="/static/gibon.css"></head>'
    '<body><main><section class="card narrow"><h1>잠시 후 다시 시도하세요</h1>'
    f'<p role="alert">{MESSAGE}</p><p><a href="">다시 시도</a></p></section></main></body></html>'
)


LONG = 1.0  # seconds after which a running request no longer counts as a quick one


def running_places(cores: int, workers: int) -> int:
    """Quick requests each worker runs at once: two per core it has to itself, at least two (one
    waits for the database while the other computes)."""
    return max(2, -(-2 * cores // max(1, workers)))


class OverloadGate:
    def __init__(self, app: ASGIApp, limit: int, wait: float = 1.0, running: int = 0) -> None:
        self.app = app
        self.limit = limit
        self.wait = wait
        self._places = asyncio.Semaphore(limit)
        self._quick = asyncio.Semaphore(min(running or limit, limit))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        try:
            await asyncio.wait_for(self._enter(), self.wait)
        except TimeoutError:
            await _busy(scope, send)
            return
        quick = _Quick(self._quick)
        timer = asyncio.get_running_loop().call_later(LONG, quick.release)
        try:
            await self.app(scope, receive, send)
        finally:
            timer.cancel()
            quick.release()
            self._places.release()

    async def _enter(self) -> None:
        await self._places.acquire()
        try:
            await self._quick.acquire()
        except BaseException:  # timed out waiting for a quick place: give the other back
            self._places.release()
            raise


class _Quick:
    """A quick place, released once: when the request ends or when it turns long."""

    def __init__(self, places: asyncio.Semaphore) -> None:
        self._places: asyncio.Semaphore | None = places

    def release(self) -> None:
        if self._places is not None:
            self._places.release()
            self._places = None


async def _busy(scope: Scope, send: Send) -> None:
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    if scope["path"].startswith("/api") or b"application/json" in accept:
        body = json.dumps(Busy(MESSAGE).to_dict(), ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        body, kind = _PAGE.encode(), b"text/html; charset=utf-8"
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(Busy.retry_after).encode()),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
