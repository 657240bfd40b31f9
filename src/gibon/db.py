"""Database wiring: the declarative base, engines, sessions and migrations."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool

from gibon.config import get_settings
from gibon.errors import Busy
from gibon.kit import clock

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return clock.now()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    modified_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None, onupdate=utcnow
    )


# Connections one process keeps to SQLite; the web app admits no more requests at once than this
# (see web/overload.py), so a request never waits for a pooled connection.
SQLITE_POOL = 16
POOL_TIMEOUT = 5  # seconds a request waits for a pooled connection before it is answered 503
WRITE_WAIT = 5.0  # seconds a SQLite writer waits for the process's write lock before a 503
WRITE = "gibon_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)
READ_ONLY = "gibon.read_only"  # session.info: a request that only reads (GET), see audit.appender
_WROTE = "gibon.wrote"  # connection info: the SQLite transaction holds the write lock
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})


def make_engine(url: str, workers: int | None = None) -> Engine:
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=SQLITE_POOL,
            max_overflow=0,
            pool_timeout=POOL_TIMEOUT,
        )
        configure_sqlite(engine)
        return engine
    pool_size, overflow = postgres_pool(url, workers or get_settings().workers)
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=overflow, pool_timeout=POOL_TIMEOUT
    )
    return ping_when_idle(engine)


# A pooled PostgreSQL connection is tested before use only if it sat idle this long: one that was
# in use a moment ago is alive, and testing it cost a round trip on every request (SQLAlchemy's
# pool_pre_ping). One left idle may have been cut (a database restart, a firewall's idle
# timeout): it is tested, and a dead one is replaced before the request sees it.
PING_AFTER = 10.0  # seconds
_IDLE_SINCE = "gibon.idle_since"


def ping_when_idle(engine: Engine) -> Engine:
    """SQLAlchemy's pessimistic disconnect handling, for connections idle ``PING_AFTER`` s."""

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _test(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER:
            return
        try:
            alive = engine.dialect.do_ping(dbapi)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the idle connection was cut") from exc
        if not alive:
            raise DisconnectionError("the idle connection was cut")

    return engine


# The pool gibon wants per worker process; smaller when the server allows fewer connections.
PG_POOL, PG_OVERFLOW = 20, 10
PG_HEADROOM = 10  # connections left for psql, backups, migrations and the CLI


def postgres_pool(url: str, workers: int) -> tuple[int, int]:
    """Pool size and overflow per worker so that all workers stay within ``max_connections``.

    Read from the server at start (``SHOW max_connections`` less the superuser reserve and
    ``PG_HEADROOM``), so a server configured for 100 connections and 4 workers gets 21 per worker
    instead of refusing the 101st with "too many clients".
    """
    probe = create_engine(url, poolclass=NullPool)
    try:
        with probe.connect() as conn:
            limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
            reserved = int(conn.execute(text("SHOW superuser_reserved_connections")).scalar_one())
    finally:
        probe.dispose()
    budget = max(2, (limit - reserved - PG_HEADROOM) // max(1, workers))
    pool_size = min(PG_POOL, budget)
    return pool_size, max(0, min(PG_OVERFLOW, budget - pool_size))


def pool_capacity(engine: Engine) -> int:
    """How many connections this process may hold at once (pool plus overflow)."""
    pool: Any = engine.pool
    size = pool.size() if callable(getattr(pool, "size", None)) else 1
    return int(size + max(0, getattr(pool, "_max_overflow", 0)))


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


class _AwareSqliteDateTime(sqlite.DATETIME):
    """SQLite has no time zones: ``DateTime(timezone=True)`` is stored in UTC and read back aware.

    Without this a value came back naive on SQLite (aware on PostgreSQL), and an aware value in
    another zone was stored as its wall-clock time, so comparisons across zones were wrong.
    """

    def bind_processor(self, dialect: Any) -> Any:
        inner = super().bind_processor(dialect)
        if not self.timezone:
            return inner

        def process(value: Any) -> Any:
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return inner(value) if inner else value

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        inner = super().result_processor(dialect, coltype)
        if not self.timezone:
            return inner

        def process(value: Any) -> Any:
            value = inner(value) if inner else value
            if isinstance(value, datetime) and value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value

        return process


def configure_sqlite(engine: Engine) -> None:
    engine.dialect.colspecs = {**engine.dialect.colspecs, DateTime: _AwareSqliteDateTime}
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "before_cursor_execute", _note_write)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    # pysqlite's own implicit transactions break SAVEPOINTs (a nested rollback would not undo
    # what it should); SQLAlchemy emits BEGIN itself instead (see _sqlite_begin).
    dbapi_conn.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes SQLite's write lock before its first read: a transaction that read first
    # cannot take it later once another writer has committed, and fails at once with "database
    # is locked" whatever the busy timeout (SQLITE_BUSY_SNAPSHOT).
    immediate = bool(conn.get_execution_options().get(WRITE))
    conn.info[_WROTE] = immediate
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _note_write(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
    verb = (statement[:40].split(maxsplit=1) or [""])[0].upper()
    if verb in _WRITE_VERBS and not conn.info.get(_WROTE):
        conn.info[_WROTE] = True


def holds_write_lock(conn: Connection) -> bool:
    """Whether this SQLite connection's transaction has written (or began as a writer)."""
    return bool(conn.info.get(_WROTE))


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock(engine: Engine) -> threading.Lock:
    """The process's SQLite write lock: one writer at a time, the rest wait in line here.

    SQLite's own busy handler polls with growing sleeps and lets late arrivals overtake; waiting on
    a Python lock costs nothing and ends in a clear 503 after ``WRITE_WAIT`` seconds.
    """
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(str(engine.url), threading.Lock())


@contextmanager
def sqlite_writer(engine: Engine, wait: float = WRITE_WAIT) -> Iterator[None]:
    lock = write_lock(engine)
    if not lock.acquire(timeout=wait):
        raise Busy(
            "데이터베이스가 다른 저장을 처리하고 있습니다. 잠시 후 다시 시도하세요 (database busy)"
        )
    try:
        yield
    finally:
        lock.release()


def is_sqlite_engine(bind: object) -> bool:
    return isinstance(bind, Engine) and bind.dialect.name == "sqlite"


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database URL for the whole process."""
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def dispose_engines(url: str | None = None) -> None:
    """Close the pooled connections of one engine (or all) and forget it (tests, before a fork)."""
    for key in [url] if url else list(_ENGINES):
        engine = _ENGINES.pop(key, None)
        if engine is not None:
            engine.dispose()


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work for a CLI command or job: commit on success, roll back on any error."""
    with unit_of_work(session_factory(engine), write=True) as session:
        yield session


@contextmanager
def unit_of_work(maker: sessionmaker[Session], *, write: bool) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    ``write`` says the work may change data. On SQLite a writer holds the process's write lock
    and begins with BEGIN IMMEDIATE, so two writers queue instead of one failing with "database
    is locked"; readers never take it (WAL lets them read beside a writer). A session bound to a
    connection (tests) is left as it is.
    """
    bind = maker.kw.get("bind")
    sqlite_write = write and is_sqlite_engine(bind)
    with sqlite_writer(bind) if sqlite_write else nullcontext():  # type: ignore[arg-type]
        session = maker(execution_options={WRITE: True}) if sqlite_write else maker()
        if not write:
            session.info[READ_ONLY] = True
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def alembic_config(url: str) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    from alembic import command

    url = url or get_settings().database_url
    _ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)  # type: ignore[arg-type]


def is_migrated(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")
