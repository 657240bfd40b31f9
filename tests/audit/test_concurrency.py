"""Many sessions committing audit events at once still build one verifiable chain (PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from gibon.audit import service as audit
from gibon.audit.models import AuditEvent


@pytest.fixture
def scratch_engine(postgres_url: str) -> Iterator[Engine]:
    """A database of its own: these events are really committed, concurrently."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"gibon_audit_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(postgres_url.rsplit("/", 1)[0] + "/" + name, pool_size=8)
    AuditEvent.metadata.create_all(engine, tables=[AuditEvent.__table__])  # type: ignore[list-item]
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _requests(engine: Engine, worker: int, n: int) -> None:
    for i in range(n):
        with Session(engine) as session:
            session.execute(select(1))  # a request's own reads come first
            for j in range(1 + i % 2):
                audit.record_on_commit(
                    session,
                    actor=f"w{worker}",
                    role="dong_officer",
                    action="read",
                    resource="care_case",
                    resource_id=f"{i}.{j}",
                )
            if i % 5 == 0:  # now and then a write that needs its row at once
                audit.record(
                    session, actor=f"w{worker}", role="admin", action="create", resource="x"
                )
            session.commit()


def test_concurrent_commits_keep_one_chain_in_id_order(scratch_engine: Engine) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda w: _requests(scratch_engine, w, 25), range(8)))
    with Session(scratch_engine) as session:
        report = audit.verify(session)
    assert report.ok, report
    assert report.checked == 8 * (13 + 12 * 2 + 5)
