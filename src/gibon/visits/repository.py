"""Every query of stored visit plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gibon.visits.models import VisitPlan


def get(db: Session, plan_id: int) -> VisitPlan | None:
    return db.get(VisitPlan, plan_id)


def list_plans(db: Session, day: date | None, limit: int, offset: int) -> Sequence[VisitPlan]:
    q = select(VisitPlan)
    if day is not None:
        q = q.where(VisitPlan.plan_date == day)
    q = q.order_by(VisitPlan.plan_date.desc(), VisitPlan.id.desc()).limit(limit).offset(offset)
    return db.scalars(q).all()


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
