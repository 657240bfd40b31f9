"""Every query on integrated-care tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    RowMapping,
    Select,
    bindparam,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, joinedload

from gibon.care._rows import CaseLine
from gibon.care.models import (
    OPEN_FOLLOWUP,
    Assessment,
    Case,
    CaseEvent,
    Conference,
    Consent,
    Decision,
    FollowUp,
    PlanVersion,
    Provider,
    Referral,
    Screening,
)
from gibon.residents.models import Person


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> Case | None:
    query = select(Case).where(Case.id == case_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def get_person(session: Session, person_id: str) -> Person | None:
    return session.get(Person, person_id)


@dataclass(frozen=True)
class QueueFilter:
    dong: str | None = None
    officer_id: int | None = None
    statuses: tuple[str, ...] = ()
    due: str | None = None  # overdue | due | None
    today: date | None = None
    due_until: date | None = None
    name: str | None = None
    rrn_hash: str | None = None


@dataclass(frozen=True)
class _Shape:
    """Which filters a queue request uses: the statements depend on it, not on the values."""

    dong: bool
    officer: bool
    statuses: bool
    due: str | None
    name: bool
    rrn: bool


def _shape(f: QueueFilter) -> _Shape:
    due = f.due if f.today and (f.due == "overdue" or (f.due == "due" and f.due_until)) else None
    return _Shape(
        bool(f.dong),
        f.officer_id is not None,
        bool(f.statuses),
        due,
        bool(f.name),
        bool(f.rrn_hash),
    )


def _values(f: QueueFilter) -> dict[str, Any]:
    name = f.name or ""
    for special in ("/", "%", "_"):  # a name is matched as typed, LIKE's wildcards escaped
        name = name.replace(special, "/" + special)
    return {
        "dong": f.dong,
        "officer_id": f.officer_id,
        "statuses": list(f.statuses),
        "today": f.today,
        "due_until": f.due_until,
        "name_prefix": name + "%",
        "rrn_hash": f.rrn_hash,
    }


def _queue_query(shape: _Shape, query: Select[Any], person_joined: bool = False) -> Select[Any]:
    if shape.dong:
        query = query.where(Case.dong == bindparam("dong"))
    if shape.officer:
        query = query.where(Case.officer_id == bindparam("officer_id"))
    if shape.statuses:
        query = query.where(Case.status.in_(bindparam("statuses", expanding=True)))
    if shape.due == "overdue":
        query = query.where(Case.due_on < bindparam("today"))
    elif shape.due == "due":
        query = query.where(
            Case.due_on >= bindparam("today"), Case.due_on <= bindparam("due_until")
        )
    if (shape.name or shape.rrn) and not person_joined:
        query = query.join(Person, Person.id == Case.person_id)
    if shape.name:
        query = query.where(Person.name.like(bindparam("name_prefix"), escape="/"))
    if shape.rrn:
        query = query.where(Person.rrn_hash == bindparam("rrn_hash"))
    return query


@cache
def _queue_statements(shape: _Shape) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of one shape, built once: a request only binds its values (building
    the statement afresh each time cost more CPU than PostgreSQL took to answer it)."""
    count = _queue_query(shape, select(func.count()).select_from(Case))
    page = (
        _queue_query(shape, _lines(), person_joined=True)
        .order_by(Case.due_on.asc().nulls_last(), Case.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


# What a work-queue line shows: the case without its notes, and the person's name and masked RRN.
QUEUE_COLUMNS = (
    Case.id,
    Case.person_id,
    Case.dong,
    Case.channel,
    Case.applicant_name,
    Case.applicant_relation,
    Case.status,
    Case.officer_id,
    Case.opened_on,
    Case.status_since,
    Case.due_on,
    Case.need_level,
    Case.close_reason,
    Case.target_group,
    Case.ex_officio_ground,
    Case.review_flag,
    Case.version_id,
    Person.name,
    Person.rrn_masked,
)
QUEUE_KEYS = tuple(column.key for column in QUEUE_COLUMNS)


def queue(session: Session, f: QueueFilter, limit: int, offset: int) -> tuple[int, list[CaseLine]]:
    """One page in due order (no due date last) and the total.

    Plain rows of the columns shown, read through the connection without building ORM objects;
    the page walks a due-ordered index and joins each of its cases to the person by key, and
    ``count(*)`` lets PostgreSQL count from the (dong, status, due_on) index alone.
    """
    conn = session.connection()
    count, page = _queue_statements(_shape(f))
    values = _values(f)
    total = conn.execute(count, values).scalar() or 0
    rows = conn.execute(page, {**values, "limit": limit, "offset": offset}).all()
    return total, list(rows)


def case_line(session: Session, case_id: int) -> CaseLine | None:
    """A case as a work-queue line (the case detail's head), in one query."""
    line: CaseLine | None = session.connection().execute(_LINE, {"case_id": case_id}).first()
    return line


def _lines() -> Select[*tuple[Any, ...]]:
    return select(*QUEUE_COLUMNS).join(Person, Person.id == Case.person_id)


_LINE = _lines().where(Case.id == bindparam("case_id"))  # built once: only the id changes


def events(session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
    )


def _for_case(session: Session, model: Any, case_id: int) -> list[Any]:
    column, order = model.case_id, model.id
    return list(session.scalars(select(model).where(column == case_id).order_by(order)))


def consents(session: Session, case_id: int) -> list[Consent]:
    return _for_case(session, Consent, case_id)


def screenings(session: Session, case_id: int) -> list[Screening]:
    return _for_case(session, Screening, case_id)


def assessments(session: Session, case_id: int) -> list[Assessment]:
    return _for_case(session, Assessment, case_id)


def decisions(session: Session, case_id: int) -> list[Decision]:
    return _for_case(session, Decision, case_id)


def plans(session: Session, case_id: int) -> list[PlanVersion]:
    return _for_case(session, PlanVersion, case_id)


def conferences(session: Session, case_id: int) -> list[Conference]:
    return _for_case(session, Conference, case_id)


def followups(session: Session, case_id: int) -> list[FollowUp]:
    return _for_case(session, FollowUp, case_id)


def referrals(session: Session, case_id: int) -> list[Referral]:
    query = select(Referral).where(Referral.case_id == case_id).order_by(Referral.id)
    return list(session.scalars(query.options(joinedload(Referral.provider))))


# The steps of a case as plain rows (case detail): no ORM objects to build for a read-only page.
PATH_MODELS: dict[str, Any] = {
    "events": CaseEvent,
    "consents": Consent,
    "screenings": Screening,
    "assessments": Assessment,
    "decisions": Decision,
    "plans": PlanVersion,
    "conferences": Conference,
    "referrals": Referral,
    "followups": FollowUp,
}


def steps_with_rows(session: Session, case_id: int) -> set[str]:
    """The steps (keys of ``PATH_MODELS``) that hold at least one row of the case, in one query."""
    return set(session.connection().execute(_STEPS_PROBE, {"case_id": case_id}).scalars())


def _steps_probe() -> CompoundSelect[Any]:
    def step(what: str) -> Select[Any]:
        table = PATH_MODELS[what].__table__
        has = exists().where(table.c.case_id == bindparam("case_id"))
        return select(literal(what).label("step")).where(has)

    return union_all(*(step(what) for what in PATH_MODELS))


_STEPS_PROBE = _steps_probe()  # built once: only the case id changes


def path_rows(session: Session, what: str, case_id: int) -> list[RowMapping]:
    """One step's rows of a case in order; referrals carry their provider's name and org id.

    Read-only paths only: read through the connection, so unflushed changes are not seen.
    """
    return list(session.connection().execute(_path_query(what), {"case_id": case_id}).mappings())


@cache
def _path_query(what: str) -> Select[Any]:
    """Built once per step (a case detail runs all nine): only the case id changes."""
    table = PATH_MODELS[what].__table__
    query = select(table).where(table.c.case_id == bindparam("case_id")).order_by(table.c.id)
    if what == "referrals":
        query = query.add_columns(
            Provider.name.label("provider_name"),
            Provider.organization_id.label("provider_organization_id"),
        ).join(Provider.__table__, Provider.id == table.c.provider_id)
    return query


def plan(session: Session, case_id: int, number: int) -> PlanVersion | None:
    query = select(PlanVersion).where(PlanVersion.case_id == case_id, PlanVersion.number == number)
    return session.scalars(query).first()


def latest_plan_number(session: Session, case_id: int) -> int:
    query = select(func.max(PlanVersion.number)).where(PlanVersion.case_id == case_id)
    return session.scalar(query) or 0


def active_consent(session: Session, case_id: int, purpose: str) -> Consent | None:
    query = select(Consent).where(
        Consent.case_id == case_id, Consent.purpose == purpose, Consent.withdrawn_at.is_(None)
    )
    return session.scalars(query).first()


def providers(session: Session, service_type: str | None = None) -> list[Provider]:
    rows = list(session.scalars(select(Provider).order_by(Provider.id)))
    return [p for p in rows if service_type is None or service_type in p.service_types]


def provider_by_org(session: Session, organization_id: str) -> Provider | None:
    query = select(Provider).where(Provider.organization_id == organization_id)
    return session.scalars(query).first()


def provider_load(session: Session, provider_id: int) -> int:
    query = select(func.count()).where(
        Referral.provider_id == provider_id, Referral.status.in_(("offered", "accepted", "started"))
    )
    return session.scalar(query) or 0


def referral(session: Session, referral_id: int) -> Referral | None:
    query = select(Referral).where(Referral.id == referral_id)
    return session.scalars(query.options(joinedload(Referral.provider))).first()


def referrals_for_org(
    session: Session, organization_id: str, status: str | None, limit: int
) -> list[tuple[Referral, Case, Person]]:
    query = (
        select(Referral, Case, Person)
        .join(Provider, Provider.id == Referral.provider_id)
        .join(Case, Case.id == Referral.case_id)
        .join(Person, Person.id == Case.person_id)
        .where(Provider.organization_id == organization_id)
        .order_by(Referral.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Referral.status == status)
    return list(session.execute(query))


def followups_for(
    session: Session, assignee_org: str | None, dong: str | None, status: str | None, limit: int
) -> list[tuple[FollowUp, Case, Person]]:
    query = (
        select(FollowUp, Case, Person)
        .join(Case, Case.id == FollowUp.case_id)
        .join(Person, Person.id == Case.person_id)
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    if assignee_org is not None:
        query = query.where(FollowUp.assignee_org == assignee_org)
    if dong:
        query = query.where(Case.dong == dong)
    if status == "scheduled":  # still to do: a missed visit stays on the list
        query = query.where(FollowUp.status.in_(OPEN_FOLLOWUP))
    elif status:
        query = query.where(FollowUp.status == status)
    return list(session.execute(query))


def cases_by_ids(session: Session, case_ids: list[int]) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.id.in_(sorted(set(case_ids))))))


def followup(session: Session, followup_id: int) -> FollowUp | None:
    return session.get(FollowUp, followup_id)


def first_plan_at(session: Session, case_id: int) -> datetime | None:
    query = select(func.min(PlanVersion.at)).where(PlanVersion.case_id == case_id)
    return session.scalar(query)


def last_review_on(session: Session, case_id: int) -> date | None:
    """The last 점검 done (a completed follow-up of any kind records the 점검's result)."""
    query = select(func.max(FollowUp.done_on)).where(
        FollowUp.case_id == case_id, FollowUp.status == "done"
    )
    return session.scalar(query)


def latest_decision(session: Session, case_id: int) -> Decision | None:
    query = select(Decision).where(Decision.case_id == case_id).order_by(Decision.id.desc())
    return session.scalars(query.limit(1)).first()


def open_referrals(session: Session, case_id: int) -> list[Referral]:
    query = select(Referral).where(
        Referral.case_id == case_id, Referral.status.in_(("offered", "accepted", "started"))
    )
    return list(session.scalars(query.order_by(Referral.id).options(joinedload(Referral.provider))))


def open_followups(session: Session, case_id: int) -> list[FollowUp]:
    query = select(FollowUp).where(FollowUp.case_id == case_id, FollowUp.status.in_(OPEN_FOLLOWUP))
    return list(session.scalars(query.order_by(FollowUp.id)))


def last_close_event(session: Session, case_id: int) -> CaseEvent | None:
    query = select(CaseEvent).where(
        CaseEvent.case_id == case_id,
        CaseEvent.to_status == "closed",
        CaseEvent.from_status != "closed",
    )
    return session.scalars(query.order_by(CaseEvent.id.desc()).limit(1)).first()


@dataclass(frozen=True)
class DueInputs:
    """What a case's due day depends on besides its step (``service.refresh_due``)."""

    first_plan_at: datetime | None
    last_review_on: date | None
    reassess_on: date | None  # of the latest 판정, unless it is a legacy single-axis one
    next_followup_due: date | None


def due_inputs(session: Session, case_id: int) -> DueInputs:
    """``first_plan_at``, ``last_review_on``, the latest decision's 재평가 date and
    ``next_followup_due`` in one round trip (every transition asks for them)."""
    latest = (
        select(Decision.id)
        .where(Decision.case_id == case_id)
        .order_by(Decision.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    done = (FollowUp.case_id == case_id) & (FollowUp.status == "done")
    scheduled = (FollowUp.case_id == case_id) & FollowUp.status.in_(OPEN_FOLLOWUP)
    query = select(
        select(func.min(PlanVersion.at)).where(PlanVersion.case_id == case_id).scalar_subquery(),
        select(func.max(FollowUp.done_on)).where(done).scalar_subquery(),
        select(Decision.reassess_on)
        .where(Decision.id == latest, Decision.legacy.is_(False))
        .scalar_subquery(),
        select(func.min(FollowUp.due_on)).where(scheduled).scalar_subquery(),
    )
    first, review, reassess, upcoming = session.execute(query).one()
    return DueInputs(first, review, reassess, upcoming)


def next_followup_due(session: Session, case_id: int) -> date | None:
    query = select(func.min(FollowUp.due_on)).where(
        FollowUp.case_id == case_id, FollowUp.status.in_(OPEN_FOLLOWUP)
    )
    return session.scalar(query)


def persons_by_name_prefix(
    session: Session, prefix: str, dong: str | None, limit: int = 50
) -> list[Person]:
    query = select(Person).where(Person.name.startswith(prefix, autoescape=True))
    if dong:
        query = query.where(Person.dong == dong)
    return list(session.scalars(query.order_by(Person.name, Person.id).limit(limit)))
