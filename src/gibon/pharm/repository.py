"""Every query of the pharm workflow."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.pharm.models import FindingRecord, FollowUp, Visit
from gibon.residents.models import Person


def get_person(db: Session, person_id: str) -> Person | None:
    return db.get(Person, person_id)


def get_visit(db: Session, visit_id: int) -> Visit | None:
    return db.get(Visit, visit_id)


def list_visits(
    db: Session,
    dong: str | None,
    status: str | None,
    limit: int,
    offset: int,
    pharmacist_id: int | None = None,
) -> Sequence[Visit]:
    q = select(Visit)
    if pharmacist_id is not None:
        q = q.where(Visit.pharmacist_id == pharmacist_id)
    if dong:
        q = q.where(Visit.dong == dong)
    if status:
        q = q.where(Visit.status == status)
    q = (
        q.order_by(Visit.status != "planned", Visit.priority_score.desc(), Visit.id)
        .limit(limit)
        .offset(offset)
    )
    return db.scalars(q).all()


def records(db: Session, visit_id: int) -> Sequence[FindingRecord]:
    return db.scalars(
        select(FindingRecord)
        .where(FindingRecord.visit_id == visit_id)
        .order_by(FindingRecord.position)
    ).all()


def record(db: Session, visit_id: int, record_id: int) -> FindingRecord | None:
    rec = db.get(FindingRecord, record_id)
    return rec if rec is not None and rec.visit_id == visit_id else None


def followups(db: Session, visit_id: int) -> Sequence[FollowUp]:
    return db.scalars(
        select(FollowUp).where(FollowUp.visit_id == visit_id).order_by(FollowUp.due_on)
    ).all()


def followup(db: Session, visit_id: int, followup_id: int) -> FollowUp | None:
    f = db.get(FollowUp, followup_id)
    return f if f is not None and f.visit_id == visit_id else None
