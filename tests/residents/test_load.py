from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon import population
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault
from gibon.residents import service
from gibon.residents.models import Person

VAULT = Vault(b"t" * 32)


def test_loaded_residents_keep_no_plain_resident_number(session: Session) -> None:
    households, persons = population.generate(seed=11, persons=200)
    service.load_population(session, households, persons, VAULT)
    stored = session.scalars(select(Person).limit(5)).all()
    originals = dict(zip(persons["person_id"], persons["rrn"], strict=True))
    for person in stored:
        rrn = originals[person.id]
        assert rrn.encode() not in person.rrn_enc
        assert VAULT.decrypt(person.rrn_enc) == rrn
        assert person.rrn_masked == rrn[:8] + "******"
        assert person.rrn_hash == VAULT.lookup_hash(rrn)


def test_a_number_not_marked_synthetic_stops_the_load_and_names_the_person(
    session: Session,
) -> None:
    households, persons = population.generate(seed=11, persons=200)
    real_looking = persons.with_columns(
        pl.when(pl.col("person_id") == "P00000003")
        .then(pl.lit("900131-1012345"))
        .otherwise(pl.col("rrn"))
        .alias("rrn")
    )
    with pytest.raises(InvalidInput) as info:
        service.load_population(session, households, real_looking, VAULT)
    assert info.value.where == "persons.parquet person_id=P00000003"
