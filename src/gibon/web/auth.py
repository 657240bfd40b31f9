"""Sign-in and sign-out (session cookie for pages, bearer tokens for the API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from gibon.accounts import service as accounts
from gibon.audit import service as audit
from gibon.errors import NotAuthenticated
from gibon.web.deps import TOKEN_MAX_AGE, CurrentUser, DbSession, render, token_serializer

router = APIRouter()


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/") -> Any:
    return render(request, "login.html", next=_safe_next(next), error=None, user=None)


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request,
    db: DbSession,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form("/"),
) -> Any:
    user = accounts.authenticate(db, username, password)
    if user is None:
        error = "아이디 또는 비밀번호가 맞지 않습니다."
        return render(request, "login.html", 401, next=next, error=error, user=None)
    request.session["user_id"] = user.id
    audit.record_on_commit(
        db, actor=user.username, role=user.role, action="login", resource="session"
    )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Any:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64, examples=["district"])
    password: str = Field(min_length=1, max_length=200, examples=["gibon-demo-1"])


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    dong: str | None
    organization_id: str | None


@router.post("/api/auth/token", response_model=TokenResponse, tags=["auth"])
def issue_token(request: Request, body: TokenRequest, db: DbSession) -> TokenResponse:
    """Exchange a username and password for a bearer token (8 hours)."""
    user = accounts.authenticate(db, body.username, body.password)
    if user is None:
        raise NotAuthenticated("아이디 또는 비밀번호가 맞지 않습니다", where="username")
    token = token_serializer(request).dumps(user.id)
    return TokenResponse(access_token=token, expires_in=TOKEN_MAX_AGE)


@router.get("/api/me", response_model=Me, tags=["auth"])
def me(user: CurrentUser) -> Me:
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        dong=user.dong,
        organization_id=user.organization_id,
    )
