"""Sign-in and sign-out: a server-side session cookie for pages, short-lived bearer tokens for the API.

The cookie and the token hold only a random id; the session lives in ``user_sessions`` and ends
at sign-out, at a password change or reset, and when the account is disabled. Every attempt is
throttled before the password is checked, and every outcome is audited (failures in their own
commit, so a refused request keeps its record).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from gibon.accounts import service as accounts
from gibon.accounts import sessions
from gibon.accounts.models import SessionKind, User, UserSession
from gibon.db import utcnow
from gibon.errors import InvalidInput, NotAuthenticated
from gibon.web.deps import SESSION_COOKIE, CurrentUser, DbSession, OptionalUser, render
from gibon.web.home import demo_loading

router = APIRouter()

WRONG = "아이디 또는 비밀번호가 맞지 않습니다"


def safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


def client_address(request: Request) -> str:
    """The peer address; behind a proxy uvicorn sets it from X-Forwarded-For, but only for the
    proxies listed in FORWARDED_ALLOW_IPS."""
    return request.client.host if request.client else "unknown"


def cookie_secure(request: Request) -> bool:
    mode = request.app.state.settings.cookie_secure
    return mode == "true" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookie(response: Response, request: Request, issued: sessions.Issued) -> None:
    # SameSite=Lax: a link from another site (a 새올 notice, a mail) opens gibon signed in, while
    # cross-site POSTs, frames and scripts carry no cookie; GET handlers change nothing.
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.lifetime_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
    )


def check_password(
    request: Request, db: Session, username: str, password: str, channel: str
) -> User:
    """Throttle, then verify; commits the attempt's count and any failure's audit row."""
    now, address = utcnow(), client_address(request)
    verdict = accounts.begin_sign_in(db, username, address, now, channel)
    db.commit()  # the count holds before any argon2 work, and a refusal's record is kept
    if not verdict.allowed:
        raise accounts.TooManyAttempts(verdict.retry_after, verdict.locked)
    user = accounts.finish_sign_in(db, username, password, address, now, channel)
    db.commit()
    if user is None:
        raise NotAuthenticated(WRONG, where="username")
    return user


def while_demo_loads(request: Request, template: str, **context: Any) -> Response | None:
    """A sign-in page's answer while `gibon serve --load-demo` is still loading, else None.

    The demo accounts (staff and residents) are written in the load's one transaction, at its
    end: until then a sign-in would wait on the database's write lock and then read "wrong
    password". It is answered at once with the load's progress (503, Retry-After).
    """
    loading = demo_loading(request)
    if loading is None:
        return None
    page: Response = render(request, template, 503, loading=loading, **context)
    page.headers["Retry-After"] = "5"
    return page


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/") -> Any:
    return render(
        request,
        "login.html",
        next=safe_next(next),
        error=None,
        user=None,
        loading=demo_loading(request),
    )


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request,
    db: DbSession,
    username: str = Form("", max_length=64),
    password: str = Form("", max_length=200),
    next: str = Form("/"),
) -> Any:
    if not username or not password:
        error = "아이디와 비밀번호를 모두 적으세요"
        return render(request, "login.html", 422, next=next, error=error, user=None)
    waiting = while_demo_loads(request, "login.html", next=next, error=None, user=None)
    if waiting is not None:
        return waiting
    try:
        user = check_password(request, db, username, password, "로그인 화면")
    except (accounts.TooManyAttempts, NotAuthenticated) as refused:
        status = refused.status
        page = render(request, "login.html", status, next=next, error=refused.message, user=None)
        if isinstance(refused, accounts.TooManyAttempts):
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    _end_cookie_session(request, db, "replaced")
    issued = sessions.issue(db, user, SessionKind.cookie, client_address(request), utcnow())
    accounts.record_sign_in(db, user, client_address(request), "login", "로그인 화면")
    target = safe_next(next)
    if user.must_change_password:
        target = f"/account/password?next={quote(target)}"
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, issued)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: DbSession, user: OptionalUser) -> Any:
    row = _end_cookie_session(request, db, "signed_out")
    if user is not None and row is not None:
        accounts.record_sign_in(db, user, client_address(request), "logout", "로그인 화면")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _end_cookie_session(request: Request, db: Session, reason: str) -> UserSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    row = sessions.find(db, token, SessionKind.cookie, utcnow()) if token else None
    if row is not None:
        sessions.revoke(row, utcnow(), reason)
    return row


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64, examples=["district"])
    password: str = Field(min_length=1, max_length=200, examples=["gibon-demo-1"])


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the token ends; renew before then")
    password_change_required: bool = False


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200, examples=["관악산-봄날-산책길-2026"])


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    dong: str | None
    organization_id: str | None
    password_change_required: bool


@router.post(
    "/api/auth/token",
    response_model=TokenResponse,
    tags=["auth"],
    responses={
        401: {"description": "wrong username or password"},
        429: {"description": "throttled"},
    },
)
def issue_token(request: Request, body: TokenRequest, db: DbSession) -> Any:
    """Exchange a username and password for a bearer token (30 minutes, renewable)."""
    try:
        user = check_password(request, db, body.username, body.password, "API 토큰")
    except accounts.TooManyAttempts as refused:
        headers = {"Retry-After": str(refused.retry_after)}
        return JSONResponse(refused.to_dict(), status_code=429, headers=headers)
    issued = sessions.issue(db, user, SessionKind.bearer, client_address(request), utcnow())
    accounts.record_sign_in(db, user, client_address(request), "token_issued", "API 토큰")
    return _token(issued, user)


@router.post("/api/auth/token/renew", response_model=TokenResponse, tags=["auth"])
def renew_token(request: Request, db: DbSession, user: OptionalUser) -> TokenResponse:
    """Replace the bearer token sent by a fresh one; the old one stops working at once.

    Renewal never goes past 8 hours after the password was checked."""
    row: UserSession | None = getattr(request.state, "user_session", None)
    if user is None or row is None or row.kind != SessionKind.bearer.value:
        raise NotAuthenticated("유효한 API 토큰이 필요합니다", where="Authorization")
    issued = sessions.renew(db, row, user, utcnow())
    accounts.record_sign_in(db, user, client_address(request), "token_renewed", "API 토큰")
    return _token(issued, user)


@router.post("/api/auth/logout", status_code=204, tags=["auth"])
def revoke_token(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """End the session the request carries (bearer token or cookie)."""
    row: UserSession | None = getattr(request.state, "user_session", None)
    if row is not None:
        sessions.revoke(row, utcnow(), "signed_out")
    accounts.record_sign_in(db, user, client_address(request), "logout", "API 토큰")
    return Response(status_code=204)


def _token(issued: sessions.Issued, user: User) -> TokenResponse:
    return TokenResponse(
        access_token=issued.token,
        expires_in=issued.lifetime_seconds,
        password_change_required=user.must_change_password,
    )


@router.get("/api/me", response_model=Me, tags=["auth"])
def me(user: CurrentUser) -> Me:
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        dong=user.dong,
        organization_id=user.organization_id,
        password_change_required=user.must_change_password,
    )


@router.post("/api/me/password", status_code=204, tags=["auth"], responses={422: {}, 429: {}})
def change_my_password(
    request: Request, body: PasswordChange, db: DbSession, user: CurrentUser
) -> Response:
    """Change your own password; every session of yours ends, this token too."""
    change_password(request, db, user, body.current_password, body.new_password, body.new_password)
    return Response(status_code=204)


def change_password(
    request: Request, db: Session, user: User, current: str, new: str, confirm: str
) -> None:
    """Check the current password through the sign-in throttle, then set the new one."""
    username = user.username
    if not current:
        raise InvalidInput("지금 비밀번호를 적으세요", where="current_password")
    try:
        check_password(request, db, username, current, "비밀번호 변경")
    except NotAuthenticated:
        raise InvalidInput("지금 비밀번호가 맞지 않습니다", where="current_password") from None
    fresh = accounts.get_user(db, user.id)
    assert fresh is not None
    accounts.change_password(db, fresh, current, new, confirm, utcnow())
