"""My documents: the 종합판정 result notice, the 개인별지원계획 notice (별지 제2호서식), the 방문약료 guide written for the
resident, and the visit calendar (.ics), each only of the person the window acts for; the
officers' own generators render them, the window checks scope ``own`` and audits the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Target
from gibon.care.cases import service as care
from gibon.care.models import Case, Decision, FollowUp, PlanVersion
from gibon.care.plans import notices
from gibon.errors import NotFound
from gibon.pharm import inputs, report
from gibon.pharm.models import Visit
from gibon.pharm.review import review
from gibon.residents.models import Person
from gibon.window.acting import Me

NOT_FOUND = "찾는 문서가 없어요. 목록에서 다시 골라 주세요"
FOLLOWUP_KINDS = {"phone": "전화 점검", "visit": "방문 점검", "reassessment": "다시 평가"}


@dataclass(frozen=True)
class Listing:
    decisions: list[tuple[Case, Decision]]
    plans: list[tuple[Case, PlanVersion]]
    guides: list[Visit]
    visits: list[FollowUp]


def listing(session: Session, me: Me) -> Listing:
    policy.check(me.user, Action.view, "my_household", Target(person_id=me.person_id))
    cases = list(session.scalars(select(Case).where(Case.person_id == me.person_id)))
    by_id = {c.id: c for c in cases}
    plans = session.scalars(
        select(PlanVersion).where(PlanVersion.case_id.in_(list(by_id))).order_by(PlanVersion.id)
    )
    guides = session.scalars(
        select(Visit).where(Visit.person_id == me.person_id).order_by(Visit.id.desc())
    )
    decisions = session.scalars(
        select(Decision).where(Decision.case_id.in_(list(by_id))).order_by(Decision.id)
    )
    return Listing(
        [(by_id[d.case_id], d) for d in decisions],
        [(by_id[p.case_id], p) for p in plans],
        [v for v in guides if v.history],
        _upcoming(session, list(by_id)),
    )


def _upcoming(session: Session, case_ids: list[int]) -> list[FollowUp]:
    query = select(FollowUp).where(FollowUp.case_id.in_(case_ids), FollowUp.status == "scheduled")
    return list(session.scalars(query.order_by(FollowUp.due_on)))


def _export(session: Session, me: Me, resource: str, rid: object, purpose: str) -> None:
    care.record(session, me.user, "export", resource, rid, purpose + me.purpose_suffix)


def plan_pdf(session: Session, me: Me, case_id: int, number: int) -> bytes:
    case = session.get(Case, case_id)
    target = Target(person_id=case.person_id) if case is not None else None
    policy.check_hidden(me.user, Action.export, "my_documents", target, case_id, NOT_FOUND, "문서")
    assert case is not None
    person = session.get(Person, case.person_id)
    assert person is not None
    html = notices.plan_notice_of(session, case, person, number)
    _export(session, me, "care_case", case.id, f"개인별지원계획 {number}판 내려받기")
    return notices.pdf(html)


def decision_pdf(session: Session, me: Me, decision_id: int) -> bytes:
    """The 종합판정 result notice (법 제12조①) of the person's own case."""
    decision = session.get(Decision, decision_id)
    case = session.get(Case, decision.case_id) if decision is not None else None
    target = Target(person_id=case.person_id) if case is not None else None
    policy.check_hidden(
        me.user, Action.export, "my_documents", target, decision_id, NOT_FOUND, "문서"
    )
    assert decision is not None and case is not None
    person = session.get(Person, case.person_id)
    assert person is not None
    html = notices.decision_notice_of(session, case, person, decision)
    _export(session, me, "care_case", case.id, "종합판정 결과 안내 내려받기")
    return notices.pdf(html)


def guide_pdf(session: Session, me: Me, visit_id: int) -> bytes:
    visit = session.get(Visit, visit_id)
    target = Target(person_id=visit.person_id) if visit is not None else None
    policy.check_hidden(me.user, Action.export, "my_documents", target, visit_id, NOT_FOUND, "문서")
    assert visit is not None
    if not visit.history:
        raise NotFound(NOT_FOUND, where="문서")
    _export(session, me, "person", visit.person_id, "방문약료 안내서 내려받기")
    return report.pdf(review(inputs.from_data(visit.history)), "resident")


def calendar(session: Session, me: Me, today: dt.date) -> str:
    """The scheduled check visits and calls of the person's care cases, as an iCalendar file."""
    policy.check(me.user, Action.export, "my_documents", Target(person_id=me.person_id))
    case_ids = list(session.scalars(select(Case.id).where(Case.person_id == me.person_id)))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gibon//window//KO", "CALSCALE:GREGORIAN"]
    for f in _upcoming(session, case_ids):
        day = f.due_on.strftime("%Y%m%d")
        lines += [
            "BEGIN:VEVENT",
            f"UID:care-followup-{f.id}@gibon",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day}",
            f"SUMMARY:통합돌봄 {FOLLOWUP_KINDS.get(f.kind, '점검')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    _export(session, me, "person", me.person_id, f"방문 일정 내려받기 ({today.isoformat()})")
    return "\r\n".join(lines) + "\r\n"
