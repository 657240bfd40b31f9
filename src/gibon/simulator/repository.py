"""Every query the simulator makes: residents as frames, stored runs, outreach contacts."""

from __future__ import annotations

import polars as pl
from sqlalchemy import func, select, text
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
    households = _read(session, "households", ("id", *HOUSEHOLD_COLUMNS), "id", dong)
    # Persons in any order: results do not depend on it, and sorting 478,000 rows costs 3 s.
    persons = _read(session, "persons", ("id", *PERSON_COLUMNS), None, dong)
    households = households.rename({"id": "household_id"})
    persons = persons.rename({"id": "person_id"}).with_columns(pl.lit(False).alias("pregnant"))
    return _typed(households, schema.HOUSEHOLDS), _typed(persons, schema.PERSONS)


def household_frames(session: Session, household_id: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One household in the same layout (the case page's entitled-but-not-receiving check)."""
    key = ("id", household_id)
    households = _read(session, "households", ("id", *HOUSEHOLD_COLUMNS), "id", None, key)
    people_key = ("household_id", household_id)
    persons = _read(session, "persons", ("id", *PERSON_COLUMNS), "id", None, people_key)
    households = households.rename({"id": "household_id"})
    persons = persons.rename({"id": "person_id"}).with_columns(pl.lit(False).alias("pregnant"))
    return _typed(households, schema.HOUSEHOLDS), _typed(persons, schema.PERSONS)


def _read(
    session: Session,
    table: str,
    columns: tuple[str, ...],
    order: str | None,
    dong: str | None,
    key: tuple[str, str] | None = None,
) -> pl.DataFrame:
    """Raw driver rows (a plain text query skips per-value type processing: 4x faster here)."""
    where, params = (" WHERE dong = :dong", {"dong": dong}) if dong else ("", {})
    if key:  # a fixed column name from this module, the value bound
        where, params = f" WHERE {key[0]} = :key", {"key": key[1]}
    sort = f" ORDER BY {order}" if order else ""
    sql = text(f"SELECT {', '.join(columns)} FROM {table}{where}{sort}")
    rows = session.execute(sql, params).all()
    data = (
        {c: list(v) for c, v in zip(columns, zip(*rows, strict=True), strict=True)}
        if rows
        else {c: [] for c in columns}
    )
    return pl.DataFrame(data, strict=False)


def _typed(frame: pl.DataFrame, types: dict[str, pl.DataType]) -> pl.DataFrame:
    """Cast to the population files' types, so an all-empty column (no LTC grade in a small
    dong) keeps its type; SQLite hands back dates and JSON as text and booleans as 0/1."""
    exprs = []
    for col, dtype in types.items():
        if col not in frame.columns:
            continue
        current = frame.schema[col]
        if dtype == pl.Date() and current == pl.String():
            exprs.append(pl.col(col).str.to_date("%Y-%m-%d"))
        elif isinstance(dtype, pl.List) and current == pl.String():
            exprs.append(pl.col(col).str.json_decode(dtype))
        else:
            exprs.append(pl.col(col).cast(dtype))
    return frame.with_columns(exprs)


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
