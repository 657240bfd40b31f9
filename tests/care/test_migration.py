"""care_0003 moves stored cases to the statute's model with nothing lost (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    create_engine,
    select,
    text,
)

from gibon import db
from tests import conftest

BLANKS: list[tuple[type, Any]] = [
    (Boolean, False),
    (BigInteger, 0),
    (Integer, 0),
    (Float, 0.0),
    (DateTime, datetime(2026, 1, 1, tzinfo=UTC)),
    (Date, date(2026, 1, 1)),
    (JSON, []),
    (LargeBinary, b""),
]


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    admin_url = conftest._postgres_admin_url()
    if admin_url is None:
        pytest.skip("PostgreSQL not reachable")
    name = f"gibon_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    db.dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _insert(engine: Engine, name: str, **given: Any) -> None:
    """A row with ``given`` and a plain value in every other required column."""
    table = Table(name, MetaData(), autoload_with=engine)
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        if column.primary_key and isinstance(column.type, Integer):
            continue
        row[column.name] = next((v for kind, v in BLANKS if isinstance(column.type, kind)), "x")
    with engine.begin() as conn:
        conn.execute(table.insert().values(**row))


def _old_care_data(engine: Engine) -> None:
    _insert(engine, "households", id="H1", dong="신림동")
    _insert(
        engine, "persons", id="P1", household_id="H1", dong="신림동", birth_date=date(1940, 5, 1)
    )
    _insert(
        engine, "persons", id="P2", household_id="H1", dong="신림동", birth_date=date(1990, 5, 1)
    )
    for cid, person, channel in ((1, "P1", "ex_officio"), (2, "P2", "self"), (3, "P1", "family")):
        _insert(
            engine,
            "care_cases",
            id=cid,
            person_id=person,
            dong="신림동",
            channel=channel,
            status="decided",
            version_id=1,
        )
    _insert(
        engine,
        "care_decisions",
        id=1,
        case_id=3,
        level="moderate",
        suggested_level="low",
        reasons="이전 판정",
    )


def test_migration_flags_ex_officio_cases_without_a_ground_and_keeps_old_judgements_as_legacy(
    fresh_url,
):
    db.upgrade(fresh_url, "visits_0001")
    engine = db.engine_for(fresh_url)
    _old_care_data(engine)
    db.upgrade(fresh_url)
    cases = Table("care_cases", MetaData(), autoload_with=engine)
    decisions = Table("care_decisions", MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows = {
            r.id: (r.target_group, r.review_flag)
            for r in conn.execute(select(cases.c.id, cases.c.target_group, cases.c.review_flag))
        }
        old = conn.execute(select(decisions)).one()
    assert rows[1] == ("age_65", "ex_officio_ground_missing")
    assert rows[2] == (None, "target_group_missing")
    assert rows[3] == ("age_65", None)
    assert old.legacy and old.level == "moderate" and old.medical_need is None
