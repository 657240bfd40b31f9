"""Records the law asks the district to keep beside the steps: 퇴원·퇴소 notices (법 제11조),
information requests (법 제23조, 규칙 제13조) and documents checked (규칙 제7조⑤)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import User
from gibon.care import deadlines, repository
from gibon.care.cases import service
from gibon.care.models import Case, DischargeNotice, DocumentCheck, InfoRequest
from gibon.care.records.schemas import DischargeNoticeCreate, DocumentCheckCreate, InfoRequestCreate
from gibon.errors import InvalidInput, NotFound
from gibon.residents.models import Person


def _not_after_today(day: date | None, where: str) -> None:
    today = deadlines.today()
    if day is not None and day > today:
        raise InvalidInput(
            f"아직 오지 않은 날짜입니다 (오늘 {today})", where=where, example=today.isoformat()
        )


def receive_discharge(session: Session, user: User, body: DischargeNoticeCreate) -> DischargeNotice:
    """A 퇴원·퇴소 notice received: kept for the dong, to guide the person to apply."""
    policy.check(user, Action.change, "care_case")
    person = repository.get_person(session, body.person_id)
    if person is None:
        raise NotFound("주민을 찾을 수 없습니다", where="person_id", example="P0000001")
    policy.check(user, Action.change, "care_case", Target(dong=person.dong), person.id)
    row = DischargeNotice(**body.model_dump(), dong=person.dong, by=user.username)
    session.add(row)
    session.flush()
    service.record(session, user, "create", "care_discharge_notice", row.id, "퇴원·퇴소 통보 접수")
    return row


def discharge_notices(session: Session, user: User, limit: int = 200) -> list[DischargeNotice]:
    area = policy.check(user, Action.list, "care_case")
    dong = user.dong if area is Scope.own_dong else None
    query = select(DischargeNotice).order_by(DischargeNotice.id.desc()).limit(limit)
    if dong:
        query = query.where(DischargeNotice.dong == dong)
    rows = list(session.scalars(query))
    service.record(session, user, "read", "care_discharge_notice_list", None, "퇴원·퇴소 통보 목록")
    return rows


def notice_people(session: Session, rows: list[DischargeNotice]) -> dict[str, Person]:
    """The residents the listed notices name (the list itself was read and audited)."""
    ids = {r.person_id for r in rows}
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def notice_for_intake(session: Session, user: User, notice_id: int) -> DischargeNotice:
    """A notice an application starts from: in the officer's area and not yet taken up."""
    row = session.get(DischargeNotice, notice_id)
    area = policy.check(user, Action.create, "care_case")
    if row is None or (area is Scope.own_dong and row.dong != user.dong):
        raise NotFound("퇴원·퇴소 통보를 찾을 수 없습니다", where="discharge_notice")
    service.record(session, user, "read", "care_discharge_notice", row.id, "통보로 신청 접수")
    return row


def link_notice(session: Session, user: User, notice_id: int, case: Case) -> None:
    """The application opened from a notice: the notice now points to its case."""
    row = notice_for_intake(session, user, notice_id)
    if row.person_id != case.person_id:
        raise InvalidInput(
            "통보의 주민과 신청한 주민이 다릅니다", where="person_id", example=row.person_id
        )
    if row.case_id is not None:
        raise InvalidInput("이 통보로 이미 신청을 접수했습니다", where="discharge_notice")
    row.case_id = case.id
    session.flush()


def log_info_request(
    session: Session, user: User, case_id: int, body: InfoRequestCreate
) -> InfoRequest:
    case = service.load_case(session, user, case_id, Action.change)
    _not_after_today(body.requested_on, "requested_on")
    _not_after_today(body.answered_on, "answered_on")
    if body.answered_on is not None and body.answered_on < body.requested_on:
        raise InvalidInput("회신일이 요청일보다 앞섭니다", where="answered_on")
    row = InfoRequest(
        case_id=case.id,
        **body.model_dump(mode="json", exclude={"requested_on", "answered_on"}),
        requested_on=body.requested_on,
        answered_on=body.answered_on,
        by=user.username,
    )
    session.add(row)
    session.flush()
    service.record(session, user, "create", "care_info_request", row.id, "정보 제공 요청 기록")
    return row


def check_document(
    session: Session, user: User, case_id: int, body: DocumentCheckCreate
) -> DocumentCheck:
    case = service.load_case(session, user, case_id, Action.change)
    _not_after_today(body.checked_on, "checked_on")
    row = DocumentCheck(
        case_id=case.id,
        document=body.document.value,
        via=body.via,
        checked_on=body.checked_on,
        by=user.username,
    )
    session.add(row)
    session.flush()
    service.record(session, user, "create", "care_document_check", row.id, "서류 확인 기록")
    return row


def for_case(
    session: Session, user: User, case_id: int, model: type[InfoRequest] | type[DocumentCheck]
) -> list[InfoRequest] | list[DocumentCheck]:
    service.read_case(session, user, case_id, "정보 요청·서류 확인 기록 조회")
    return rows_for_case(session, case_id, model)


def rows_for_case(
    session: Session, case_id: int, model: type[InfoRequest] | type[DocumentCheck]
) -> list[InfoRequest] | list[DocumentCheck]:
    """One case's records, oldest first; the caller has read (and audited) the case."""
    if model is InfoRequest:
        query = select(InfoRequest).where(InfoRequest.case_id == case_id)
        return list(session.scalars(query.order_by(InfoRequest.id)))
    query2 = select(DocumentCheck).where(DocumentCheck.case_id == case_id)
    return list(session.scalars(query2.order_by(DocumentCheck.id)))
