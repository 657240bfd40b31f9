"""My consents: every consent per purpose with its date and officer, and a withdrawal that takes
effect at once (the care consent model's ``withdrawn_at``, checked on every later use) and tells
the officers of the case (a notice in their 주민 요청함 and on the case page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Target
from gibon.accounts.models import Role, User
from gibon.care.cases import service as care
from gibon.care.cases.schemas import CONSENT_LABELS, ConsentPurpose
from gibon.care.cases.transitions import STATUS_LABELS, CaseStatus
from gibon.care.models import Case, CaseEvent, Consent
from gibon.db import utcnow
from gibon.errors import Conflict, NotFound
from gibon.window import service
from gibon.window.acting import Me, require_act
from gibon.window.models import ResidentRequest

# What a withdrawal stops, said plainly (shown before the resident confirms).
STOPS = {
    ConsentPurpose.assessment: "조사와 판정을 더 할 수 없어요. 돌봄 신청이 멈출 수 있어요",
    ConsentPurpose.sharing: "돌봄 기관끼리 내 정보를 나누지 않아요",
    ConsentPurpose.referral: "서비스 기관에 내 정보를 보내지 않아요",
}
NOT_FOUND = "찾는 동의가 없어요. 목록에서 다시 골라 주세요"


@dataclass(frozen=True)
class MyConsent:
    id: int
    purpose: str  # plain label
    stops: str
    given_at: dt.datetime
    given_by: str
    recorded_by: str  # office and name of the officer who recorded it, or the window
    officer: str  # the case's officer, who is told of a withdrawal
    withdrawn_at: dt.datetime | None
    case_text: str  # "2026년 12월 7일 돌봄 신청 (지금 단계: 신청 접수)"


def mine(session: Session, me: Me) -> list[MyConsent]:
    """Every consent of every care case of the person, newest first; audited as a read."""
    policy.check(me.user, Action.view, "my_household", Target(person_id=me.person_id))
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.person_id == me.person_id))}
    rows = list(
        session.scalars(
            select(Consent)
            .where(Consent.case_id.in_(list(cases)))
            .order_by(Consent.given_at.desc(), Consent.id.desc())
        )
    )
    names = {r.recorded_by for r in rows} | {f"#{c.officer_id}" for c in cases.values()}
    staff = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    staff |= {
        f"#{u.id}": u
        for u in session.scalars(
            select(User).where(User.id.in_([c.officer_id for c in cases.values()]))
        )
    }
    for case_id in cases:
        care.record(
            session, me.user, "read", "care_consent", case_id, "내 동의 확인" + me.purpose_suffix
        )
    return [
        _mine(
            r,
            cases[r.case_id],
            staff.get(r.recorded_by),
            staff.get(f"#{cases[r.case_id].officer_id}"),
        )
        for r in rows
    ]


def _who(recorder: User | None) -> str:
    if recorder is None:  # a row loaded by the system (a migration, the demo)
        return "관악구청 기록 (담당자 이름 없음)"
    if recorder.role_enum is Role.resident:
        return "주민 창구에서 직접 신청하며 동의"
    return service.office_and_name(recorder)


def _mine(row: Consent, case: Case, recorder: User | None, officer: User | None) -> MyConsent:
    purpose = ConsentPurpose(row.purpose)
    day = case.opened_on
    status = STATUS_LABELS[CaseStatus(case.status)]
    return MyConsent(
        id=row.id,
        purpose=CONSENT_LABELS[purpose],
        stops=STOPS[purpose],
        given_at=row.given_at,
        given_by=row.given_by,
        recorded_by=_who(recorder),
        officer=service.office_and_name(officer) if officer else f"{case.dong} 주민센터 (배정 전)",
        withdrawn_at=row.withdrawn_at,
        case_text=f"{day.year}년 {day.month}월 {day.day}일 돌봄 신청 (지금 단계: {status})",
    )


def withdraw(session: Session, me: Me, consent_id: int) -> Consent:
    """Withdraw at once, write the case's event and audit row, and tell the case's officers."""
    consent = session.get(Consent, consent_id, with_for_update=True)
    case = session.get(Case, consent.case_id) if consent is not None else None
    target = Target(person_id=case.person_id) if case is not None else None
    policy.check_hidden(
        me.user, Action.change, "my_consent", target, consent_id, NOT_FOUND, "consent"
    )
    if consent is None or case is None:
        raise NotFound(NOT_FOUND, where="consent")
    require_act(me, "my_consent")
    if consent.withdrawn_at is not None:
        raise Conflict("이미 철회한 동의예요", where="consent")
    now = utcnow()
    consent.withdrawn_at = now
    _tell_officers(session, me, case, ConsentPurpose(consent.purpose), now)
    session.flush()
    return consent


def _tell_officers(
    session: Session, me: Me, case: Case, purpose: ConsentPurpose, now: dt.datetime
) -> None:
    label = CONSENT_LABELS[purpose]
    who = "대리인" if me.for_other else "주민 본인"
    case.modified_at = now
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            actor=me.user.username,
            action="withdraw",
            from_status=case.status,
            to_status=case.status,
            detail=f"{label} ({who}이 주민 창구에서 철회)",
        )
    )
    session.add(
        ResidentRequest(
            kind="consent_withdrawn",
            person_id=case.person_id,
            dong=case.dong,
            case_id=case.id,
            officer_id=case.officer_id,
            field=purpose.value,
            text=f"‘{label}’ 동의를 {who}이 철회했어요. 지금부터 이 목적으로는 정보를 쓸 수 없어요",
            created_by=me.user.username,
            created_at=now,
        )
    )
    purpose_text = "동의 철회" + me.purpose_suffix
    care.record(session, me.user, "update", "care_consent", case.id, purpose_text, label)
