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
from gibon.care import repository, serialize
from gibon.care._schema_base import Id
from gibon.care.assessments import service as steps
from gibon.care.assessments.schemas import (
    AssessmentCreate,
    AssessmentRead,
    DecisionCreate,
    DecisionNotice,
    DecisionRead,
    ScreeningCreate,
    ScreeningRead,
)
from gibon.care.cases import closing, dashboard, queues, service
from gibon.care.cases.schemas import (
    CareStatsRead,
    CaseClose,
    CaseCreate,
    CaseDetailRead,
    CaseIntake,
    CaseRead,
    CaseReopen,
    CaseSearch,
    ClosingItemsRead,
    ConsentChange,
    ConsentRead,
    OpenFollowUp,
    OpenReferral,
    Page,
)
from gibon.care.models import DocumentCheck, InfoRequest
from gibon.care.plans import service as plans
from gibon.care.plans.schemas import PlanCompareRead, PlanCreate, PlanNotice, PlanRead
from gibon.care.records import service as records
from gibon.care.records.schemas import (
    DischargeNoticeCreate,
    DischargeNoticeRead,
    DocumentCheckCreate,
    DocumentCheckRead,
    InfoRequestCreate,
    InfoRequestRead,
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


@router.get("/stats", response_model=CareStatsRead)
def stats(db: DbSession, user: CareStatistics) -> CareStatsRead:
    """District aggregates (no personal data): by step, by dong, overdue, median days, services."""
    return CareStatsRead.model_validate(dashboard.build(db, user).__dict__)


@router.post("/discharge-notices", status_code=201, response_model=DischargeNoticeRead)
def receive_discharge(
    body: DischargeNoticeCreate, db: DbSession, user: CaseWorker
) -> DischargeNoticeRead:
    """퇴원·퇴소 통보 (법 제11조, 규칙 제8조) received from an institution."""
    return serialize.read(DischargeNoticeRead, records.receive_discharge(db, user, body))


@router.get("/discharge-notices", response_model=list[DischargeNoticeRead])
def discharge_notices(db: DbSession, user: CaseReader) -> list[DischargeNoticeRead]:
    """The 퇴원·퇴소 notices of your area, newest first."""
    return [serialize.read(DischargeNoticeRead, r) for r in records.discharge_notices(db, user)]


@router.post("", response_model=CaseRead, status_code=201)
def open_case(body: CaseCreate, db: DbSession, user: CaseOpener) -> CaseRead:
    case = service.open_case(db, user, body)
    person = repository.get_person(db, case.person_id)
    assert person is not None
    return service.to_read(case, person)


@router.get("/{case_id}", response_model=CaseDetailRead)
def case_detail(case_id: Id, db: DbSession, user: CaseReader) -> CaseDetailRead:
    """One case with its whole path (events, consents and every step), as the case page shows it."""
    return service.whole_case(db, user, case_id)


def _read(db: DbSession, case: Any) -> CaseRead:
    person = repository.get_person(db, case.person_id)
    assert person is not None
    return service.to_read(case, person)


@router.post("/{case_id}/close", response_model=CaseRead)
def close_case(case_id: Id, body: CaseClose, db: DbSession, user: CaseWorker) -> CaseRead:
    """종료 (규칙 제11조 reasons only); every open referral and 점검 listed in ``settle``."""
    return _read(db, closing.close_case(db, user, case_id, body))


@router.get("/{case_id}/close", response_model=ClosingItemsRead)
def closing_items(case_id: Id, db: DbSession, user: CaseReader) -> ClosingItemsRead:
    """What closing must settle: the open referrals and scheduled 점검 of the case."""
    service.read_case(db, user, case_id, "종료 전 열린 일 확인")
    referrals, followups = closing.open_items(db, case_id)
    return ClosingItemsRead(
        referrals=[
            OpenReferral(id=r.id, provider=r.provider.name, status=r.status) for r in referrals
        ],
        followups=[OpenFollowUp(id=f.id, kind=f.kind, due_on=f.due_on) for f in followups],
    )


@router.post("/{case_id}/reopen", response_model=CaseRead)
def reopen_case(case_id: Id, body: CaseReopen, db: DbSession, user: CaseWorker) -> CaseRead:
    """Undo an ending, with a reason: the district team or the case's officer."""
    return _read(db, closing.reopen_case(db, user, case_id, body))


@router.post("/{case_id}/intake", response_model=CaseRead)
def update_intake(case_id: Id, body: CaseIntake, db: DbSession, user: CaseWorker) -> CaseRead:
    """Record the 대상자 구분 (영 제2조) or the 직권신청 사유 (영 제4조) left out at intake."""
    return _read(db, service.update_intake(db, user, case_id, body))


@router.post("/{case_id}/decisions/notice", response_model=DecisionRead)
def notify_decision(
    case_id: Id, body: DecisionNotice, db: DbSession, user: CaseWorker
) -> DecisionRead:
    """판정 결과 안내 (법 제12조①): the day and the way."""
    row = steps.notify_decision(db, user, case_id, body)
    return serialize.with_case_version(db, DecisionRead, row, case_id)


@router.post("/{case_id}/plans/notice", response_model=PlanRead)
def notify_plan(case_id: Id, body: PlanNotice, db: DbSession, user: CaseWorker) -> PlanRead:
    """지원계획 안내 (규칙 제9조①): refused while 제공 주체, 수량, 연계 방법 or views are missing."""
    return serialize.with_case_version(db, PlanRead, plans.notify(db, user, case_id, body), case_id)


@router.post("/{case_id}/consents", status_code=201, response_model=ConsentRead)
def give_consent(case_id: Id, body: ConsentChange, db: DbSession, user: CaseWorker) -> ConsentRead:
    row = service.give_consent(db, user, case_id, body)
    return serialize.with_case_version(db, ConsentRead, row, case_id)


@router.post("/{case_id}/consents/withdraw", response_model=ConsentRead)
def withdraw_consent(
    case_id: Id, body: ConsentChange, db: DbSession, user: CaseWorker
) -> ConsentRead:
    """Withdraw consent for one purpose; it takes effect at once."""
    row = service.withdraw_consent(db, user, case_id, body)
    return serialize.with_case_version(db, ConsentRead, row, case_id)


def _list(db: DbSession, user: User, case_id: Id, what: str) -> list[Any]:
    service.read_case(db, user, case_id, f"{what} 조회")
    return serialize.case_step(db, case_id, what)


@router.post("/{case_id}/info-requests", status_code=201, response_model=InfoRequestRead)
def log_info_request(
    case_id: Id, body: InfoRequestCreate, db: DbSession, user: CaseWorker
) -> InfoRequestRead:
    """정보 제공 요청 (법 제23조③, 규칙 제13조①), asked of or by another body."""
    return serialize.read(InfoRequestRead, records.log_info_request(db, user, case_id, body))


@router.get("/{case_id}/info-requests", response_model=list[InfoRequestRead])
def info_requests(case_id: Id, db: DbSession, user: CaseReader) -> list[InfoRequestRead]:
    rows = records.for_case(db, user, case_id, InfoRequest)
    return [serialize.read(InfoRequestRead, r) for r in rows]


@router.post("/{case_id}/documents", status_code=201, response_model=DocumentCheckRead)
def check_document(
    case_id: Id, body: DocumentCheckCreate, db: DbSession, user: CaseWorker
) -> DocumentCheckRead:
    """서류 확인 (규칙 제7조⑤): through 행정정보 공동이용, or submitted."""
    return serialize.read(DocumentCheckRead, records.check_document(db, user, case_id, body))


@router.get("/{case_id}/documents", response_model=list[DocumentCheckRead])
def documents(case_id: Id, db: DbSession, user: CaseReader) -> list[DocumentCheckRead]:
    rows = records.for_case(db, user, case_id, DocumentCheck)
    return [serialize.read(DocumentCheckRead, r) for r in rows]


@router.get("/{case_id}/screenings", response_model=list[ScreeningRead])
def list_screenings(case_id: Id, db: DbSession, user: CaseReader) -> list[ScreeningRead]:
    return _list(db, user, case_id, "screenings")


@router.post("/{case_id}/screenings", status_code=201, response_model=ScreeningRead)
def add_screening(
    case_id: Id, body: ScreeningCreate, db: DbSession, user: CaseWorker
) -> ScreeningRead:
    """사전 확인: the ADL pre-screen sorts to not eligible / district survey / full assessment."""
    row = steps.screen(db, user, case_id, body)
    return serialize.with_case_version(db, ScreeningRead, row, case_id)


@router.get("/{case_id}/assessments", response_model=list[AssessmentRead])
def list_assessments(case_id: Id, db: DbSession, user: CaseReader) -> list[AssessmentRead]:
    return _list(db, user, case_id, "assessments")


@router.post("/{case_id}/assessments", status_code=201, response_model=AssessmentRead)
def add_assessment(
    case_id: Id, body: AssessmentCreate, db: DbSession, user: CaseWorker
) -> AssessmentRead:
    """통합판정조사: K-ADL, K-IADL, cognition, nutrition, falls, medical, housing, social, income."""
    row = steps.assess(db, user, case_id, body)
    return serialize.with_case_version(db, AssessmentRead, row, case_id)


@router.get("/{case_id}/decisions", response_model=list[DecisionRead])
def list_decisions(case_id: Id, db: DbSession, user: CaseReader) -> list[DecisionRead]:
    return _list(db, user, case_id, "decisions")


@router.post("/{case_id}/decisions", status_code=201, response_model=DecisionRead)
def add_decision(
    case_id: Id, body: DecisionCreate, db: DbSession, user: CaseWorker
) -> DecisionRead:
    row = steps.decide(db, user, case_id, body)
    return serialize.with_case_version(db, DecisionRead, row, case_id)


@router.get("/{case_id}/plans", response_model=list[PlanRead])
def list_plans(case_id: Id, db: DbSession, user: CaseReader) -> list[PlanRead]:
    """Every version of the support plan, oldest first."""
    return _list(db, user, case_id, "plans")


@router.post("/{case_id}/plans", status_code=201, response_model=PlanRead)
def add_plan(case_id: Id, body: PlanCreate, db: DbSession, user: CaseWorker) -> PlanRead:
    """A new plan version (send ``based_on`` = the version you edited)."""
    row = plans.add_plan(db, user, case_id, body)
    return serialize.with_case_version(db, PlanRead, row, case_id)


@router.get("/{case_id}/plans/compare", response_model=PlanCompareRead)
def compare_plans(
    case_id: Id,
    db: DbSession,
    user: CaseReader,
    a: int = Query(ge=1, le=10_000),
    b: int = Query(ge=1, le=10_000),
) -> PlanCompareRead:
    return PlanCompareRead.model_validate(plans.compare(db, user, case_id, a, b).__dict__)
