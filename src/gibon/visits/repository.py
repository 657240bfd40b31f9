"""Every query of stored visit plans."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, load_only

from gibon.visits.models import VisitPlan


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
    """Remove every stored plan (the demo reload replaces the residents they name)."""
    db.execute(delete(VisitPlan))
