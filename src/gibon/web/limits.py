"""Request bodies larger than gibon accepts are refused with 413 in gibon's error shape.

A declared ``Content-Length`` over the limit is answered before the body is read; a body sent
without one (chunked) is counted as it arrives and refused once it passes the limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gibon.errors import TooLarge

MB = 2**20
DEFAULT_LIMIT = 2 * MB  # forms and JSON: a whole case with its plan is a few kilobytes
LARGER = {"/api/benefits/population": 256 * MB}  # two Parquet files of a whole district


def limit_for(path: str) -> int:
    return LARGER.get(path.rstrip("/"), DEFAULT_LIMIT)


def too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"요청 본문이 너무 큽니다 (최대 {limit / MB:g} MB)",
        where="body",
        example="파일을 나누어 보내세요 (send it in parts)",
    )


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)  # the error handler answers 413
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(too_large(limit).to_dict(), ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
