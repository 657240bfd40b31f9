"""A lean HTTP/1.1 load client: warm keep-alive connections, requests encoded once.

The server and the load generator share the 2-core machine, so every millisecond the client
spends per request is a millisecond the server does not get. httpx costs about as much CPU per
request as a cheap endpoint (GET /health: a burst of 50 answered at p95 536 ms although the
server spends 3 ms on each), which made the client, not the server, the floor of the figures.
Here a request is a pre-encoded byte string written to a connection opened and warmed before the
clock starts, and an answer is read as: status line, headers up to the blank line, then
Content-Length bytes (or the chunks of a chunked body).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    cookies: tuple[bytes, ...] = ()  # "name=value" of each Set-Cookie


def request_bytes(
    host: str, port: int, path: str, token: str | None, cookies: tuple[bytes, ...] = ()
) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/html"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if cookies:
        lines.append("Cookie: " + "; ".join(c.decode("latin-1") for c in cookies))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Connection:
    """One keep-alive connection sending one pre-encoded request again and again."""

    def __init__(self, host: str, port: int, request: bytes) -> None:
        self.host, self.port, self.request = host, port, request
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def get(self) -> Answer:
        if self._writer is None or self._reader is None:
            await self.open()
        assert self._reader is not None and self._writer is not None
        self._writer.write(self.request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status, length, chunked, close, cookies = _head(head)
        if chunked:
            body = await _chunks(self._reader)
        else:
            body = await self._reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return Answer(status, body, cookies)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


def _head(head: bytes) -> tuple[int, int, bool, bool, tuple[bytes, ...]]:
    """Status, Content-Length, chunked?, connection closing?, cookies set, from a response's
    head."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, close = 0, False, False
    cookies: list[bytes] = []
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = b"close" in value.lower()
        elif name == b"set-cookie":
            cookies.append(value.split(b";", 1)[0].strip())
    return status, length, chunked, close, tuple(cookies)


async def _chunks(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are sent by uvicorn
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def connections(
    host: str, port: int, path: str, tokens: list[str | None]
) -> list[Connection]:
    """One connection per token, each opened and answered once (warm) before it is handed out.

    A cookie the warm-up answer sets (the CSRF session a page's forms create) is sent from then
    on, as a browser or httpx's cookie jar would."""
    made = [Connection(host, port, request_bytes(host, port, path, t)) for t in tokens]
    await asyncio.gather(*(c.open() for c in made))
    warm = await asyncio.gather(*(c.get() for c in made))
    for c, t, answer in zip(made, tokens, warm, strict=True):
        if answer.cookies:
            c.request = request_bytes(host, port, path, t, answer.cookies)
    return made
