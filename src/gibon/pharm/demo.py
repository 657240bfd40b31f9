"""Demo 방문약료 data: the highest-priority older residents get planned visits (synthetic only).

Histories are synthetic twelve-month dispensings that follow each person's conditions; rows are
written directly as one system load, recorded as one audit entry.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.kit.crypto import Vault
from gibon.pharm import inputs, service
from gibon.pharm.models import Draft, DraftRow, FindingRecord, FollowUp, Visit
from gibon.pharm.review import review
from gibon.residents.models import Person

CANDIDATES = 400


def clear(session: Session) -> None:
    for table in (DraftRow, Draft, FollowUp, FindingRecord, Visit):
        session.execute(delete(table))


def load(session: Session, vault: Vault, visits: int = 40, today: date | None = None) -> int:
    """Replace pharm data with ``visits`` planned visits for the highest-priority residents."""
    del vault  # no resident number is needed here
    today = today or date.today()
    clear(session)
    born_before = date(today.year - 70, today.month, 1)
    # Ordered by the keyed resident-number hash: a spread over every dong, the same on every load
    # with the same key, without reading every older resident into memory.
    older = (
        select(Person)
        .where(Person.birth_date <= born_before)
        .order_by(Person.rrn_hash)
        .limit(CANDIDATES * 4)
    )
    people = [p for p in session.scalars(older) if len(p.conditions or []) >= 2][:CANDIDATES]
    scored = []
    for person in people:
        history = service.person_history(person, today)
        rv = review(inputs.from_data(history))
        scored.append((rv.priority["score"], person, history, rv.to_dict()))
    scored.sort(key=lambda x: (-x[0], x[1].id))
    # the demo's visits are the demo pharmacist's own (a pharmacist sees only visits assigned to them)
    pharmacist = session.scalar(
        select(User.id).where(User.role == Role.pharmacist.value).order_by(User.id).limit(1)
    )
    for rank, (score, person, history, data) in enumerate(scored[:visits]):
        visit = Visit(
            person_id=person.id,
            dong=person.dong,
            pharmacist_id=pharmacist,
            planned_on=today + timedelta(days=rank // 5),
            review_date=today,
            priority_score=float(score),
            history=service.jsonable(history),
            review=data,
        )
        session.add(visit)
        session.flush()
        for i, f in enumerate(data["findings"]):
            session.add(
                FindingRecord(
                    visit_id=visit.id,
                    position=i,
                    category=f["category"],
                    severity=f["severity"],
                    title=str(f["title"])[:200],
                )
            )
    audit.record_on_commit(
        session,
        actor="system",
        role="admin",
        action="demo_load",
        resource="pharm_visit",
        purpose="시연 데이터",
        detail=f"visits={min(visits, len(scored))}",
    )
    session.flush()
    return min(visits, len(scored))
