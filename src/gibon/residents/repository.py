"""Every query on residents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from gibon.residents.models import Household, Person


def count_persons(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def persons_by_dong(session: Session, born_on_or_before: date) -> list[tuple[str, int, int]]:
    """(dong, persons, persons born on or before the date) per dong."""
    older = func.sum(case((Person.birth_date <= born_on_or_before, 1), else_=0))
    query = select(Person.dong, func.count(), older).group_by(Person.dong)
    return [(d, int(n), int(o or 0)) for d, n, o in session.execute(query)]


def households_by_dong(session: Session) -> list[tuple[str, int, int, int]]:
    """(dong, households, living alone, semi-basement) per dong."""
    alone = func.sum(case((Household.living_alone.is_(True), 1), else_=0))
    semi = func.sum(case((Household.housing_type == "semi_basement", 1), else_=0))
    query = select(Household.dong, func.count(), alone, semi).group_by(Household.dong)
    return [(d, int(n), int(a or 0), int(s or 0)) for d, n, a, s in session.execute(query)]


def get_person(session: Session, person_id: str) -> Person | None:
    return session.get(Person, person_id)


def find_by_rrn_hash(session: Session, rrn_hash: str) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.rrn_hash == rrn_hash)))


def search_by_name(session: Session, name: str, dong: str | None, limit: int = 50) -> list[Person]:
    query = select(Person).where(Person.name == name).order_by(Person.id).limit(limit)
    if dong:
        query = query.where(Person.dong == dong)
    return list(session.scalars(query))


def get_persons(session: Session, person_ids: set[str]) -> list[Person]:
    if not person_ids:
        return []
    return list(session.scalars(select(Person).where(Person.id.in_(person_ids))))
