"""JSON API for cases and their steps: /api/cases, screenings, assessments, decisions, plans."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from gibon.access.deps import (
    CareStatistics,
    CaseLister,
    CaseOpener,
    CaseReader,
    CaseWorker,
)
from gibon.accounts.models import User
from gibon.care import (
    closing,
    dashboard,
    plans,
    queues,
    records,
    repository,
    serialize,
    service,
    steps,
)
from gibon.care.models import DocumentCheck, InfoRequest
from gibon.care.schemas import (
    AssessmentCreate,
    CaseClose,
    CaseCreate,
    CaseIntake,
    CaseRead,
    CaseReopen,
    CaseSearch,
    ConsentChange,
    DecisionCreate,
    DecisionNotice,
    DischargeNoticeCreate,
    DocumentCheckCreate,
    Id,
    InfoRequestCreate,
    Page,
    PlanCreate,
    PlanNotice,
    ScreeningCreate,
)
from gibon.errors import InvalidInput
from gibon.web.deps import DbSession

router = APIRouter(prefix="/api/cases", tags=["care"])
StatusFilter = Literal[
    "open",
    "applied",
    "screened",
    "assessed",
    "decided",
    "planned",
    "approved",
    "in_service",
    "closed",
]


@router.get("", response_model=Page)
def work_queue(
    request: Request,
    db: DbSession,
    user: CaseLister,
    dong: str | None = Query(None, max_length=20),
    mine: bool = False,
    officer_id: int | None = Query(None, ge=1, le=2_147_483_647, description="one officer's queue"),
    status: StatusFilter | None = None,
    due: Literal["overdue", "due"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
    q: str | None = Query(None, max_length=40, include_in_schema=False),
) -> Page:
    """Work queue: cases in your area, most urgent first (to search, POST /api/cases/search)."""
    if q:  # a name or resident number in a URL ends up in logs, history and Referer headers
        raise InvalidInput(
            "검색어는 주소(URL)에 넣지 말고 POST /api/cases/search 본문으로 보내세요",
            where="q",
            example='{"q": "김영숙"}',
        )
    req = queues.QueueRequest(dong, mine, status, due, None, limit, offset, officer_id)
    total, items = queues.work_queue(db, user, request.app.state.vault, req)
    return Page(total=total, items=items)


@router.post("/search", response_model=Page)
def search(request: Request, body: CaseSearch, db: DbSession, user: CaseLister) -> Page:
    """The work queue searched by name (prefix) or resident number, sent in the body so that it
    never appears in a URL or an access log."""
    req = queues.QueueRequest(
        body.dong,
        body.mine,
        body.status,
        body.due,
        body.q,
        body.limit,
        body.offset,
        body.officer_id,
    )
    total, items = queues.work_queue(db, user, request.app.state.vault, req)
    return Page(total=total, items=items)


@router.get("/stats")
def stats(db: DbSession, user: CareStatistics) -> dict[str, Any]:
    """District aggregates (no personal data): by step, by dong, overdue, median days, services."""
    return dashboard.build(db, user).__dict__


@router.post("/discharge-notices", status_code=201)
def receive_discharge(
    body: DischargeNoticeCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """퇴원·퇴소 통보 (법 제11조, 규칙 제8조) received from an institution."""
    return serialize.row(records.receive_discharge(db, user, body))


@router.get("/discharge-notices")
def discharge_notices(db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    """The 퇴원·퇴소 notices of your area, newest first."""
    return [serialize.row(r) for r in records.discharge_notices(db, user)]


@router.post("", response_model=CaseRead, status_code=201)
def open_case(body: CaseCreate, db: DbSession, user: CaseOpener) -> CaseRead:
    case = service.open_case(db, user, body)
    person = repository.get_person(db, case.person_id)
    assert person is not None
    return service.to_read(case, person)


@router.get("/{case_id}")
def case_detail(case_id: Id, db: DbSession, user: CaseReader) -> dict[str, Any]:
    """One case with its whole path (events, consents and every step)."""
    case = service.load_case_line(db, user, case_id)
    body = {
        "case": service.to_read(case, case).model_dump(mode="json"),
        **serialize.case_path(db, case.id),
    }
    # audited last: the audit chain's lock is then held only from here to the commit
    service.record(db, user, "read", "care_case", case.id, "사례 상세 조회")
    return body


def _read(db: DbSession, case: Any) -> CaseRead:
    person = repository.get_person(db, case.person_id)
    assert person is not None
    return service.to_read(case, person)


@router.post("/{case_id}/close", response_model=CaseRead)
def close_case(case_id: Id, body: CaseClose, db: DbSession, user: CaseWorker) -> CaseRead:
    """종료 (규칙 제11조 reasons only); every open referral and 점검 listed in ``settle``."""
    return _read(db, closing.close_case(db, user, case_id, body))


@router.get("/{case_id}/close")
def closing_items(case_id: Id, db: DbSession, user: CaseReader) -> dict[str, Any]:
    """What closing must settle: the open referrals and scheduled 점검 of the case."""
    service.read_case(db, user, case_id, "종료 전 열린 일 확인")
    referrals, followups = closing.open_items(db, case_id)
    return {
        "referrals": [
            {"id": r.id, "provider": r.provider.name, "status": r.status} for r in referrals
        ],
        "followups": [
            {"id": f.id, "kind": f.kind, "due_on": f.due_on.isoformat()} for f in followups
        ],
    }


@router.post("/{case_id}/reopen", response_model=CaseRead)
def reopen_case(case_id: Id, body: CaseReopen, db: DbSession, user: CaseWorker) -> CaseRead:
    """Undo an ending, with a reason: the district team or the case's officer."""
    return _read(db, closing.reopen_case(db, user, case_id, body))


@router.post("/{case_id}/intake", response_model=CaseRead)
def update_intake(case_id: Id, body: CaseIntake, db: DbSession, user: CaseWorker) -> CaseRead:
    """Record the 대상자 구분 (영 제2조) or the 직권신청 사유 (영 제4조) left out at intake."""
    return _read(db, service.update_intake(db, user, case_id, body))


@router.post("/{case_id}/decisions/notice")
def notify_decision(
    case_id: Id, body: DecisionNotice, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """판정 결과 안내 (법 제12조①): the day and the way."""
    return serialize.with_case_version(db, steps.notify_decision(db, user, case_id, body), case_id)


@router.post("/{case_id}/plans/notice")
def notify_plan(case_id: Id, body: PlanNotice, db: DbSession, user: CaseWorker) -> dict[str, Any]:
    """지원계획 안내 (규칙 제9조①): refused while 제공 주체, 수량, 연계 방법 or views are missing."""
    return serialize.with_case_version(db, plans.notify(db, user, case_id, body), case_id)


@router.post("/{case_id}/consents", status_code=201)
def give_consent(
    case_id: Id, body: ConsentChange, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    return serialize.with_case_version(db, service.give_consent(db, user, case_id, body), case_id)


@router.post("/{case_id}/consents/withdraw")
def withdraw_consent(
    case_id: Id, body: ConsentChange, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """Withdraw consent for one purpose; it takes effect at once."""
    return serialize.with_case_version(
        db, service.withdraw_consent(db, user, case_id, body), case_id
    )


def _list(db: DbSession, user: User, case_id: Id, what: str) -> list[dict[str, Any]]:
    service.read_case(db, user, case_id, f"{what} 조회")
    return serialize.case_step(db, case_id, what)


@router.post("/{case_id}/info-requests", status_code=201)
def log_info_request(
    case_id: Id, body: InfoRequestCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """정보 제공 요청 (법 제23조③, 규칙 제13조①), asked of or by another body."""
    return serialize.row(records.log_info_request(db, user, case_id, body))


@router.get("/{case_id}/info-requests")
def info_requests(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    return [serialize.row(r) for r in records.for_case(db, user, case_id, InfoRequest)]


@router.post("/{case_id}/documents", status_code=201)
def check_document(
    case_id: Id, body: DocumentCheckCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """서류 확인 (규칙 제7조⑤): through 행정정보 공동이용, or submitted."""
    return serialize.row(records.check_document(db, user, case_id, body))


@router.get("/{case_id}/documents")
def documents(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    return [serialize.row(r) for r in records.for_case(db, user, case_id, DocumentCheck)]


@router.get("/{case_id}/screenings")
def list_screenings(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    return _list(db, user, case_id, "screenings")


@router.post("/{case_id}/screenings", status_code=201)
def add_screening(
    case_id: Id, body: ScreeningCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """사전 확인: the ADL pre-screen sorts to not eligible / district survey / full assessment."""
    return serialize.with_case_version(db, steps.screen(db, user, case_id, body), case_id)


@router.get("/{case_id}/assessments")
def list_assessments(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    return _list(db, user, case_id, "assessments")


@router.post("/{case_id}/assessments", status_code=201)
def add_assessment(
    case_id: Id, body: AssessmentCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    """통합판정조사: K-ADL, K-IADL, cognition, nutrition, falls, medical, housing, social, income."""
    return serialize.with_case_version(db, steps.assess(db, user, case_id, body), case_id)


@router.get("/{case_id}/decisions")
def list_decisions(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    return _list(db, user, case_id, "decisions")


@router.post("/{case_id}/decisions", status_code=201)
def add_decision(
    case_id: Id, body: DecisionCreate, db: DbSession, user: CaseWorker
) -> dict[str, Any]:
    return serialize.with_case_version(db, steps.decide(db, user, case_id, body), case_id)


@router.get("/{case_id}/plans")
def list_plans(case_id: Id, db: DbSession, user: CaseReader) -> list[dict[str, Any]]:
    """Every version of the support plan, oldest first."""
    return _list(db, user, case_id, "plans")


@router.post("/{case_id}/plans", status_code=201)
def add_plan(case_id: Id, body: PlanCreate, db: DbSession, user: CaseWorker) -> dict[str, Any]:
    """A new plan version (send ``based_on`` = the version you edited)."""
    return serialize.with_case_version(db, plans.add_plan(db, user, case_id, body), case_id)


@router.get("/{case_id}/plans/compare")
def compare_plans(
    case_id: Id,
    db: DbSession,
    user: CaseReader,
    a: int = Query(ge=1, le=10_000),
    b: int = Query(ge=1, le=10_000),
) -> dict[str, Any]:
    return plans.compare(db, user, case_id, a, b).__dict__
