"""Loading a synthetic population into the database and summarising the district."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from gibon import population
from gibon.errors import InvalidInput
from gibon.kit import gwanak
from gibon.kit.crypto import Vault, mask_rrn
from gibon.residents import repository
from gibon.residents.models import Household, Person

_HOUSEHOLD_COLUMNS = [
    "household_id",
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
    "lat",
    "lon",
]
_BATCH = 20_000


def load_population(
    session: Session,
    households: pl.DataFrame,
    persons: pl.DataFrame,
    vault: Vault,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the stored residents with ``households`` and ``persons``; returns persons loaded.

    Resident numbers are encrypted and hashed here, so the plain numbers never reach the database.
    """
    missing = [c for c in _HOUSEHOLD_COLUMNS if c not in households.columns]
    if missing:
        raise InvalidInput(f"households table lacks columns {missing}", where="households.parquet")
    session.execute(delete(Person))
    session.execute(delete(Household))
    for rows in _batches(households.rename({"household_id": "id"}).iter_rows(named=True)):
        session.execute(insert(Household), rows)
    loaded = 0
    for rows in _batches(persons.iter_rows(named=True)):
        session.execute(insert(Person), [_person_row(r, vault) for r in rows])
        loaded += len(rows)
        if progress:
            progress(len(rows))
    session.flush()
    return loaded


def _batches(rows: Iterable[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _person_row(row: dict[str, Any], vault: Vault) -> dict[str, Any]:
    rrn = row["rrn"]
    if not population.is_synthetic_rrn(rrn):
        # gibon's demo and tests hold synthetic people only; a real-looking number stops the load.
        raise InvalidInput(
            "resident number is not marked synthetic (serial digits 8-9 must be 96-99)",
            where=f"persons.parquet person_id={row['person_id']}",
            example="900131-1960005",
        )
    return {
        "id": row["person_id"],
        "household_id": row["household_id"],
        "dong": row["dong"],
        "name": row["name"],
        "rrn_enc": vault.encrypt(rrn),
        "rrn_hash": vault.lookup_hash(rrn),
        "rrn_masked": mask_rrn(rrn),
        "birth_date": row["birth_date"],
        "sex": row["sex"],
        "relation": row["relation"],
        "employment": row["employment"],
        "earned_income": row["earned_income"],
        "business_income": row["business_income"],
        "pension_income": row["pension_income"],
        "property_income": row["property_income"],
        "disability": row["disability"],
        "conditions": list(row["conditions"] or []),
        "ltc_grade": row["ltc_grade"],
        "student": row["student"],
    }


@dataclass(frozen=True)
class DongFigures:
    dong: str
    persons: int
    persons_65plus: int
    households: int
    living_alone: int
    semi_basement: int

    @property
    def share_65plus(self) -> float:
        return self.persons_65plus / self.persons if self.persons else 0.0

    @property
    def share_alone(self) -> float:
        return self.living_alone / self.households if self.households else 0.0

    @property
    def share_semi_basement(self) -> float:
        return self.semi_basement / self.households if self.households else 0.0


def district_figures(session: Session, today: date) -> list[DongFigures]:
    """Per-dong figures for the home page, in official dong order (aggregates, no persons)."""
    cutoff = _years_before(today, 65)
    people = {d: (n, o) for d, n, o in repository.persons_by_dong(session, cutoff)}
    homes = {d: (n, a, s) for d, n, a, s in repository.households_by_dong(session)}
    return [
        DongFigures(dong, *people.get(dong, (0, 0)), *homes.get(dong, (0, 0, 0)))
        for dong in gwanak.dong_names()
    ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
