"""Recording audit events into a hash chain and verifying the chain.

Each row's hash covers its own fields and the previous row's hash, so changing, inserting or
deleting any row breaks every later link; ``verify`` names the first broken one. Events are queued
on the session and chained at commit (``seal``), so the chain's lock is held only for the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Session, SessionTransaction, make_transient_to_detached

from gibon import db
from gibon.audit import appender
from gibon.audit.models import AuditEvent

GENESIS = "0" * 64
_CHAIN_LOCK = 7_221_001  # PostgreSQL advisory lock id: one writer extends the chain at a time
_FIELDS = (
    "at",
    "actor",
    "role",
    "action",
    "resource",
    "resource_id",
    "purpose",
    "detail",
    "prev_hash",
    "hash",
)
_CHAIN_HELD = "gibon.audit.chain_held"  # session.info: it took the chain's advisory lock
_PENDING = "gibon.audit.pending"  # session.info key: [(transaction, event)] waiting for the commit
# Actions that record someone reading personal data, never a change: a request that only read
# appends them in a group (see appender.py). A change is audited in its own transaction.
READ_ACTIONS = frozenset({"read", "read_day", "read_requests"})
# One statement for every row: built once, so appending costs no statement construction
_INSERT = insert(AuditEvent).returning(AuditEvent.id)
_NEWEST_HASH = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)


def record(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    resource: str,
    resource_id: str | None = None,
    purpose: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append an audit event now: its ``id`` and ``hash`` are set at once.

    This takes the chain's lock, which is held until the transaction ends; a caller that does not
    need the row before its commit should use ``record_on_commit``.
    """
    event = record_on_commit(
        session,
        actor=actor,
        role=role,
        action=action,
        resource=resource,
        resource_id=resource_id,
        purpose=purpose,
        detail=detail,
    )
    seal(session)
    make_transient_to_detached(event)  # already inserted: the session now holds it as a row
    session.add(event)
    return event


def record_on_commit(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    resource: str,
    resource_id: str | None = None,
    purpose: str = "",
    detail: str = "",
) -> AuditEvent:
    """Queue an audit event in the session's transaction; it is chained and written at commit.

    Written in the same transaction as the change it records, so neither is kept without the
    other; a rolled-back transaction (or savepoint) takes its queued events with it.
    """
    event = AuditEvent(
        at=datetime.now(UTC),  # the real time, never a loader's set clock
        actor=actor,
        role=role,
        action=action,
        resource=resource,
        resource_id=resource_id,
        purpose=purpose,
        detail=detail,
    )
    session.connection()  # begins the transaction the event belongs to
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, event))
    return event


def seal(session: Session) -> None:
    """Chain the session's queued events onto the log and write them (runs before every commit).

    The chain lock is taken here, after the request's own writes are flushed, and released when the
    transaction ends: for queued events that is the commit right after, so concurrent requests
    wait for a few statements, not for a whole request. Ids are drawn under the lock, so id order
    is chain order.
    """
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    conn = session.connection()  # plain inserts: the events need no unit of work
    events = [event for _transaction, event in pending]
    bind = session.get_bind()
    if db.is_sqlite_engine(bind) and not db.holds_write_lock(conn):
        # a reading request on SQLite: appended apart, see appender.py
        appender.for_engine(bind, _append).append(events)  # type: ignore[arg-type]
        return
    if _grouped_on_postgres(session, bind, events):
        # a request that only read, recording reads: appended in a group, see appender.py
        appender.for_postgres(bind, _append_locked).append(events)  # type: ignore[arg-type]
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
        session.info[_CHAIN_HELD] = True  # this session must not wait for a group from now on
    _append(conn, events)


def _grouped_on_postgres(session: Session, bind: object, events: list[AuditEvent]) -> bool:
    """A reading request's reads on PostgreSQL. Changes are audited in their own transaction,
    so a change and its row are kept or lost together."""
    return (
        isinstance(bind, Engine)
        and bind.dialect.name == "postgresql"
        and bool(session.info.get(db.READ_ONLY))
        # a group waits for the chain's lock: never while this session's transaction holds it
        and not session.info.get(_CHAIN_HELD)
        and all(e.action in READ_ACTIONS for e in events)
    )


def _append_locked(conn: Connection, events: list[AuditEvent]) -> None:
    """The grouped append on PostgreSQL, its statements sent straight through the driver: the
    chain's lock, the newest hash and the inserts are the same SQL as ``_append``'s, and
    SQLAlchemy's per-statement work had cost about as much CPU as the append itself."""
    with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(_LOCK_SQL, (_CHAIN_LOCK,))
        newest = cursor.execute(_NEWEST_SQL).fetchone()

        def insert(values: dict[str, object]) -> int:
            row = cursor.execute(_INSERT_SQL, values).fetchone()
            return int(row[0])

        _chain(newest[0] if newest else GENESIS, events, insert)


_TABLE = AuditEvent.__tablename__
_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s)"
_NEWEST_SQL = f"SELECT hash FROM {_TABLE} ORDER BY id DESC LIMIT 1"
_INSERT_SQL = (
    f"INSERT INTO {_TABLE} ({', '.join(_FIELDS)}) "
    f"VALUES ({', '.join(f'%({c})s' for c in _FIELDS)}) RETURNING id"
)


def _append(conn: Connection, events: list[AuditEvent]) -> None:
    """Chain ``events`` onto the newest row, in order (the caller holds the chain's lock)."""
    prev = conn.execute(_NEWEST_HASH).scalar() or GENESIS
    _chain(prev, events, lambda values: conn.execute(_INSERT, values).scalar_one())


def _chain(prev: str, events: list[AuditEvent], insert: Callable[[dict[str, object]], int]) -> None:
    for event in events:
        event.prev_hash = prev
        event.hash = prev = _digest(event)
        # one at a time: ids follow the chain order
        event.id = insert({column: getattr(event, column) for column in _FIELDS})


@listens_for(Session, "before_commit")
def _seal_before_commit(session: Session) -> None:
    seal(session)


@listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    """A rolled-back savepoint (or transaction) takes the events queued inside it with it."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(t, e) for t, e in pending if not _within(t, transaction)]


@listens_for(Session, "after_transaction_end")
def _drop_undone(session: Session, transaction: SessionTransaction) -> None:
    """Events still queued when the outermost transaction ends were never written: forget them.

    A commit has sealed them already; a rollback or a plain close has not. Only the outermost end
    is looked at: a committed savepoint's events belong to the transaction around it, and every
    flush ends a transaction of its own, so a scan there would cost a long load O(flushes × events).
    """
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _within(inner: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while inner is not None:
        if inner is outer:
            return True
        inner = inner.parent
    return False


def _digest(e: AuditEvent) -> str:
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)
    fields = [
        at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        e.actor,
        e.role,
        e.action,
        e.resource,
        e.resource_id or "",
        e.purpose,
        e.detail,
        e.prev_hash,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify(session: Session, batch: int = 10_000) -> ChainReport:
    seal(session)  # the session's own queued events are part of the chain it checks
    prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked, None, None)
        for row in rows:
            if row.prev_hash != prev:
                return ChainReport(checked, row.id, "previous-hash link does not match")
            if _digest(row) != row.hash:
                return ChainReport(checked, row.id, "row contents do not match its hash")
            prev, checked, last_id = row.hash, checked + 1, row.id


def search(
    session: Session,
    *,
    actor: str | None = None,
    resource: str | None = None,
    resource_id: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    seal(session)
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if resource:
        query = query.where(AuditEvent.resource == resource)
    if resource_id:
        query = query.where(AuditEvent.resource_id == resource_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    return list(session.scalars(query))
