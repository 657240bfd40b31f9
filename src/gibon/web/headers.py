"""Security headers on every response; no caching of anything but static files."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",  # no inline script: page scripts live in /static
        "style-src 'self' 'unsafe-inline'",  # style attributes in templates and reports
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# FastAPI's own API explorers load their script and style from a CDN; they carry no personal data
# and get every header but the CSP.
NO_CSP = ("/docs", "/redoc")


class SecurityHeaders:
    """Pure ASGI middleware, so streamed and file responses get the headers too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _add(list(message.get("headers", [])), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _add(headers: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    extra = [(k, v) for k, v in HEADERS if k not in present]
    if not path.startswith(NO_CSP):
        extra.append((b"content-security-policy", CSP.encode()))
    if b"cache-control" not in present and not path.startswith("/static/"):
        extra.append((b"cache-control", b"no-store"))
    return headers + extra
