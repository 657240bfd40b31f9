"""Every query of the pharm workflow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from gibon.pharm.models import Draft, DraftRow, FindingRecord, FollowUp, Visit
from gibon.residents.models import Person


def get_person(db: Session, person_id: str) -> Person | None:
    return db.get(Person, person_id)


def get_visit(db: Session, visit_id: int) -> Visit | None:
    return db.get(Visit, visit_id, options=[joinedload(Visit.person)])


def list_visits(
    db: Session,
    dong: str | None,
    status: str | None,
    limit: int,
    offset: int,
    pharmacist_id: int | None = None,
) -> Sequence[Visit]:
    q = select(Visit).options(joinedload(Visit.person))
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


SEARCH_LIMIT = 50


def persons_named(db: Session, name: str) -> Sequence[Person]:
    """Exact name first, then names that begin with it."""
    q = (
        select(Person)
        .where(Person.name.startswith(name, autoescape=True))
        .order_by(Person.name != name, func.length(Person.name), Person.birth_date, Person.id)
        .limit(SEARCH_LIMIT)
    )
    return db.scalars(q).all()


def persons_born(db: Session, birth: date) -> Sequence[Person]:
    q = select(Person).where(Person.birth_date == birth).order_by(Person.name, Person.id)
    return db.scalars(q.limit(SEARCH_LIMIT)).all()


def persons_by_masked_rrn(db: Session, start: str) -> Sequence[Person]:
    """By the stored masked number's visible part: birth date, and the sex digit when given."""
    q = select(Person).where(Person.rrn_masked.startswith(start)).order_by(Person.name, Person.id)
    return db.scalars(q.limit(SEARCH_LIMIT)).all()


def persons_by_rrn_hash(db: Session, rrn_hash: str) -> Sequence[Person]:
    return db.scalars(select(Person).where(Person.rrn_hash == rrn_hash).limit(SEARCH_LIMIT)).all()


def draft(db: Session, visit_id: int) -> Draft | None:
    return db.scalars(select(Draft).where(Draft.visit_id == visit_id)).one_or_none()


def draft_rows(db: Session, draft_id: int) -> Sequence[DraftRow]:
    q = select(DraftRow).where(DraftRow.draft_id == draft_id).order_by(DraftRow.position)
    return db.scalars(q).all()


def draft_row(db: Session, draft_id: int, row_id: int) -> DraftRow | None:
    r = db.get(DraftRow, row_id)
    return r if r is not None and r.draft_id == draft_id else None


def last_position(db: Session, draft_id: int) -> int:
    q = select(func.max(DraftRow.position)).where(DraftRow.draft_id == draft_id)
    return int(db.scalar(q) or 0)


def delete_records(db: Session, visit_id: int) -> None:
    for rec in records(db, visit_id):
        db.delete(rec)
