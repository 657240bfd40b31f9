"""Pages of the resident's window (주민 창구): sign-in, /my, /my/records, applying for 돌봄."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from gibon.access.deps import require
from gibon.access.policy import Action
from gibon.accounts import identity, sessions
from gibon.accounts import service as accounts
from gibon.accounts.models import SessionKind, User
from gibon.benefits import labels
from gibon.care import deadlines
from gibon.db import utcnow
from gibon.errors import GibonError, NotAuthenticated
from gibon.web import auth, filters
from gibon.web.deps import DbSession, render
from gibon.window import service

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}

MyHousehold = Annotated[User, Depends(require(Action.view, "my_household"))]
MyRecords = Annotated[User, Depends(require(Action.view, "my_records"))]
CareApplicant = Annotated[User, Depends(require(Action.create, "care_application"))]


def verifier_for(request: Request, db: DbSession) -> identity.IdentityVerifier:
    """The configured identity verifier (production: ``app.state.identity_verifier``), else the
    demo verifier over the demo residents."""
    configured = getattr(request.app.state, "identity_verifier", None)
    return configured if configured is not None else service.demo_verifier(db)


@router.get("/my/login", response_class=HTMLResponse)
def login_form(request: Request) -> Any:
    return render(request, "window/login.html", error=None, user=None)


@router.post("/my/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DbSession,
    login: str = Form("", max_length=64),
    secret: str = Form("", max_length=200),
) -> Any:
    if not login or not secret:
        error = "아이디와 비밀번호를 모두 적어 주세요 (예: 아이디 elder-kim)"
        return render(request, "window/login.html", 422, error=error, user=None)
    address, now = auth.client_address(request), utcnow()
    verdict = service.begin(db, login, address, now)
    db.commit()  # the count holds before any verification work; a refusal's record is kept
    try:
        if not verdict.allowed:
            raise accounts.TooManyAttempts(verdict.retry_after, verdict.locked)
        verifier = verifier_for(request, db)
        user = service.finish(db, verifier, identity.Credentials(login, secret), address, now)
    except (accounts.TooManyAttempts, NotAuthenticated) as refused:
        db.commit()
        page = render(request, "window/login.html", refused.status, error=refused.message)
        if isinstance(refused, accounts.TooManyAttempts):
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    issued = sessions.issue(db, user, SessionKind.cookie, address, now)
    accounts.record_sign_in(db, user, address, "login", service.CHANNEL)
    response = RedirectResponse("/my", status_code=303)
    auth.set_session_cookie(response, request, issued)
    return response


def _month() -> str:
    return datetime.now(filters.SEOUL).strftime("%Y-%m")


@router.get("/my", response_class=HTMLResponse)
def my_page(request: Request, db: DbSession, user: MyHousehold) -> Any:
    return _my(request, db, user)


def _my(request: Request, db: DbSession, user: User, status: int = 200, **context: Any) -> Any:
    home = service.home(db, user, "본인 가구·급여 확인")
    month = _month()
    rows = service.entitlements(home, month)
    context.setdefault("error", None)
    applied = request.query_params.get("applied") == "1"
    context.setdefault(
        "done", "돌봄 신청을 받았어요. 담당 공무원이 연락드릴 거예요" if applied else None
    )
    page = render(
        request,
        "window/my.html",
        status,
        home=home,
        month=month,
        rows=rows,
        groups=[(s, [r for r in rows if r.state == s]) for s in ("yes", "more", "no")],
        applications=service.applications(db, home.person.id),
        tenure=labels.TENURE.get(home.household.tenure, "기타"),
        relation=labels.RELATION,
        disability=labels.DISABILITY,
        **context,
    )
    page.headers.update(NO_STORE)
    return page


@router.post("/my/care", response_class=HTMLResponse)
def apply(
    request: Request,
    db: DbSession,
    user: CareApplicant,
    agree: str = Form(""),
    share: str = Form(""),
) -> Any:
    if agree != "yes":
        error = "신청하려면 ‘조사와 판정을 위해 내 정보를 쓰는 것에 동의해요’에 표시해 주세요"
        return _my(request, db, user, 422, error=error)
    home = service.home(db, user, "통합돌봄 신청")
    try:
        service.apply_for_care(db, user, home, share == "yes", deadlines.today())
    except GibonError as problem:
        db.rollback()
        return _my(request, db, user, problem.status, error=problem.message)
    return RedirectResponse("/my?applied=1#apply", status_code=303)


@router.get("/my/records", response_class=HTMLResponse)
def records_page(request: Request, db: DbSession, user: MyRecords) -> Any:
    home = service.home(db, user, "본인 열람 기록 확인")
    looks = service.records(db, user, home)
    page = render(request, "window/records.html", home=home, looks=looks)
    page.headers.update(NO_STORE)
    return page
