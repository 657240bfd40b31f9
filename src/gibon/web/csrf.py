"""Cross-site request forgery: a per-session token in every form, and an Origin check.

A browser sends the session cookie with any request, even one a foreign page makes it send; a
state-changing request that rides on the cookie must therefore prove it came from a gibon page:
its Origin (or Referer) names this host, and it carries the session's token (a hidden form field,
or the ``X-CSRF-Token`` header). Requests signed with a bearer token are exempt: a browser never
adds that header on its own.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from jinja2 import pass_context
from markupsafe import Markup

from gibon.errors import Forbidden

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SESSION_KEY = "csrf"
SESSION_COOKIE = "gibon_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CrossSiteRequest(Forbidden):
    """A state-changing request that did not come from one of gibon's own pages."""


def token(request: Request) -> str:
    """The session's token, created on first use."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = value
    return value


@pass_context
def field(context: dict[str, Any]) -> Markup:
    """``{{ csrf_field() }}`` inside every ``<form method="post">``."""
    return field_of(context["request"])


def field_of(request: Request) -> Markup:
    """The hidden form field carrying the session's token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token(request))


async def protect(request: Request) -> None:
    """An app-wide dependency: refuse a cookie-authenticated unsafe request from elsewhere."""
    if request.method in SAFE_METHODS or request.headers.get("authorization"):
        return
    if SESSION_COOKIE not in request.cookies:
        return  # no ambient credentials to abuse
    _check_origin(request)
    await _check_token(request)


def _check_origin(request: Request) -> None:
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return  # some browsers send neither; the token still has to match
    if urlsplit(source).netloc != request.headers.get("host", ""):
        raise CrossSiteRequest(
            "다른 사이트에서 보낸 요청은 받지 않습니다. gibon 화면에서 다시 시도하세요",
            where="Origin",
        )


async def _check_token(request: Request) -> None:
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get(SESSION_KEY)
    if not (sent and isinstance(expected, str) and hmac.compare_digest(sent, expected)):
        raise CrossSiteRequest(
            "보안 확인 값이 맞지 않습니다. 페이지를 새로 고친 뒤 다시 보내세요",
            where=FIELD,
        )
