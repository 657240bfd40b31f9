"""Every query the simulator makes: residents as frames, stored runs, outreach contacts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.population import schema
from gibon.residents.models import Household, Person
from gibon.simulator.models import OutreachContact, SimulationRun

HOUSEHOLD_COLUMNS = (
    "dong",
    "size",
    "tenure",
    "housing_type",
    "deposit",
    "monthly_rent",
    "asset_housing",
    "asset_deposits",
    "asset_financial",
    "asset_car",
    "debt",
    "living_alone",
)
PERSON_COLUMNS = (
    "household_id",
    "dong",
    "birth_date",
    "sex",
    "relation",
    "employment",
    "earned_income",
    "business_income",
    "pension_income",
    "property_income",
    "disability",
    "conditions",
    "ltc_grade",
    "student",
)


def population_frames(
    session: Session, dong: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Residents in the population file layout (no names, no resident numbers)."""
    hq = select(Household.id, *(getattr(Household, c) for c in HOUSEHOLD_COLUMNS)).order_by(
        Household.id
    )
    pq = select(Person.id, *(getattr(Person, c) for c in PERSON_COLUMNS)).order_by(
        Person.household_id, Person.id
    )
    if dong:
        hq, pq = hq.where(Household.dong == dong), pq.where(Person.dong == dong)
    households = _frame(session.execute(hq).all(), ["household_id", *HOUSEHOLD_COLUMNS])
    persons = _frame(session.execute(pq).all(), ["person_id", *PERSON_COLUMNS])
    persons = persons.with_columns(pl.lit(False).alias("pregnant"))
    # Typed as population files are, so an all-empty column (no LTC grade in a small dong)
    # keeps its type instead of becoming Null.
    return _typed(households, schema.HOUSEHOLDS), _typed(persons, schema.PERSONS)


def _typed(frame: pl.DataFrame, types: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).cast(t) for c, t in types.items() if c in frame.columns)


def _frame(rows: Sequence[Any], names: list[str]) -> pl.DataFrame:
    columns: list[list[Any]] = (
        [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]
    )
    return pl.DataFrame(dict(zip(names, columns, strict=True)), strict=False)


def count_households(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Household)) or 0


def add_run(session: Session, run: SimulationRun) -> SimulationRun:
    session.add(run)
    session.flush()
    return run


def get_run(session: Session, run_id: int) -> SimulationRun | None:
    return session.get(SimulationRun, run_id)


def list_runs(session: Session, limit: int = 50) -> list[SimulationRun]:
    q = select(SimulationRun).order_by(SimulationRun.id.desc()).limit(limit)
    return list(session.scalars(q))


def add_contact(session: Session, contact: OutreachContact) -> OutreachContact:
    session.add(contact)
    session.flush()
    return contact


def latest_contacts(session: Session, dong: str) -> dict[str, OutreachContact]:
    """The most recent contact per household in ``dong``."""
    rows = session.scalars(
        select(OutreachContact)
        .where(OutreachContact.dong == dong)
        .order_by(OutreachContact.household_id, OutreachContact.recorded_at, OutreachContact.id)
    )
    return {c.household_id: c for c in rows}


def contacts_for(session: Session, household_id: str) -> list[OutreachContact]:
    q = (
        select(OutreachContact)
        .where(OutreachContact.household_id == household_id)
        .order_by(OutreachContact.recorded_at.desc(), OutreachContact.id.desc())
    )
    return list(session.scalars(q))


def get_household(session: Session, household_id: str) -> Household | None:
    return session.get(Household, household_id)


def head_names(session: Session, household_ids: list[str]) -> dict[str, tuple[str, int]]:
    """(name, birth year) of each household's head, for the officer who will call."""
    if not household_ids:
        return {}
    q = select(Person.household_id, Person.name, Person.birth_date).where(
        Person.household_id.in_(household_ids), Person.relation == "head"
    )
    return {h: (n, b.year) for h, n, b in session.execute(q)}
