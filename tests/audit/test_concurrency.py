"""Many sessions committing audit events at once still build one verifiable chain (PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from gibon import db
from gibon.audit import appender
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


def _reading_requests(engine: Engine, worker: int, n: int) -> int:
    """Requests that only read (as a GET is): their read rows go through the group append."""
    written = 0
    for i in range(n):
        with Session(engine) as session:
            session.info[db.READ_ONLY] = True
            session.execute(select(1))
            ids = [f"r{worker}.{i}.{j}" for j in range(1 + i % 2)]
            for rid in ids:
                audit.record_on_commit(
                    session,
                    actor=f"w{worker}",
                    role="dong_officer",
                    action="read",
                    resource="care_case",
                    resource_id=rid,
                )
            if i % 7 == 0:  # a change first (its row in this transaction), then a read at once:
                # the read must not wait for a group while this transaction holds the chain
                audit.record(
                    session, actor=f"w{worker}", role="admin", action="create", resource="x"
                )
                audit.record(session, actor=f"w{worker}", role="admin", action="read", resource="x")
                written += 2
            session.commit()
        written += len(ids)
        with engine.connect() as other:  # on record once the request is done
            found = other.execute(
                select(AuditEvent.resource_id).where(AuditEvent.resource_id.in_(ids))
            ).scalars()
            assert sorted(found) == sorted(ids)
    return written


def test_reading_requests_appended_in_groups_keep_one_chain_and_lose_no_row(
    scratch_engine: Engine,
) -> None:
    with ThreadPoolExecutor(8) as pool:
        readers = pool.map(lambda w: _reading_requests(scratch_engine, w, 25), range(6))
        writers = pool.map(lambda w: _requests(scratch_engine, w, 10), range(6, 8))
        expected = sum(readers)
        list(writers)
    with Session(scratch_engine) as session:
        report = audit.verify(session)
    assert report.ok, report
    assert report.checked == expected + 2 * (5 + 5 * 2 + 2)
    assert any(key.startswith("postgres ") for key in appender._APPENDERS)  # the group path ran
