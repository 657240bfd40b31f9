"""One handler per output format: JSON for /api, a Korean page (or a sign-in redirect) for pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gibon.errors import Conflict, GibonError, InvalidInput, NotAuthenticated, NotFound
from gibon.kit import problems
from gibon.web.deps import render


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


async def gibon_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GibonError)
    if wants_json(request):
        return JSONResponse(exc.to_dict(), status_code=exc.status)
    if isinstance(exc, NotAuthenticated):
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    page: Response = render(request, "error.html", status_code=exc.status, error=exc)
    return page


async def validation_error(request: Request, exc: Exception) -> Response:
    """Korean sentences naming each field by its label; JSON keeps the field path and the type."""
    assert isinstance(exc, RequestValidationError)
    found = problems.from_validation(exc.errors())
    first = found[0] if found else problems.Problem("", "", "입력을 확인해 주세요")
    if not wants_json(request):
        return await gibon_error(request, _page_problem(request, first))
    # The JSON keeps pydantic's full location ("body.password") as its field path.
    raw = {problems.path(e["loc"]): e for e in exc.errors()}
    details = [
        {
            "where": _full(raw[p.where]["loc"]),
            "label": p.label,
            "message": p.message,
            "type": raw[p.where]["type"],
        }
        for p in found
    ]
    body = {
        "error": "InvalidInput",
        "message": first.sentence(),
        "where": details[0]["where"] if details else "",
        "details": details,
    }
    return JSONResponse(body, status_code=422)


def _full(loc: Any) -> str:
    return ".".join(str(part) for part in loc)


def _page_problem(request: Request, problem: problems.Problem) -> GibonError:
    """A page's bad address (an id out of range, a word where a number goes) reads as not found."""
    if request.method == "GET" and problem.where in request.path_params:
        return NotFound("주소의 번호가 올바르지 않아 찾을 수 없습니다. 목록에서 다시 골라 주세요.")
    return InvalidInput(
        problem.sentence() if problem.label else f"입력을 확인해 주세요: {problem.message}"
    )


async def stale_data(request: Request, exc: Exception) -> Response:
    return await gibon_error(
        request,
        Conflict("다른 사람이 먼저 수정했습니다. 새로고침 후 다시 시도하세요"),
    )


_HTTP_KO = {
    404: "없는 주소입니다. 메뉴에서 다시 골라 주세요.",
    405: "이 주소에서는 할 수 없는 요청입니다.",
}


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (an unknown address): a Korean page, or Korean JSON under /api."""
    assert isinstance(exc, StarletteHTTPException)
    message = _HTTP_KO.get(exc.status_code, "요청을 처리할 수 없습니다.")
    if wants_json(request):
        body = {"error": "NotFound" if exc.status_code == 404 else "HTTPError", "message": message}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    error = (
        NotFound(message) if exc.status_code == 404 else GibonError(message, status=exc.status_code)
    )
    page: Response = render(request, "error.html", status_code=exc.status_code, error=error)
    return page


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(GibonError, gibon_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StaleDataError, stale_data)
