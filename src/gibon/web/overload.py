"""A bounded door: at most ``limit`` requests inside the app at once, the rest answered 503 quickly.

Without it, a burst queues on the thread pool and the database pool until clients time out (the
2026-12 attack: 200 readers, 46 answers in 20 s). Here a request waits at most ``wait`` seconds
for a place (longer on PostgreSQL), then gets 503 with ``Retry-After`` in gibon's error shape. ``/health`` and static
files do not queue, so a probe still sees the server alive.
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


class OverloadGate:
    def __init__(self, app: ASGIApp, limit: int, wait: float = 1.0) -> None:
        self.app = app
        self.limit = limit
        self.wait = wait
        self._places = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        try:
            await asyncio.wait_for(self._places.acquire(), self.wait)
        except TimeoutError:
            await _busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._places.release()


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
