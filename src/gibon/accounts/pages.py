"""Pages: changing one's own password, and the administrator's account management."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from gibon.access.deps import require
from gibon.access.policy import Action
from gibon.accounts import admin, labels, service, sessions
from gibon.accounts.models import Role, SessionKind, User
from gibon.accounts.service import Actor
from gibon.db import utcnow
from gibon.errors import GibonError, InvalidInput, NotFound
from gibon.kit import gwanak
from gibon.web import auth
from gibon.web.deps import CurrentUser, DbSession, RecordId, audit_read, render

router = APIRouter(include_in_schema=False)
AdminUser = Depends(require(Action.change, "account"))
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, user: CurrentUser, next: str = "/") -> Any:
    return render(
        request,
        "accounts/password.html",
        next=auth.safe_next(next),
        error=None,
        must_change=user.must_change_password,
    )


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    current_password: str = Form("", max_length=200),
    new_password: str = Form("", max_length=200),
    confirm: str = Form("", max_length=200),
    next: str = Form("/"),
) -> Any:
    try:
        auth.change_password(request, db, user, current_password, new_password, confirm)
    except GibonError as problem:
        context = {"next": next, "error": problem, "must_change": user.must_change_password}
        return render(request, "accounts/password.html", problem.status, **context)
    # Every session ended, this one too: the browser that changed it gets a fresh one.
    issued = sessions.issue(db, user, SessionKind.cookie, auth.client_address(request), utcnow())
    response = RedirectResponse(auth.safe_next(next), status_code=303)
    auth.set_session_cookie(response, request, issued)
    return response


@router.get("/admin/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, db: DbSession, user: User = AdminUser) -> Any:
    """계정 관리: every staff account, its role, area, state and last sign-in."""
    return _list(request, db, user)


def _list(
    request: Request,
    db: DbSession,
    user: User,
    status: int = 200,
    **context: Any,
) -> Any:
    rows = admin.list_accounts(db, utcnow())
    audit_read(db, user, "user", None, "계정 관리 목록")
    context.setdefault("error", None)
    context.setdefault("form", {})
    context.setdefault("phone_for", None)
    page = render(
        request,
        "accounts/admin.html",
        status,
        rows=rows,
        roles=labels.ROLE_CHOICES,
        dongs=gwanak.dong_names(),
        L=labels,
        **context,
    )
    page.headers.update(NO_STORE)
    return page


@router.post("/admin/accounts", response_class=HTMLResponse)
def create_account(
    request: Request,
    db: DbSession,
    user: User = AdminUser,
    username: str = Form("", max_length=64),
    display_name: str = Form("", max_length=100),
    role: str = Form(""),
    dong: str = Form(""),
    organization_id: str = Form("", max_length=64),
) -> Any:
    form = {"username": username, "display_name": display_name, "role": role, "dong": dong}
    form["organization_id"] = organization_id
    try:
        role_enum = _role(role)
        created, temporary = admin.create_account(
            db,
            Actor.of(user),
            username=username.strip(),
            display_name=display_name,
            role=role_enum,
            dong=dong or None,
            organization_id=organization_id.strip() or None,
        )
    except GibonError as problem:
        db.rollback()
        return _list(request, db, user, problem.status, error=problem, form=form)
    return _issued(request, created, temporary, "새 계정을 만들었습니다")


@router.post("/admin/accounts/{user_id}/reset-password", response_class=HTMLResponse)
def reset_password(
    request: Request, db: DbSession, user_id: RecordId, user: User = AdminUser
) -> Any:
    target = _target(db, user_id)
    temporary = admin.reset_password(db, Actor.of(user), target, utcnow())
    return _issued(request, target, temporary, "비밀번호를 초기화했습니다")


@router.post("/admin/accounts/{user_id}/phone", response_class=HTMLResponse)
def set_phone(
    request: Request,
    db: DbSession,
    user_id: RecordId,
    phone: str = Form("", max_length=20),
    user: User = AdminUser,
) -> Any:
    target = _target(db, user_id)
    try:
        admin.set_phone(db, Actor.of(user), target, phone)
    except GibonError as problem:
        db.rollback()
        return _list(request, db, user, problem.status, error=problem, phone_for=target.id)
    done = (
        f"{target.display_name} ({target.username}): 사무실 전화를 {phone.strip() or '지웠습니다'}"
    )
    return _list(request, db, user, done=done + ("로 정했습니다" if phone.strip() else ""))


@router.post("/admin/accounts/{user_id}/{action}", response_class=HTMLResponse)
def account_action(
    request: Request, db: DbSession, user_id: RecordId, action: str, user: User = AdminUser
) -> Any:
    target, actor = _target(db, user_id), Actor.of(user)
    if action == "disable":
        message = labels.DONE["disable"].format(ended=admin.disable(db, actor, target, utcnow()))
    elif action == "enable":
        admin.enable(db, actor, target)
        message = labels.DONE["enable"]
    elif action == "unlock":
        message = labels.DONE["unlock" if admin.unlock(db, actor, target) else "unlock_none"]
    else:
        raise NotFound("없는 작업입니다", where="action", example="disable")
    return _list(request, db, user, done=f"{target.display_name} ({target.username}): {message}")


def _issued(request: Request, account: User, temporary: str, title: str) -> Any:
    page = render(
        request, "accounts/issued.html", account=account, temporary=temporary, title=title
    )
    page.headers.update(NO_STORE)
    return page


def _target(db: DbSession, user_id: int) -> User:
    target = service.get_user(db, user_id)
    if target is None:
        raise NotFound("그런 계정이 없습니다", where="user_id")
    return target


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            "역할을 목록에서 고르세요", where="role", example="dong_officer"
        ) from None
