"""One handler per output format: JSON for /api, a Korean page (or a sign-in redirect) for pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from gibon.access import policy
from gibon.accounts.service import PasswordChangeRequired
from gibon.errors import Busy, Conflict, GibonError, InvalidInput, NotAuthenticated, NotFound
from gibon.kit import problems
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
        response: Response = JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)
    elif isinstance(exc, NotAuthenticated) and request.url.path.startswith("/my"):
        return RedirectResponse("/my/login", status_code=303)  # the resident's own sign-in
    elif isinstance(exc, NotAuthenticated):
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    elif isinstance(exc, PasswordChangeRequired):
        target = f"/account/password?next={quote(str(request.url.path))}"
        return RedirectResponse(target, status_code=303)
    else:
        response = render(request, "error.html", status_code=exc.status, error=exc)
    if headers:
        response.headers.update(headers)
    return response


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


_UNREADABLE_BODY = "There was an error parsing the body"  # FastAPI: the body did not decode
_HTTP_MESSAGES = {
    404: "없는 주소입니다. 메뉴에서 다시 골라 주세요.",
    405: "이 주소에서는 할 수 없는 요청입니다.",
}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, GibonError):  # e.g. TooLarge raised while FastAPI read the body
        return await gibon_error(request, exc.__cause__)
    message = _HTTP_MESSAGES.get(exc.status_code, "요청을 처리할 수 없습니다.")
    error: GibonError
    if exc.status_code == 404:
        error = NotFound(message, where=request.url.path)
    elif exc.detail == _UNREADABLE_BODY:
        message = "요청 본문을 읽을 수 없습니다. JSON은 UTF-8로 보내야 합니다"
        error = InvalidInput(message, where="body", example='{"username": "kim"}', status=400)
    else:
        error = GibonError(message, where=request.url.path, status=exc.status_code)
    response = await gibon_error(request, error)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


# What the database drivers say when the server is full or SQLite's write lock was not free in time.
_BUSY_SIGNS = ("database is locked", "database table is locked", "too many clients")


async def database_busy(request: Request, exc: Exception) -> Response:
    """A pool timeout or a busy database is a 503 the client may retry, not a 500."""
    if isinstance(exc, OperationalError) and not any(s in str(exc.orig) for s in _BUSY_SIGNS):
        raise exc
    message = "데이터베이스가 바쁩니다. 잠시 후 다시 시도하세요"
    return await gibon_error(request, Busy(message))


def install(app: FastAPI) -> None:
    app.add_exception_handler(GibonError, gibon_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StaleDataError, stale_data)
    app.add_exception_handler(HTTPException, http_error)
    document(app)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(OperationalError, database_busy)


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer of the JSON API."""

    error: str = Field(examples=["InvalidInput"], description="the condition, e.g. Conflict")
    message: str = Field(description="what was wrong, in Korean (with English in brackets)")
    where: str | None = Field(None, description="field path, line or record it concerns")
    example: str | None = Field(None, description="a valid value")
    details: Any = Field(None, description="e.g. each invalid field, or both versions on 409")


_DOCUMENTED = {
    "400": "본문을 읽을 수 없음 (body is not UTF-8 JSON)",
    "401": "로그인이 필요함 (not signed in)",
    "403": "이 계정의 역할·담당 지역으로는 할 수 없음 (forbidden by the access policy)",
    "404": "없는 기록 (not found)",
    "409": "다른 사람이 먼저 수정함, 또는 허용되지 않는 단계 (conflict)",
    "413": "본문이 너무 큼 (body too large)",
    "422": "잘못된 입력: 필드와 올바른 예 (invalid input)",
    "503": "요청이 몰림: Retry-After 뒤에 다시 (busy)",
}


def _applies(code: str, method: str, path: str, operation: dict[str, Any]) -> bool:
    has_body = "requestBody" in operation
    if code in ("401", "403"):  # every route the access policy guards
        return f"{method.upper()} {path}" not in policy.OPEN_ROUTES
    if code in ("400", "413"):
        return has_body
    if code == "404":  # a record named in the path or in the body may not exist
        return has_body or any(p.get("in") == "path" for p in operation.get("parameters", []))
    if code == "409":
        return method in ("post", "put", "patch", "delete")
    return True


def document(app: FastAPI) -> None:
    """Put gibon's error answers (shape and statuses) into the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = (
            ErrorBody.model_json_schema()
        )
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for code, text in _DOCUMENTED.items():
                    if _applies(code, method, path, operation):
                        responses[code] = {"description": text, "content": ref}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
