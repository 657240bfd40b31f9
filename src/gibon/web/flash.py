"""Errors of a small form shown back on the page it came from (not on a separate error page).

A one-row form (answer a referral, finish a follow-up) posts, fails, and redirects back to its
page; the errors and what was typed ride along once in the signed session cookie, and the
next page rendered shows them next to that row's form.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

KEY = "flash"


def keep(request: Request, form_id: str, errors: dict[str, str], values: dict[str, Any]) -> None:
    small = {k: str(v)[:500] for k, v in values.items() if k not in ("version", "back")}
    request.session[KEY] = {"id": form_id, "errors": errors, "values": small}


def take(request: Request) -> dict[str, Any]:
    """The kept errors, once (an empty mapping when there are none)."""
    if "session" not in request.scope:
        return {}
    found: dict[str, Any] = request.session.pop(KEY, None) or {}
    return found
