"""Crisis fixtures: the small district's plain resident numbers (regenerated from its seed, never
read from the database), the vault, and signals put in through the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon import population
from gibon.crisis import intake
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents.models import Person
from tests import factories

DONG = "신림동"


@pytest.fixture(scope="session")
def people() -> pl.DataFrame:
    _, persons = population.generate(seed=7, persons=factories.SMALL_POPULATION)
    return persons


@pytest.fixture
def vault(secret_key_file: Path) -> Vault:
    return Vault(load_or_create_key(secret_key_file))


def heads(session: Session, dong: str = DONG, n: int = 5) -> list[Person]:
    q = (
        select(Person)
        .where(Person.dong == dong, Person.relation == "head")
        .order_by(Person.id)
        .limit(n)
    )
    return list(session.scalars(q))


def rrn_of(people: pl.DataFrame, person_id: str) -> str:
    return str(people.filter(pl.col("person_id") == person_id)["rrn"][0])


def list_signal(session: Session, person: Person, indicator: str, day: date, key: str) -> None:
    """A 발굴-list signal stored through the intake path (as the CSV import stores it)."""
    row = intake._row(person.household_id, person.id, person.dong, indicator, day, key, "test", "")
    intake._store(session, [row])
