from __future__ import annotations

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

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
