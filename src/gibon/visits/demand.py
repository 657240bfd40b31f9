"""A day's visit requests gathered from the system itself, as the REQUESTS.json the planner reads.

Four sources, each request keeping where it came from (``source``) so the visit's outcome can be
written back: integrated-care follow-up visits due, assigned to a visiting professional; accepted
referrals to the 의료드림 services awaiting their first visit; 방문약료 visits planned for the day;
visits asked for on the page (urgent same-day ones among them). Each request names the resident,
a synthetic address placed inside their dong, the needs, the window, the priority and who saw the
resident last (continuity). A resident whose home cannot be placed inside their dong is sent with
no location: the planner reports that visit and plans the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from gibon.residents import contact
from gibon.visits import geo, labels, repository
from gibon.visits.engine.problem import Point
from gibon.visits.models import Staff

OVERDUE_DAYS = 14  # a follow-up visit this many days late is still gathered (as urgent)
REFERRAL_SERVICES = {  # 의료드림 referral -> needs of its first visit, together
    "visit_doctor": ([("doctor", 30)], None),
    "visit_nursing": ([("nurse", 40)], None),
    "home_medical": ([("doctor", 30), ("nurse", 30)], "simultaneous"),
    "visit_pharmacy": ([("pharmacist", 40)], None),
}
DAY_WINDOW = ("09:00", "17:00")


@dataclass(frozen=True)
class Ask:
    """One request before the resident's details are joined in."""

    kind: str  # followup | referral | pharm | request
    source_id: int
    person_id: str
    needs: list[tuple[str, int]]
    purpose: str
    priority: int = 2
    window: tuple[str, str] = DAY_WINDOW
    together: str | None = None
    gap: list[int] | None = None
    preferred: str | None = None
    case_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def professional_json(row: Staff, shift: tuple[str, str] | None = None) -> dict[str, Any]:
    start, end = shift or (row.shift_start, row.shift_end)
    out: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "profession": row.profession,
        "skills": list(row.skills),
        "shift": [start, end],
        "base": {"lat": row.base_lat, "lon": row.base_lon},
        "mode": row.mode,
        "max_visits": row.max_visits,
        "phone": row.phone,
    }
    if row.break_window and row.break_window[0] >= start and row.break_window[1] <= end:
        out["break"] = {"window": list(row.break_window), "minutes": row.break_minutes}
    return out


def asks(db: Session, day: date, staff: dict[str, Staff]) -> list[Ask]:
    since = day - timedelta(days=OVERDUE_DAYS)
    out = [
        Ask(
            "followup",
            f.id,
            case.person_id,
            [(staff[f.assignee_org].profession, 30)],
            f"통합돌봄 모니터링 방문 (사례 {case.id}번, 예정일 {f.due_on:%m월 %d일})",
            priority=1 if f.due_on < day else 2,
            preferred=f.assignee_org,
            case_id=case.id,
            extra={"missed_note": f.notes} if f.status == "missed" else {},  # why it is back
        )
        for f, case in repository.followups_due(db, since, day)
        if f.assignee_org in staff
    ]
    for ref, case in repository.referrals_waiting(db, list(REFERRAL_SERVICES), day):
        needs, together = REFERRAL_SERVICES[ref.service_type]
        what = labels.SERVICE.get(ref.service_type, "방문")
        out.append(
            Ask(
                "referral",
                ref.id,
                case.person_id,
                needs,
                f"{what} 첫 방문 (의뢰 {ref.id}번)",
                together=together,
                case_id=case.id,
                extra={"referral_note": ref.note},
            )
        )
    for visit, org in repository.pharm_visits_due(db, since, day):
        out.append(
            Ask(
                "pharm",
                visit.id,
                visit.person_id,
                [("pharmacist", 40)],
                f"방문약료: 약물 검토 (검토 {visit.id}번)",
                priority=1 if visit.planned_on < day else 2,
                preferred=org if org in staff else None,
                extra={"review": f"/pharm/visits/{visit.id}"},
            )
        )
    for req in repository.requests_for(db, day):
        out.append(
            Ask(
                "request",
                req.id,
                req.person_id,
                [(n["profession"], int(n["minutes"])) for n in req.needs],
                req.purpose or "요청 방문",
                priority=req.priority,
                window=(req.window_start, req.window_end),
                together=req.together,
                gap=req.gap_minutes,
            )
        )
    return out


def requests_for_day(
    db: Session, day: date, on_duty: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """REQUESTS.json for ``day``: the staff on duty (id -> shift; all active staff if None)."""
    staff = {s.id: s for s in repository.staff(db)}
    duty = (
        on_duty
        if on_duty is not None
        else {s.id: (s.shift_start, s.shift_end) for s in staff.values()}
    )
    wanted = asks(db, day, staff)
    people = repository.residents(db, {a.person_id for a in wanted})
    last = repository.last_seen_by(db, {a.person_id for a in wanted})
    visits = [_visit(a, people.get(a.person_id), last.get(a.person_id), day) for a in wanted]
    return {
        "date": day.isoformat(),
        "source": "system",
        "professionals": [professional_json(staff[i], duty[i]) for i in duty if i in staff],
        "visits": visits,
    }


def _visit(ask: Ask, person: Any, last: tuple[str, str] | None, day: date) -> dict[str, Any]:
    key = {"followup": "F", "referral": "R", "pharm": "P", "request": "U"}[ask.kind]
    seen_by, last_note = last or (None, "")
    out: dict[str, Any] = {
        "id": f"{key}{ask.source_id}",
        "resident": ask.person_id,
        "needs": [{"profession": p, "skills": [], "minutes": m} for p, m in ask.needs],
        "together": ask.together,
        "gap_minutes": ask.gap,
        "window": list(ask.window),
        "priority": ask.priority,
        "preferred": ask.preferred or seen_by,
        "purpose": ask.purpose,
        "source": {"kind": ask.kind, "id": ask.source_id, "case_id": ask.case_id},
        "last_note": last_note,
        **ask.extra,
    }
    if person is None:
        return {**out, "location": None, "address_problem": "주민 정보를 찾지 못함"}
    p, household = person
    out.update(
        name=p.name,
        age=_age(p.birth_date, day),
        dong=p.dong,
        address=synthetic_address(household.id, p.dong),
        synthetic_address=True,
        phone=synthetic_phone(p.id),
    )
    point = Point(household.lat, household.lon)
    if geo.dong_of(point) != p.dong:
        return {**out, "location": None, "address_problem": f"주소 위치가 {p.dong} 경계 밖임"}
    return {**out, "location": {"lat": point.lat, "lon": point.lon}}


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def synthetic_address(household_id: str, dong: str) -> str:
    """The resident's synthetic address (one scheme for every page), marked as made up."""
    return f"{contact.synthetic_address(household_id, dong)} (합성 주소)"


def synthetic_phone(person_id: str) -> str:
    """The resident's synthetic number, in the 010-0xxx block no subscriber is given."""
    return contact.synthetic_phone(person_id)
