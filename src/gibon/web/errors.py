"""One handler per output format: JSON for /api, a Korean page (or a sign-in redirect) for pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError

from gibon.errors import Conflict, GibonError, NotAuthenticated
from gibon.web.deps import render


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


async def gibon_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GibonError)
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry is not None else None
    if wants_json(request):
        return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)
    if isinstance(exc, NotAuthenticated):
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    page: Response = render(request, "error.html", status_code=exc.status, error=exc)
    return page


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


def install(app: FastAPI) -> None:
    app.add_exception_handler(GibonError, gibon_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StaleDataError, stale_data)
