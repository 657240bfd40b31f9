"""One handler per output format: JSON for /api, a Korean page (or a sign-in redirect) for pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from gibon.errors import Busy, Conflict, GibonError, NotAuthenticated
from gibon.web.deps import render


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


async def gibon_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GibonError)
    if wants_json(request):
        response: Response = JSONResponse(exc.to_dict(), status_code=exc.status)
    elif isinstance(exc, NotAuthenticated):
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    else:
        response = render(request, "error.html", status_code=exc.status, error=exc)
    if isinstance(exc, Busy):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"where": "", "message": "invalid input"}
    body = {
        "error": "InvalidInput",
        "message": f"{first['where']}: {first['message']}",
        "where": first["where"],
        "details": problems,
    }
    return JSONResponse(body, status_code=422)


async def stale_data(request: Request, exc: Exception) -> Response:
    return await gibon_error(
        request,
        Conflict(
            "다른 사람이 먼저 수정했습니다. 새로고침 후 다시 시도하세요 (edited by someone else)"
        ),
    )


# What the database drivers say when the server is full or SQLite's write lock was not free in time.
_BUSY_SIGNS = ("database is locked", "database table is locked", "too many clients")


async def database_busy(request: Request, exc: Exception) -> Response:
    """A pool timeout or a busy database is a 503 the client may retry, not a 500."""
    if isinstance(exc, OperationalError) and not any(s in str(exc.orig) for s in _BUSY_SIGNS):
        raise exc
    message = "데이터베이스가 바쁩니다. 잠시 후 다시 시도하세요 (database busy)"
    return await gibon_error(request, Busy(message))


def install(app: FastAPI) -> None:
    app.add_exception_handler(GibonError, gibon_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StaleDataError, stale_data)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(OperationalError, database_busy)
