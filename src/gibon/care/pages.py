"""Korean pages: work queue, intake, case detail with the whole path, plan compare, dashboard."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gibon.access import assignees, policy
from gibon.access.deps import CareStatistics, CaseLister, CaseOpener, CaseReader, PersonSearcher
from gibon.access.policy import Action, Scope
from gibon.accounts.models import User
from gibon.care import (
    closing,
    dashboard,
    deadlines,
    forms,
    income,
    labels,
    notices,
    plans,
    queues,
    referrals,
    repository,
    scope,
    sentences,
    service,
    settings,
)
from gibon.care.assessment import NeedLevel
from gibon.care.schemas import CaseCreate, Id
from gibon.care.transitions import CaseStatus, allowed_actions
from gibon.errors import Forbidden, GibonError
from gibon.kit import gwanak
from gibon.web import dongmap
from gibon.web.deps import DbSession, render
from gibon.window import repository as window_repository

router = APIRouter(prefix="/care", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    db: DbSession,
    user: CaseLister,
    status: str = Query("open", max_length=16),
    due: str = Query("", max_length=8),
    dong: str = Query("", max_length=20),
    mine: bool = False,
    page: int = Query(1, ge=1, le=10_000),
) -> Any:
    """업무 목록: the cases to work on, most urgent first (searches go by POST, not in the URL)."""
    return _queue(request, db, user, status, due, "", dong, mine, page)


@router.post("", response_class=HTMLResponse)
def queue_search(
    request: Request,
    db: DbSession,
    user: CaseLister,
    status: str = Form("open", max_length=16),
    due: str = Form("", max_length=8),
    q: str = Form("", max_length=40),
    dong: str = Form("", max_length=20),
    mine: bool = Form(False),
    page: int = Form(1, ge=1, le=10_000),
) -> Any:
    """The work queue searched by name or resident number, sent in the body so it stays out of
    URLs, browser history and access logs."""
    return _queue(request, db, user, status, due, q, dong, mine, page)


def _queue(
    request: Request,
    db: DbSession,
    user: User,
    status: str,
    due: str,
    q: str,
    dong: str,
    mine: bool,
    page: int,
) -> Any:
    error = None
    req = queues.QueueRequest(
        dong or None, mine, _status(status), due or None, q or None, 50, (page - 1) * 50
    )
    try:
        total, items = queues.work_queue(db, user, request.app.state.vault, req)
    except Forbidden:
        raise
    except GibonError as exc:
        total, items, error = 0, [], exc.message
    return render(
        request,
        "care/queue.html",
        items=items,
        total=total,
        page=page,
        error=error,
        f={"status": status, "due": due, "q": q, "dong": dong, "mine": mine},
        dongs=gwanak.dong_names(),
        any_dong=policy.scope_of(user, Action.list, "care_case") is Scope.district,
        L=labels,
    )


def _status(value: str) -> str | None:
    return value if value in {"open", *(s.value for s in CaseStatus)} else None


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_page(request: Request, user: CaseOpener) -> Any:
    """신청 접수: find the resident (name or resident number), then record channel and consent."""
    return render(request, "care/new.html", q="", found=[], form={}, errors={}, L=labels)


@router.post("/cases/new/search", response_class=HTMLResponse)
def search_people(
    request: Request, db: DbSession, user: PersonSearcher, q: str = Form("", max_length=40)
) -> Any:
    """The resident search of the intake form, by POST: a name or resident number never in a URL."""
    try:
        found = _find_people(request, db, user, q) if q.strip() else []
    except Forbidden:
        raise
    except GibonError as exc:
        return render(
            request,
            "care/new.html",
            422,
            q=q,
            found=[],
            form={},
            errors={"q": exc.message},
            L=labels,
        )
    return render(request, "care/new.html", q=q, found=found, form={}, errors={}, L=labels)


def _find_people(request: Request, db: DbSession, user: User, q: str) -> list[Any]:
    from gibon.residents import repository as residents

    name, rrn_hash = queues._search_terms(q, request.app.state.vault)
    area = policy.check(user, Action.search, "person")
    dong = user.dong if area is Scope.own_dong else None
    people = (
        residents.find_by_rrn_hash(db, rrn_hash)
        if rrn_hash
        else repository.persons_by_name_prefix(db, name or "", dong)
    )
    people = [p for p in people if dong is None or p.dong == dong]
    service.record(
        db, user, "read", "resident_search", None, "신청 접수 주민 검색", f"n={len(people)}"
    )
    return people


@router.post("/cases/new", response_class=HTMLResponse)
async def create_case(request: Request, db: DbSession, user: CaseOpener) -> Any:
    data = await request.form()
    flat = forms.flatten(data)
    flat["consents"] = data.getlist("consents")
    body, errors = forms.parse(CaseCreate, flat)
    if body is not None:
        try:
            case = service.open_case(db, user, body)
            return RedirectResponse(f"/care/cases/{case.id}", status_code=303)
        except Forbidden:
            raise
        except GibonError as exc:
            db.rollback()
            errors = forms.from_error(exc)
    return render(request, "care/new.html", 422, q="", found=[], form=flat, errors=errors, L=labels)


def case_context(db: DbSession, user: User, case_id: int) -> dict[str, Any]:
    case, person = service.read_case(db, user, case_id, "사례 상세 화면")
    assessments = repository.assessments(db, case.id)
    plan_rows = repository.plans(db, case.id)
    actions = set(allowed_actions(CaseStatus(case.status)))
    referral_rows = repository.referrals(db, case.id)
    closed = case.status == CaseStatus.closed.value
    latest = plan_rows[-1] if plan_rows else None
    decisions = repository.decisions(db, case.id)
    return {
        **_law_context(db, user, case, latest, closed),
        "ref_actions": {r.id: referrals.actions_for(user, r, closed) for r in referral_rows},
        "decision": decisions[-1] if decisions else None,
        "today": deadlines.today(),
        "income": income.situation(db, person, deadlines.today()) if "assess" in actions else None,
        "case": service.to_read(case, person),
        "person": person,
        "events": repository.events(db, case.id),
        "consents": repository.consents(db, case.id),
        "resident_notes": window_repository.open_for_case(db, case.id),
        "screenings": repository.screenings(db, case.id),
        "assessments": assessments,
        "decisions": decisions,
        "plans": plan_rows,
        "latest_plan": plan_rows[-1] if plan_rows else None,
        "conferences": repository.conferences(db, case.id),
        "referrals": referral_rows,
        "followups": repository.followups(db, case.id),
        "providers": repository.providers(db),
        "assignees": assignees.followup_assignees(db),
        "actions": actions,
        "suggested": assessments[-1].scores if assessments else None,
        "levels": list(NeedLevel),
        "L": labels,
        "S": sentences,
    }


def _law_context(db: DbSession, user: User, case: Any, latest: Any, closed: bool) -> dict[str, Any]:
    """What the statute asks of the case's next steps, for the forms to show."""
    open_refs, open_fus = closing.open_items(db, case.id)
    own = case.officer_id is None or case.officer_id == user.id
    return {
        "open_referrals": open_refs,
        "open_followups": open_fus,
        "plan_gaps": plans.missing_for_notice(latest) if latest else [],
        "conference_needed": plans.conference_needed(latest) if latest else False,
        "can_reopen": closed and (user.role_enum in scope.DISTRICT_WIDE or own),
        "default_agency": settings.current().default_agency.value,
    }


def render_case(
    request: Request,
    db: DbSession,
    user: User,
    case_id: int,
    status: int = 200,
    **extra: Any,
) -> Any:
    ctx = case_context(db, user, case_id)
    ctx.update({"errors": {}, "form": {}, "active": None, "conflict": None, **extra})
    return render(request, "care/case.html", status, **ctx)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: Id, db: DbSession, user: CaseReader) -> Any:
    """사례 상세: the whole path and the form for the next step."""
    return render_case(request, db, user, case_id)


@router.get("/cases/{case_id}/application.pdf")
def application_pdf(case_id: Id, db: DbSession, user: CaseReader) -> Response:
    """별지 제1호서식 (통합지원 신청서), filled from the case."""
    html = notices.application_html(db, user, case_id)
    return _pdf(notices.pdf(html), f"application-{case_id}.pdf")


@router.get("/cases/{case_id}/plans/{number}/notice.pdf")
def plan_notice_pdf(
    case_id: Id, number: Annotated[int, Path(ge=1, le=10_000)], db: DbSession, user: CaseReader
) -> Response:
    """별지 제2호서식 (개인별지원계획), filled from one plan version."""
    html = notices.plan_notice_html(db, user, case_id, number)
    return _pdf(notices.pdf(html), f"plan-{case_id}-{number}.pdf")


def _pdf(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/cases/{case_id}/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    case_id: Id,
    db: DbSession,
    user: CaseReader,
    a: int = Query(1, ge=1, le=10_000),
    b: int = Query(2, ge=1, le=10_000),
) -> Any:
    diff = plans.compare(db, user, case_id, a, b)
    return render(
        request,
        "care/compare.html",
        diff=diff,
        case_id=case_id,
        old=repository.plan(db, case_id, a),
        new=repository.plan(db, case_id, b),
        numbers=[p.number for p in repository.plans(db, case_id)],
        L=labels,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    db: DbSession,
    user: CareStatistics,
    show: str = Query("open", pattern="^(open|overdue)$"),
) -> Any:
    """현황판: cases by step and by dong (map), overdue, median days per step, services by type."""
    d = dashboard.build(db, user)
    values = d.open_by_dong if show == "open" else d.overdue_by_dong
    title = "진행 중 사례 (동별)" if show == "open" else "기한 초과 사례 (동별)"
    svg = dongmap.render(
        {k: float(v) for k, v in values.items()}, title=title, fmt=lambda v: f"{v:,.0f}건"
    )
    return render(
        request,
        "care/dashboard.html",
        d=d,
        svg=svg,
        show=show,
        dongs=gwanak.dong_names(),
        L=labels,
    )
