"""Korean pages: work queue, intake, case detail with the whole path, plan compare, dashboard."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gibon.access import assignees, policy
from gibon.access.deps import (
    CareStatistics,
    CaseLister,
    CaseOpener,
    CaseReader,
    CaseWorker,
    PersonSearcher,
)
from gibon.access.policy import Action, Scope
from gibon.accounts.models import User
from gibon.benefits import labels as benefit_labels
from gibon.care import deadlines, forms, labels, repository, settings
from gibon.care._schema_base import Id
from gibon.care.assessments import income
from gibon.care.assessments.scoring import NeedLevel
from gibon.care.cases import closing, dashboard, queues, sentences, service
from gibon.care.cases.schemas import CaseCreate, CaseRead
from gibon.care.cases.transitions import CaseStatus, allowed_actions
from gibon.care.models import DocumentCheck, InfoRequest
from gibon.care.plans import notices
from gibon.care.plans import service as plans
from gibon.care.plans.schemas import PlanRead
from gibon.care.records import service as records
from gibon.care.records.schemas import DischargeNoticeCreate
from gibon.care.referrals import service as referrals
from gibon.errors import Forbidden, GibonError, InvalidInput
from gibon.kit import gwanak
from gibon.residents import contact
from gibon.simulator import service as outreach
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
def new_case_page(
    request: Request,
    db: DbSession,
    user: CaseOpener,
    notice: int | None = Query(None, ge=1, le=2_000_000_000),
) -> Any:
    """신청 접수: find the resident (name or resident number), then record channel and consent;
    from a 퇴원·퇴소 통보 (``?notice=``), the form comes filled from the notice."""
    form = _from_notice(db, user, notice) if notice else {}
    found = _chosen(db, user, form["person_id"]) if notice else []
    return render(request, "care/new.html", q="", found=found, form=form, errors={}, L=labels)


def _from_notice(db: DbSession, user: User, notice_id: int) -> dict[str, Any]:
    """The intake as a 퇴원·퇴소 통보 suggests it (법 제11조): the institution that notified applies
    for the person; the officer still asks the person for each consent (법 제10조제2항)."""
    row = records.notice_for_intake(db, user, notice_id)
    person = repository.get_person(db, row.person_id)
    assert person is not None
    return {
        "person_id": row.person_id,
        "discharge_notice": row.id,
        "notice_label": f"{person.name} ({person.birth_date}) · "
        f"{labels.INSTITUTION.get(row.institution_kind, '기관')} {row.institution_name} · "
        f"{row.leaving_on} 퇴원·퇴소",
        "channel": "hospital",
        "applicant_name": row.institution_name[:40],
        "applicant_relation": (row.contact or "퇴원·퇴소 통보 기관")[:40],
        "consents": [],
    }


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
    notice = flat.pop("discharge_notice", "")
    body, errors = forms.parse(CaseCreate, flat)
    if body is not None:
        try:
            case = service.open_case(db, user, body)
            if notice:
                records.link_notice(db, user, _notice_id(notice), case)
            return RedirectResponse(f"/care/cases/{case.id}", status_code=303)
        except Forbidden:
            raise
        except GibonError as exc:
            db.rollback()
            errors = forms.from_error(exc)
    if notice:
        flat.update(discharge_notice=notice, notice_label=data.get("notice_label", ""))
    found = _chosen(db, user, str(flat.get("person_id") or ""))
    return render(
        request, "care/new.html", 422, q="", found=found, form=flat, errors=errors, L=labels
    )


def _chosen(db: DbSession, user: User, person_id: str) -> list[Any]:
    """The resident picked before a failed save, shown again (within the officer's area)."""
    from gibon.residents import repository as residents

    if not person_id:
        return []
    try:
        area = policy.check(user, Action.search, "person")
    except Forbidden:
        return []
    person = residents.get_person(db, person_id[:16])
    if person is None or (area is Scope.own_dong and person.dong != user.dong):
        return []
    service.record(db, user, "read", "resident_search", None, "신청 접수 선택 주민 다시 표시")
    return [person]


def _notice_id(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 2_000_000_000:
        raise InvalidInput("퇴원·퇴소 통보 번호가 올바르지 않습니다", where="discharge_notice")
    return int(value)


@router.get("/discharge-notices", response_class=HTMLResponse)
def discharge_page(
    request: Request,
    db: DbSession,
    user: CaseLister,
    person_id: str = Query("", max_length=16),
) -> Any:
    """퇴원·퇴소 통보 (법 제11조, 규칙 제8조): the dong's notices, and the form to record one."""
    return _discharge(request, db, user, picked=_picked(db, user, person_id))


@router.post("/discharge-notices/search", response_class=HTMLResponse)
def discharge_search(
    request: Request, db: DbSession, user: PersonSearcher, q: str = Form("", max_length=40)
) -> Any:
    """The resident a notice names, found by name or resident number (by POST, never in a URL)."""
    try:
        found = _find_people(request, db, user, q) if q.strip() else []
    except Forbidden:
        raise
    except GibonError as exc:
        return _discharge(request, db, user, 422, q=q, errors={"q": exc.message})
    return _discharge(request, db, user, q=q, found=found)


@router.post("/discharge-notices", response_class=HTMLResponse)
async def discharge_record(request: Request, db: DbSession, user: CaseWorker) -> Any:
    flat = forms.flatten(await request.form())
    body, errors = forms.parse(DischargeNoticeCreate, flat)
    if body is not None:
        try:
            row = records.receive_discharge(db, user, body)
            return RedirectResponse(f"/care/discharge-notices#notice-{row.id}", status_code=303)
        except Forbidden:
            raise
        except GibonError as exc:
            db.rollback()
            errors = forms.from_error(exc)
    picked = _picked(db, user, str(flat.get("person_id", "")))
    return _discharge(request, db, user, 422, form=flat, errors=errors, picked=picked)


def _picked(db: DbSession, user: User, person_id: str) -> Any:
    """The resident chosen from the search, shown by name and birth date (own dong only)."""
    if not person_id:
        return None
    person = repository.get_person(db, person_id)
    area = policy.check(user, Action.search, "person")
    if person is None or (area is Scope.own_dong and person.dong != user.dong):
        return None
    service.record(db, user, "read", "person", person.id, "퇴원·퇴소 통보 대상 선택")
    return person


def _discharge(request: Request, db: DbSession, user: User, status: int = 200, **extra: Any) -> Any:
    rows = records.discharge_notices(db, user)
    ctx: dict[str, Any] = {"q": "", "found": None, "form": {}, "errors": {}, "picked": None}
    ctx.update(extra)
    return render(
        request,
        "care/discharge.html",
        status,
        notices=rows,
        people=records.notice_people(db, rows),
        today=deadlines.today(),
        L=labels,
        **ctx,
    )


def case_context(db: DbSession, user: User, case_id: int) -> dict[str, Any]:
    whole = service.whole_case(db, user, case_id, "사례 상세 화면 (연락처·가구원·미수급 급여 포함)")
    case = whole.case
    person = repository.get_person(db, case.person_id)
    assert person is not None
    actions = set(allowed_actions(CaseStatus(case.status)))
    closed = case.status == CaseStatus.closed.value
    latest = whole.plans[-1] if whole.plans else None
    ref_actions = {
        r.id: referrals.actions_for(user, r.status, r.provider_organization_id, closed)
        for r in whole.referrals
    }
    return {
        **_law_context(db, user, case, latest, closed),
        **dict(whole),
        "ref_actions": ref_actions,
        "decision": whole.decisions[-1] if whole.decisions else None,
        "today": deadlines.today(),
        "income": income.situation(db, person, deadlines.today()) if "assess" in actions else None,
        **_contact_context(db, case, person),
        "person": person,
        "info_requests": records.rows_for_case(db, case.id, InfoRequest),
        "document_checks": records.rows_for_case(db, case.id, DocumentCheck),
        "latest_plan": latest,
        "resident_notes": window_repository.open_for_case(db, case.id),
        "providers": repository.providers(db),
        "assignees": assignees.followup_assignees(db),
        "actions": actions,
        "suggested": whole.assessments[-1].scores if whole.assessments else None,
        "levels": list(NeedLevel),
        "L": labels,
        "S": sentences,
        "BL": benefit_labels,
    }


def _contact_context(db: DbSession, case: Any, person: Any) -> dict[str, Any]:
    """The resident's contact, household and worker, and what the household may be missing."""
    today = deadlines.today()
    month = today.strftime("%Y-%m")
    return {
        "contact": contact.contact_for(db, person.id, today),
        "worker": contact.workers_by_id(db, [case.officer_id]).get(case.officer_id or 0)
        or contact.worker_label(None, case.dong),
        "missing_month": month,
        "missing": outreach.household_missed(db, person.household_id, month),
    }


def _law_context(
    db: DbSession, user: User, case: CaseRead, latest: PlanRead | None, closed: bool
) -> dict[str, Any]:
    """What the statute asks of the case's next steps, for the forms to show."""
    open_refs, open_fus = closing.open_items(db, case.id)
    return {
        "open_referrals": open_refs,
        "open_followups": open_fus,
        "plan_gaps": plans.missing_for_notice(latest) if latest else [],
        "conference_needed": plans.conference_needed(latest) if latest else False,
        "can_reopen": closed and closing.may_reopen(user, case.officer_id),
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
    _name_the_officer(db, ctx["conflict"])
    return render(request, "care/case.html", status, **ctx)


def _name_the_officer(db: DbSession, conflict: Any) -> None:
    """A conflict's stored version names the officer (name and role), not the account number."""
    current = conflict.get("current") if isinstance(conflict, dict) else None
    if isinstance(current, dict) and isinstance(current.get("officer_id"), int):
        officer = current["officer_id"]
        current["officer_id"] = contact.workers_by_id(db, [officer]).get(officer, "—")


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
