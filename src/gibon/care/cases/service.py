"""Cases: intake, reading, consents, the transition helper and closure (services only flush)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.care import deadlines, repository, rules, serialize
from gibon.care._rows import CaseFields, CaseLine, PersonFields
from gibon.care.assessments import eligibility
from gibon.care.cases.schemas import (
    CHANNEL_LABELS,
    CONSENT_LABELS,
    CaseCreate,
    CaseDetailRead,
    CaseIntake,
    CaseRead,
    Channel,
    ConsentChange,
    ConsentPurpose,
)
from gibon.care.cases.transitions import ACTION_LABELS, STATUS_LABELS, CaseStatus, next_status
from gibon.care.models import Case, CaseEvent, Consent
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.residents.models import Person


def record(
    session: Session,
    user: User,
    action: str,
    resource: str,
    resource_id: object,
    purpose: str,
    detail: str = "",
) -> None:
    """Audit a read or write of personal data; chained at the request's commit (same transaction)."""
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        resource=resource,
        resource_id=None if resource_id is None else str(resource_id),
        purpose=purpose,
        detail=detail,
    )


def to_read(case: CaseFields, person: PersonFields) -> CaseRead:
    values = {key: getattr(case, key) for key in _CASE_KEYS}
    return _read(values | {"name": person.name, "rrn_masked": person.rrn_masked}, deadlines.today())


def lines_to_read(lines: Sequence[Any]) -> list[CaseRead]:
    """Rows of ``repository.QUEUE_COLUMNS``, each row's values taken in one pass (reading them
    field by field cost twice the building of the answer on a 50-line page)."""
    today = deadlines.today()
    return [line_to_read(line, today) for line in lines]


def line_to_read(line: Any, today: date | None = None) -> CaseRead:
    """One row of ``repository.QUEUE_COLUMNS`` as the answer (the case detail's head)."""
    values = dict(zip(repository.QUEUE_KEYS, line, strict=True))
    return _read(values, today or deadlines.today())


_CASE_KEYS = tuple(key for key in repository.QUEUE_KEYS if key not in ("name", "rrn_masked"))


def _read(v: dict[str, Any], today: date) -> CaseRead:
    status = CaseStatus(v["status"])
    due_on = v["due_on"]
    return CaseRead(
        **{key: v[key] for key in _AS_STORED},
        status=status.value,
        status_label=STATUS_LABELS[status],
        overdue=due_on is not None and due_on < today,
        version=v["version_id"],
    )


# the answer's fields that are the stored values under the same name
_AS_STORED = tuple(key for key in repository.QUEUE_KEYS if key not in ("status", "version_id"))


def open_case(session: Session, user: User, body: CaseCreate, resource: str = "care_case") -> Case:
    """신청·발굴: record channel, applicant and consents; the case starts in ``applied``.

    ``resource`` is the policy entry asked: ``care_case`` for officers, ``care_application`` for a
    resident applying for themselves from their own window (scope ``own``).
    """
    area = policy.check(user, Action.create, resource)
    person = repository.get_person(session, body.person_id)
    policy.check_hidden(
        user,
        Action.create,
        resource,
        None if person is None else Target(dong=person.dong, person_id=person.id),
        body.person_id,
        "주민을 찾을 수 없습니다 (예: P0000001)",
        "person_id",
    )
    assert person is not None
    officer_id = _officer_for(session, user, body.officer_id, person.dong, area)
    now, today = utcnow(), deadlines.today()
    group = eligibility.check_target_group(person, body.target_group, today)
    case = Case(
        person_id=person.id,
        dong=person.dong,
        channel=body.channel.value,
        applicant_name=body.applicant_name,
        applicant_relation=body.applicant_relation,
        status=CaseStatus.applied.value,
        officer_id=officer_id,
        opened_on=today,
        status_since=now,
        due_on=deadlines.due_on(CaseStatus.applied, today),
        target_group=group.value,
        ex_officio_ground=body.ex_officio_ground.value if body.ex_officio_ground else None,
    )
    session.add(case)
    session.flush()
    for purpose in dict.fromkeys(body.consents):
        session.add(
            Consent(
                case_id=case.id,
                purpose=purpose.value,
                given_by=eligibility.consent_giver(body, person),
                given_at=now,
                recorded_by=user.username,
            )
        )
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            actor=user.username,
            action="open",
            to_status=case.status,
            detail=_intake_sentence(case),
        )
    )
    record(
        session,
        user,
        "create",
        "care_case",
        case.id,
        "통합돌봄 신청 접수",
        _intake_sentence(case),
    )
    session.flush()
    return case


def update_intake(session: Session, user: User, case_id: int, body: CaseIntake) -> Case:
    """Record the 대상자 구분 or the 직권신청 사유 that intake (or the migration) left out."""
    case = case_for_change(session, user, case_id, body.version, body.model_dump(mode="json"))
    person = repository.get_person(session, case.person_id)
    assert person is not None
    if body.target_group is not None:
        case.target_group = eligibility.check_target_group(
            person, body.target_group, deadlines.today()
        ).value
    if body.ex_officio_ground is not None:
        if case.channel != Channel.ex_officio.value:
            raise InvalidInput(
                "직권 신청 사례에만 직권신청 사유를 기록합니다", where="ex_officio_ground"
            )
        case.ex_officio_ground = body.ex_officio_ground.value
    case.review_flag = eligibility.intake_flag(case)
    transition(session, user, case, "intake", "대상자 구분·직권 사유 기록")
    return case


def _intake_sentence(case: Case) -> str:
    text = f"{CHANNEL_LABELS[Channel(case.channel)]} 신청 접수"
    if case.ex_officio_ground:
        ground = rules.EX_OFFICIO_GROUNDS[rules.ExOfficioGround(case.ex_officio_ground)][0]
        text += f" (직권신청 사유: {ground})"
    return text


def _officer_for(
    session: Session, user: User, officer_id: int | None, dong: str, area: Scope
) -> int | None:
    """The case's officer: one who may work cases of ``dong``; a dong officer's own by default."""
    if officer_id is None:
        return user.id if area is Scope.own_dong else None
    officer = session.get(User, officer_id)
    may_work = (
        officer is not None
        and officer.is_active
        and policy.permits(officer, Action.change, "care_case", Target(dong=dong))
    )
    if not may_work:
        raise InvalidInput(
            f"{dong} 사례를 맡을 수 있는 담당자가 아닙니다 (동 담당자 또는 구 통합돌봄과)",
            where="officer_id",
            example=str(user.id),
        )
    return officer_id


def load_case(session: Session, user: User, case_id: int, action: Action = Action.view) -> Case:
    case = repository.get_case(session, case_id)
    if case is None:
        raise NotFound(f"사례 {case_id}번이 없습니다", where="case_id")
    policy.check(user, action, "care_case", Target(dong=case.dong), case.id)
    return case


def load_case_line(session: Session, user: User, case_id: int) -> CaseLine:
    """``load_case`` as one plain row with the person's name and masked RRN (read-only paths)."""
    line = repository.case_line(session, case_id)
    if line is None:
        raise NotFound(f"사례 {case_id}번이 없습니다", where="case_id")
    policy.check(user, Action.view, "care_case", Target(dong=line.dong), line.id)
    return line


def read_case(
    session: Session, user: User, case_id: int, purpose: str = "사례 조회"
) -> tuple[Case, Person]:
    """A case and its person, scoped and audited as a read of personal data."""
    case = load_case(session, user, case_id)
    person = repository.get_person(session, case.person_id)
    assert person is not None
    record(session, user, "read", "care_case", case.id, purpose)
    return case, person


def whole_case(
    session: Session, user: User, case_id: int, purpose: str = "사례 상세 조회"
) -> CaseDetailRead:
    """The whole case (the case and every step of its path) for the case page and the API alike."""
    line = load_case_line(session, user, case_id)
    detail = CaseDetailRead(case=line_to_read(line), **serialize.case_path(session, line.id))
    # audited last: the audit chain's lock is then held only from here to the commit
    record(session, user, "read", "care_case", line.id, purpose)
    return detail


def summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "status": case.status,
        "status_label": STATUS_LABELS[CaseStatus(case.status)],
        "officer_id": case.officer_id,
        "need_level": case.need_level,
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "version": case.version_id,
        "modified_at": (case.modified_at or case.created_at).isoformat(),
    }


def check_version(case: Case, version: int, submitted: dict[str, Any] | None = None) -> None:
    """Optimistic lock: refuse a change made on a stale copy, showing both versions."""
    if case.version_id != version:
        raise Conflict(
            f"다른 사람이 먼저 이 사례를 수정했습니다 (보신 버전 {version}, 현재 버전 {case.version_id}). "
            "현재 내용을 확인한 뒤 다시 저장하세요.",
            where="version",
            example=str(case.version_id),
            details={
                "your_version": version,
                "current_version": case.version_id,
                "current": summary(case),
                "submitted": submitted,
            },
        )


def case_for_change(
    session: Session,
    user: User,
    case_id: int,
    version: int,
    submitted: dict[str, Any] | None = None,
) -> Case:
    case = repository.get_case(session, case_id, for_update=True)
    if case is None:
        raise NotFound(f"사례 {case_id}번이 없습니다", where="case_id")
    policy.check(user, Action.change, "care_case", Target(dong=case.dong), case.id)
    check_version(case, version, submitted)
    return case


def transition(
    session: Session, user: User, case: Case, action: str, detail: str = ""
) -> CaseEvent:
    """Move ``case`` by ``action`` (refused unless in the table), with its event and audit row."""
    old = CaseStatus(case.status)
    new = next_status(action, old)
    if action == "reopen":
        new = _status_before_closing(session, case)
    now = utcnow()
    event = CaseEvent(
        case_id=case.id,
        at=now,
        actor=user.username,
        action=action,
        from_status=old.value,
        to_status=new.value,
        detail=detail,
    )
    if new is not old:
        event.step_days = _days_since(case.status_since, now)
        case.status = new.value
        case.status_since = now
    refresh_due(session, case)
    case.modified_at = now  # every change bumps the case version, even without a new status
    session.add(event)
    record(  # stored in Korean, as a person reads it on the audit page and in exports
        session,
        user,
        "update",
        "care_case",
        case.id,
        ACTION_LABELS.get(action, action),
        f"{STATUS_LABELS[old]} → {STATUS_LABELS[new]} {detail}".strip()[:500],
    )
    session.flush()
    return event


def _status_before_closing(session: Session, case: Case) -> CaseStatus:
    closing = repository.last_close_event(session, case.id)
    if closing is None or closing.from_status is None:
        return CaseStatus.applied
    return CaseStatus(closing.from_status)


def refresh_due(session: Session, case: Case) -> None:
    """The case's due day: step working days, the 점검 (규칙 제10조①), the 재평가 (법 제12조②)."""
    status = CaseStatus(case.status)
    since = case.status_since
    entered = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(deadlines.SEOUL)
    found = repository.due_inputs(session, case.id)
    review = None
    if found.first_plan_at is not None:
        first = found.first_plan_at
        first_on = (first if first.tzinfo else first.replace(tzinfo=UTC)).astimezone(
            deadlines.SEOUL
        )
        review = deadlines.review_due(first_on.date(), found.last_review_on)
    due = deadlines.case_due(status, entered.date(), review, found.reassess_on)
    upcoming = found.next_followup_due
    if due is not None and upcoming is not None:
        due = min(due, upcoming)
    case.due_on = due


def _days_since(since: datetime, now: datetime) -> float:
    start = since if since.tzinfo else since.replace(tzinfo=now.tzinfo)
    return round((now - start).total_seconds() / 86400, 3)


def give_consent(session: Session, user: User, case_id: int, body: ConsentChange) -> Consent:
    case = case_for_change(session, user, case_id, body.version)
    if repository.active_consent(session, case.id, body.purpose.value):
        raise InvalidInput(
            "이미 유효한 동의가 있습니다", where="purpose", example=body.purpose.value
        )
    consent = Consent(
        case_id=case.id,
        purpose=body.purpose.value,
        given_by=body.given_by,
        given_at=utcnow(),
        recorded_by=user.username,
    )
    session.add(consent)
    _consent_event(session, user, case, "consent", body.purpose)
    return consent


def withdraw_consent(session: Session, user: User, case_id: int, body: ConsentChange) -> Consent:
    """Withdrawal takes effect at once: every later use checks for an active consent."""
    case = case_for_change(session, user, case_id, body.version)
    consent = repository.active_consent(session, case.id, body.purpose.value)
    if consent is None:
        raise InvalidInput(
            "철회할 유효한 동의가 없습니다", where="purpose", example=body.purpose.value
        )
    consent.withdrawn_at = utcnow()
    _consent_event(session, user, case, "withdraw", body.purpose)
    return consent


def _consent_event(
    session: Session, user: User, case: Case, kind: str, purpose: ConsentPurpose
) -> None:
    now = utcnow()
    case.modified_at = now
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            actor=user.username,
            action=kind,
            from_status=case.status,
            to_status=case.status,
            detail=CONSENT_LABELS[purpose],
        )
    )
    record(session, user, "update", "care_consent", case.id, kind, CONSENT_LABELS[purpose])
    session.flush()


def require_consent(session: Session, case: Case, purpose: ConsentPurpose, where: str) -> None:
    """No step without the person's consent; 직권 too (법 제10조②: 설명하고 사전 동의를 받아야)."""
    if repository.active_consent(session, case.id, purpose.value) is None:
        rule = f" ({rules.CONSENT_RULE.ref})" if case.channel == Channel.ex_officio.value else ""
        raise InvalidInput(
            f"'{CONSENT_LABELS[purpose]}' 동의가 없습니다 (철회되었거나 받지 않음){rule}. "
            "대상자에게 지원 내용을 설명하고 동의를 받아 기록하세요",
            where=where,
            example="동의 기록: 목적 '조사·판정을 위한 정보 수집·이용', 동의자 '본인'",
        )
