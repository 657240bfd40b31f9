"""Pages of the resident's window (주민 창구): sign-in, /my, /my/records, applying for 돌봄."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gibon.access import policy
from gibon.access.deps import MyConsents, MyDocuments, MyRequests, MyWhatIf, require
from gibon.access.policy import Action
from gibon.accounts import identity, sessions
from gibon.accounts import service as accounts
from gibon.accounts.models import SessionKind, User
from gibon.benefits import labels
from gibon.care import deadlines
from gibon.db import utcnow
from gibon.errors import GibonError, NotAuthenticated
from gibon.kit import gwanak
from gibon.web import auth, filters, home
from gibon.web.deps import DbSession, render
from gibon.window import acting, consents, documents, requests, service, whatif, words
from gibon.window import labels as window_labels

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}

MyHousehold = Annotated[User, Depends(require(Action.view, "my_household"))]
MyRecords = Annotated[User, Depends(require(Action.view, "my_records"))]
CareApplicant = Annotated[User, Depends(require(Action.create, "care_application"))]


def me_of(request: Request, db: DbSession, user: User) -> acting.Me:
    """Whom this request acts for: oneself, or the person the chosen guardianship names."""
    return acting.me(db, user, request.cookies.get(acting.COOKIE), deadlines.today())


def display(request: Request) -> dict[str, Any]:
    """Language and large type, from the resident's own cookies (set by ``POST /my/display``)."""
    lang = words.lang_of(request.cookies)
    return {
        "T": words.words(lang),
        "page_lang": lang,
        "large": request.cookies.get(words.LARGE_COOKIE) == "1",
        "langs": words.LANGS,
    }


def page(request: Request, template: str, me: acting.Me, status: int = 200, **context: Any) -> Any:
    """A resident's page: never cached, and saying whom it is for when a guardian acts."""
    answer = render(request, template, status, me=me, **display(request), **context)
    answer.headers.update(NO_STORE)
    return answer


def verifier_for(request: Request, db: DbSession) -> identity.IdentityVerifier:
    """The configured identity verifier (production: ``app.state.identity_verifier``), else the
    demo verifier over the demo residents."""
    configured = getattr(request.app.state, "identity_verifier", None)
    return configured if configured is not None else service.demo_verifier(db)


@router.get("/my/login", response_class=HTMLResponse)
def login_form(request: Request) -> Any:
    return render(
        request,
        "window/login.html",
        error=None,
        user=None,
        loading=home.demo_loading(request),
        **display(request),
    )


@router.post("/my/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DbSession,
    login: str = Form("", max_length=64),
    secret: str = Form("", max_length=200),
) -> Any:
    if not login or not secret:
        error = "아이디와 비밀번호를 모두 적어 주세요 (예: 아이디 elder-kim)"
        return render(request, "window/login.html", 422, error=error, user=None, **display(request))
    waiting = auth.while_demo_loads(
        request, "window/login.html", error=None, user=None, **display(request)
    )
    if waiting is not None:
        return waiting
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
        page = render(
            request, "window/login.html", refused.status, error=refused.message, **display(request)
        )
        if isinstance(refused, accounts.TooManyAttempts):
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    issued = sessions.issue(db, user, SessionKind.cookie, address, now)
    accounts.record_sign_in(db, user, address, "login", service.CHANNEL)
    response = RedirectResponse("/my", status_code=303)
    auth.set_session_cookie(response, request, issued)
    return response


DONE = {
    "applied": "돌봄 신청을 받았어요. 담당 공무원이 연락드릴 거예요",
    "corrected": "정정 요청을 보냈어요. 담당 공무원이 확인하고 고쳐요. 그때까지는 ‘처리 중’이에요",
    "requested": "신청을 요청했어요. 동 주민센터에서 연락드려요",
}


def _act(
    request: Request,
    db: DbSession,
    user: User,
    purpose: str,
    act: Callable[[acting.Me, service.Home], object],
    done: str,
    again: Callable[..., Any] | None = None,
) -> Any:
    """One thing the resident does on their household, then ``done``; refused, the page it came
    from (``again``, by default /my) says why in Korean and nothing of it is kept."""
    me = me_of(request, db, user)
    home = service.home(db, me, purpose)
    try:
        act(me, home)
    except GibonError as problem:
        db.rollback()
        return (again or _my)(request, db, user, problem.status, error=problem.message)
    return RedirectResponse(done, status_code=303)


def _month() -> str:
    return datetime.now(filters.SEOUL).strftime("%Y-%m")


@router.get("/my", response_class=HTMLResponse)
def my_page(request: Request, db: DbSession, user: MyHousehold) -> Any:
    return _my(request, db, user)


def _my(request: Request, db: DbSession, user: User, status: int = 200, **context: Any) -> Any:
    me = me_of(request, db, user)
    home = service.home(db, me, "가구·급여 확인")
    month = _month()
    rows = service.entitlements(home, month)
    got = service.receiving(db, home, rows, month)
    mine = requests.mine(db, me)
    context.setdefault("error", None)
    context.setdefault("done", DONE.get(next(iter(request.query_params), "")))
    return page(
        request,
        "window/my.html",
        me,
        status,
        home=home,
        month=month,
        rows=rows,
        got=got,
        groups=[(s, [r for r in rows if r.state == s]) for s in ("yes", "more", "no")],
        applications=service.applications(db, home.person.id),
        tenure=labels.TENURE.get(home.household.tenure, "기타"),
        relation=labels.RELATION,
        disability=labels.DISABILITY,
        fields=window_labels.CORRECTION_FIELDS,
        examples=window_labels.CORRECTION_EXAMPLES,
        pending=[r for r in mine if r.kind == "correction"],
        asked={r.field: r for r in mine if r.kind == "application"},
        request_status=window_labels.REQUEST_STATUS,
        **context,
    )


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
    return _act(
        request,
        db,
        user,
        "통합돌봄 신청",
        lambda me, home: service.apply_for_care(db, me, home, share == "yes", deadlines.today()),
        "/my?applied=1#apply",
    )


@router.get("/my/records", response_class=HTMLResponse)
def records_page(request: Request, db: DbSession, user: MyRecords) -> Any:
    return _records(request, db, user)


def _records(request: Request, db: DbSession, user: User, status: int = 200, **ctx: Any) -> Any:
    me = me_of(request, db, user)
    home = service.home(db, me, "열람 기록 확인")
    looks = service.records(db, me, home)
    asked = [r for r in requests.mine(db, me) if r.kind == "explanation"]
    ctx.setdefault("error", None)
    if request.query_params.get("asked") == "1":
        ctx.setdefault("done", "설명 요청을 보냈어요. 구청 담당자가 답하면 아래에 보여드려요")
    return page(
        request,
        "window/records.html",
        me,
        status,
        home=home,
        looks=looks,
        asked=asked,
        request_status=window_labels.REQUEST_STATUS,
        **ctx,
    )


@router.post("/my/records/explain", response_class=HTMLResponse)
def ask_explanation(
    request: Request,
    db: DbSession,
    user: MyRequests,
    entry: int = Form(0),
    text: str = Form("", max_length=2000),
) -> Any:
    return _act(
        request,
        db,
        user,
        "열람 기록 설명 요청",
        lambda me, home: requests.ask_explanation(db, me, home, entry, text),
        "/my/records?asked=1#asked",
        again=_records,
    )


@router.post("/my/corrections", response_class=HTMLResponse)
def ask_correction(
    request: Request,
    db: DbSession,
    user: MyRequests,
    field: str = Form("", max_length=24),
    value: str = Form("", max_length=400),
    text: str = Form("", max_length=2000),
) -> Any:
    return _act(
        request,
        db,
        user,
        "가구 정보 정정 요청",
        lambda me, home: requests.ask_correction(db, me, home, field, value, text),
        "/my?corrected=1#household",
    )


@router.post("/my/apply", response_class=HTMLResponse)
def ask_to_apply(
    request: Request,
    db: DbSession,
    user: MyRequests,
    program: str = Form("", max_length=40),
) -> Any:
    """신청하기 on a program: the dong office is asked to take the application, prefilled."""
    return _act(
        request,
        db,
        user,
        "급여 신청 요청",
        lambda me, home: requests.ask_to_apply(db, me, home, program, _month()),
        "/my?requested=1#benefit-title",
    )


@router.get("/my/consents", response_class=HTMLResponse)
def consents_page(request: Request, db: DbSession, user: MyHousehold) -> Any:
    return _consents(request, db, user)


def _consents(request: Request, db: DbSession, user: User, status: int = 200, **ctx: Any) -> Any:
    me = me_of(request, db, user)
    home = service.home(db, me, "내 동의 확인")
    ctx.setdefault("error", None)
    if request.query_params.get("withdrawn") == "1":
        ctx.setdefault("done", "동의를 철회했어요. 지금부터 적용되고, 담당 공무원에게도 알렸어요")
    rows = consents.mine(db, me)
    return page(request, "window/consents.html", me, status, home=home, rows=rows, **ctx)


@router.post("/my/consents/withdraw", response_class=HTMLResponse)
def withdraw_consent(
    request: Request, db: DbSession, user: MyConsents, consent: int = Form(0)
) -> Any:
    me = me_of(request, db, user)
    try:
        consents.withdraw(db, me, consent)
    except GibonError as problem:
        if isinstance(problem, policy.Refused):
            raise
        db.rollback()
        return _consents(request, db, user, problem.status, error=problem.message)
    return RedirectResponse("/my/consents?withdrawn=1", status_code=303)


@router.post("/my/acting", response_class=HTMLResponse)
def choose_whom(request: Request, db: DbSession, user: MyHousehold, whom: str = Form("")) -> Any:
    """A guardian switches between themselves and the persons they may act for."""
    me = acting.me(db, user, whom, deadlines.today())
    response = RedirectResponse("/my", status_code=303)
    if me.guardianship is None:
        response.delete_cookie(acting.COOKIE, path="/my")
    else:
        response.set_cookie(
            acting.COOKIE,
            str(me.guardianship.id),
            path="/my",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


@router.get("/my/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, db: DbSession, user: MyHousehold) -> Any:
    return _whatif(request, db, user)


def _whatif(request: Request, db: DbSession, user: User, status: int = 200, **ctx: Any) -> Any:
    me = me_of(request, db, user)
    home = service.home(db, me, ctx.pop("purpose", "생활 변화 모의 계산 화면"))
    ctx.setdefault("error", None)
    ctx.setdefault("changes", None)
    ctx.setdefault("form", {})
    return page(
        request,
        "window/whatif.html",
        me,
        status,
        home=home,
        events=whatif.EVENTS,
        dongs=gwanak.dong_names(),
        month=_month(),
        **ctx,
    )


@router.post("/my/whatif", response_class=HTMLResponse)
def whatif_compute(
    request: Request,
    db: DbSession,
    user: MyWhatIf,
    event: str = Form("", max_length=8),
    income: str = Form("", max_length=20),
    rent: str = Form("", max_length=20),
    deposit: str = Form("", max_length=20),
    dong: str = Form("", max_length=20),
) -> Any:
    """Recomputed for the household with the event applied; nothing is stored."""
    form = {"event": event, "income": income, "rent": rent, "deposit": deposit, "dong": dong}
    try:
        chosen = whatif.parse(event, income, rent, deposit, dong)
    except GibonError as problem:
        return _whatif(request, db, user, problem.status, error=problem.message, form=form)
    me = me_of(request, db, user)
    home = service.home(db, me, "생활 변화 모의 계산 (저장 없음)")
    changes = whatif.compare(home, chosen, _month(), deadlines.today())
    return page(
        request,
        "window/whatif.html",
        me,
        home=home,
        events=whatif.EVENTS,
        dongs=gwanak.dong_names(),
        month=_month(),
        error=None,
        changes=changes,
        chosen=whatif.EVENTS[chosen.kind],
        form=form,
    )


YEAR = 365 * 24 * 3600


@router.post("/my/display")
def set_display(
    request: Request,
    large: str = Form("", max_length=1),
    lang: str = Form("", max_length=2),
    back: str = Form("/my", max_length=40),
) -> Any:
    """Large type and language for the window's pages: two cookies, nothing personal."""
    target = back if back.startswith("/my") and "//" not in back else "/my"
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    if large in ("0", "1"):
        response.set_cookie(
            words.LARGE_COOKIE, large, max_age=YEAR, samesite="lax", httponly=True, secure=secure
        )
    if lang in words.LANGS:
        response.set_cookie(
            words.LANG_COOKIE, lang, max_age=YEAR, samesite="lax", httponly=True, secure=secure
        )
    return response


@router.get("/my/documents", response_class=HTMLResponse)
def documents_page(request: Request, db: DbSession, user: MyHousehold) -> Any:
    me = me_of(request, db, user)
    home = service.home(db, me, "내 문서 목록")
    found = documents.listing(db, me)
    return page(
        request, "window/documents.html", me, home=home, docs=found, kinds=documents.FOLLOWUP_KINDS
    )


def _download(body: bytes | str, media: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', **NO_STORE}
    return Response(body, media_type=media, headers=headers)


@router.get("/my/documents/plan.pdf")
def plan_pdf(
    request: Request,
    db: DbSession,
    user: MyDocuments,
    case: int = Query(0, ge=0, le=2_000_000_000),
    number: int = Query(1, ge=1, le=1000),
) -> Response:
    pdf = documents.plan_pdf(db, me_of(request, db, user), case, number)
    return _download(pdf, "application/pdf", f"support-plan-{number}.pdf")


@router.get("/my/documents/decision.pdf")
def decision_pdf(
    request: Request,
    db: DbSession,
    user: MyDocuments,
    decision: int = Query(0, ge=0, le=2_000_000_000),
) -> Response:
    pdf = documents.decision_pdf(db, me_of(request, db, user), decision)
    return _download(pdf, "application/pdf", "care-decision.pdf")


@router.get("/my/documents/guide.pdf")
def guide_pdf(
    request: Request,
    db: DbSession,
    user: MyDocuments,
    visit: int = Query(0, ge=0, le=2_000_000_000),
) -> Response:
    pdf = documents.guide_pdf(db, me_of(request, db, user), visit)
    return _download(pdf, "application/pdf", "medication-guide.pdf")


@router.get("/my/documents/visits.ics")
def visits_ics(request: Request, db: DbSession, user: MyDocuments) -> Response:
    ics = documents.calendar(db, me_of(request, db, user), deadlines.today())
    return _download(ics, "text/calendar; charset=utf-8", "care-visits.ics")
