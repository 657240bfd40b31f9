from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, create_engine, func, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from gibon import db
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent


def test_a_rolled_back_savepoint_undoes_only_its_own_writes(engine: Engine) -> None:
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        audit.record(session, actor="kept", role="admin", action="read", resource="x")
        session.commit()  # releases a savepoint: still inside the outer transaction
        nested = session.begin_nested()
        audit.record(session, actor="undone", role="admin", action="read", resource="x")
        nested.rollback()
        actors = session.scalars(select(AuditEvent.actor).where(AuditEvent.resource == "x")).all()
        assert actors == ["kept"]
        session.close()
        outer.rollback()
    with Session(engine) as fresh:
        after = fresh.scalar(select(func.count()).select_from(AuditEvent)) or 0
    assert after == before


def test_the_postgresql_pool_of_all_workers_fits_within_max_connections(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
    engine.dispose()
    for workers in (1, 2, 4, 16):
        size, overflow = db.postgres_pool(postgres_url, workers)
        assert size >= 2
        assert (size + overflow) * workers <= limit - db.PG_HEADROOM


def test_a_pooled_connection_cut_while_idle_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No round trip before a connection used a moment ago; one idle past PING_AFTER is tested,
    and one the server cut meanwhile is replaced: the request never sees it."""
    engine = db.make_engine(postgres_url, workers=1)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    try:
        with engine.connect() as conn:
            first = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as conn:  # just used: not tested
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == first
        assert pings == []
        admin = create_engine(postgres_url, poolclass=NullPool)
        with admin.connect() as conn:  # the server cuts it while idle
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first})
            conn.commit()
        monkeypatch.setattr(db, "PING_AFTER", 0.0)
        with engine.connect() as conn:  # idle "long enough": tested, found dead, replaced
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != first
        assert len(pings) == 1
    finally:
        engine.dispose()


def test_times_read_back_aware_in_utc_on_both_databases(session: Session) -> None:
    seoul = timezone(timedelta(hours=9))
    event = audit.record(session, actor="tz", role="admin", action="read", resource="tz")
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.id == event.id)
        .values(at=datetime(2026, 12, 7, 9, 0, tzinfo=seoul))
    )
    session.expire_all()
    at = session.scalars(select(AuditEvent.at).where(AuditEvent.id == event.id)).one()
    assert at.tzinfo is not None
    assert at == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    since = datetime(2026, 12, 7, 8, 59, tzinfo=seoul)  # compared in one zone, not wall clocks
    assert event.id in session.scalars(select(AuditEvent.id).where(AuditEvent.at >= since)).all()
