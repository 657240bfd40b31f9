"""Every query of stored visit plans."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, load_only

from gibon.accounts.models import User
from gibon.care.models import OPEN_FOLLOWUP, Case, FollowUp, Referral
from gibon.pharm.models import Visit as PharmVisit
from gibon.residents.models import Household, Person
from gibon.visits.models import Staff, VisitEvent, VisitPlan, VisitRequest


def get(db: Session, plan_id: int) -> VisitPlan | None:
    return db.get(VisitPlan, plan_id)


# What a list shows: everything but the requests and the schedule, which can be large.
_SUMMARY = load_only(
    *(
        getattr(VisitPlan, column.key)
        for column in VisitPlan.__mapper__.column_attrs
        if column.key not in ("requests", "schedule")
    ),
    raiseload=True,
)


def list_plans(
    db: Session, day: date | None, limit: int, member: str | None = None
) -> list[VisitPlan]:
    """Plans newest day first; with ``member``, only the plans that professional is on."""
    q = select(VisitPlan).options(_SUMMARY)
    if day is not None:
        q = q.where(VisitPlan.plan_date == day)
    q = q.order_by(VisitPlan.plan_date.desc(), VisitPlan.id.desc())
    if member is None:
        return list(db.scalars(q.limit(limit)))
    # staff is a JSON list (no portable SQL test for membership): filter the small rows here
    mine = (row for row in db.scalars(q.execution_options(yield_per=500)) if member in row.staff)
    return list(itertools.islice(mine, limit))


def revisions(db: Session, plan: VisitPlan) -> list[VisitPlan]:
    """The plan's whole chain, oldest first: its ancestors, itself and its descendants."""
    chain = [plan]
    while chain[0].parent_id is not None:
        parent = db.get(VisitPlan, chain[0].parent_id)
        if parent is None:
            break
        chain.insert(0, parent)
    while (child := child_of(db, chain[-1].id)) is not None:
        chain.append(child)
    return chain


def child_of(db: Session, plan_id: int) -> VisitPlan | None:
    return db.scalars(
        select(VisitPlan).where(VisitPlan.parent_id == plan_id).order_by(VisitPlan.id).limit(1)
    ).first()


def clear(db: Session) -> None:
    """Remove every stored plan, event, request and the roster (the demo reload replaces the
    residents they name)."""
    for model in (VisitEvent, VisitRequest, VisitPlan, Staff):
        db.execute(delete(model))


# Demand, roster and field events ------------------------------------------------------------


def staff(db: Session, active: bool = True) -> list[Staff]:
    q = select(Staff).order_by(Staff.profession, Staff.id)
    return list(db.scalars(q.where(Staff.active.is_(True)) if active else q))


def followups_due(db: Session, since: date, day: date) -> list[tuple[FollowUp, Case]]:
    q = (
        select(FollowUp, Case)
        .join(Case, Case.id == FollowUp.case_id)
        .where(
            FollowUp.kind == "visit",
            FollowUp.status.in_(OPEN_FOLLOWUP),
            FollowUp.due_on >= since,
            FollowUp.due_on <= day,
            FollowUp.assignee_org.is_not(None),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    return [(f, c) for f, c in db.execute(q)]


def referrals_waiting(db: Session, services: list[str], day: date) -> list[tuple[Referral, Case]]:
    """Accepted referrals to the visiting services whose first visit has not been made."""
    q = (
        select(Referral, Case)
        .join(Case, Case.id == Referral.case_id)
        .where(
            Referral.status == "accepted",
            Referral.service_type.in_(services),
            Referral.offered_on <= day,
        )
        .order_by(Referral.offered_on, Referral.id)
    )
    return [(r, c) for r, c in db.execute(q)]


def pharm_visits_due(db: Session, since: date, day: date) -> list[tuple[PharmVisit, str | None]]:
    q = (
        select(PharmVisit, User.organization_id)
        .outerjoin(User, User.id == PharmVisit.pharmacist_id)
        .where(
            PharmVisit.status == "planned",
            PharmVisit.planned_on >= since,
            PharmVisit.planned_on <= day,
        )
        .order_by(PharmVisit.planned_on, PharmVisit.id)
    )
    return [(v, org) for v, org in db.execute(q)]


def requests_for(db: Session, day: date) -> list[VisitRequest]:
    q = select(VisitRequest).where(VisitRequest.request_date == day, VisitRequest.status == "open")
    return list(db.scalars(q.order_by(VisitRequest.id)))


def residents(db: Session, ids: set[str]) -> dict[str, tuple[Person, Household]]:
    if not ids:
        return {}
    q = (
        select(Person, Household)
        .join(Household, Household.id == Person.household_id)
        .where(Person.id.in_(sorted(ids)))
    )
    return {p.id: (p, h) for p, h in db.execute(q)}


def last_seen_by(db: Session, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Person -> (professional, note) of their latest completed visit."""
    if not ids:
        return {}
    q = (
        select(VisitEvent.person_id, VisitEvent.professional, VisitEvent.note)
        .where(VisitEvent.person_id.in_(sorted(ids)), VisitEvent.kind == "completed")
        .order_by(VisitEvent.happened_at)
    )
    return {str(pid): (prof, note) for pid, prof, note in db.execute(q)}


class DayPlan(NamedTuple):
    """What the day page needs of a plan row: no JSON but the staff list, no ORM object."""

    id: int
    plan_date: date
    revision: int
    title: str
    created_at: datetime
    parent_id: int | None
    staff: list[str]


_CURRENT_OF_DAY = (
    select(*(getattr(VisitPlan, name) for name in DayPlan._fields))
    .where(VisitPlan.plan_date == bindparam("day"), VisitPlan.status == "current")
    .order_by(VisitPlan.id.desc())
)


def current_plan_for(db: Session, day: date, professional: str) -> DayPlan | None:
    """The newest current plan of the day that has the professional on its staff."""
    for row in db.execute(_CURRENT_OF_DAY, {"day": day}):
        if professional in row.staff:
            return DayPlan(*row)  # without its JSON: the caller reads it through ``plan_content``
    return None


def plan_content(db: Session, plan_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stored plan's requests and schedule (the large JSON), apart from the row."""
    q = select(VisitPlan.requests, VisitPlan.schedule).where(VisitPlan.id == plan_id)
    requests, schedule = db.execute(q).one()
    return requests, schedule


def ancestor_ids(db: Session, parent_id: int | None) -> list[int]:
    """The ids of the revisions a plan was re-planned from, oldest first, without any JSON."""
    chain: list[int] = []
    while parent_id is not None:
        chain.insert(0, parent_id)
        parent_id = db.scalar(select(VisitPlan.parent_id).where(VisitPlan.id == parent_id))
    return chain


class DayEvent(NamedTuple):
    """What the day page shows of a recorded action."""

    visit_key: str
    kind: str
    happened_at: datetime
    reason: str


_EVENTS_OF = (
    select(*(getattr(VisitEvent, name) for name in DayEvent._fields))
    .where(
        VisitEvent.plan_id.in_(bindparam("plans", expanding=True)),
        VisitEvent.professional == bindparam("professional"),
    )
    .order_by(VisitEvent.happened_at, VisitEvent.id)
)


def events_for(db: Session, plan_ids: list[int], professional: str) -> list[DayEvent]:
    """One professional's actions on these revisions, in the order they happened."""
    rows = db.execute(_EVENTS_OF, {"plans": plan_ids, "professional": professional})
    return [DayEvent(*row) for row in rows]


def event_by_key(db: Session, key: str) -> VisitEvent | None:
    return db.scalars(select(VisitEvent).where(VisitEvent.idempotency_key == key)).first()


def events_of_plans(db: Session, plan_ids: list[int], professional: str | None) -> list[VisitEvent]:
    """Field events of a plan's revisions, newest first (one professional's only, if given)."""
    q = select(VisitEvent).where(VisitEvent.plan_id.in_(plan_ids))
    if professional is not None:
        q = q.where(VisitEvent.professional == professional)
    return list(db.scalars(q.order_by(VisitEvent.happened_at.desc(), VisitEvent.id.desc())))
