"""SQLite: audit rows of requests that only read, appended in one short writer transaction for many.

A request that only read holds SQLite's read snapshot, not its write lock; writing its audit rows in
that transaction would need to turn the snapshot into a writer, which SQLite refuses once anyone
else has committed ("database is locked"). So the rows are appended in a transaction of their own
that takes the write lock for the append alone, and every request waiting at that moment is
appended in the same transaction (group commit: one disk sync for many reads). The request waits
until its rows are committed, so a read is on record before its answer is sent.

PostgreSQL: the same group append serves requests that only read (``for_postgres``). There a read's
rows could go into its own transaction, but then every read takes the chain's advisory lock, asks
for the newest hash and waits for its own commit's disk sync while holding the lock: the chain
becomes a line one read wide. Appended in groups, one lock, one lookup and one sync serve every
read waiting at that moment; each read still waits for its rows' commit before its answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, create_engine

from gibon import db
from gibon.audit.models import AuditEvent
from gibon.errors import Busy

Write = Callable[[Connection, list[AuditEvent]], None]


@dataclass(eq=False)
class _Waiting:
    events: list[AuditEvent]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class GroupAppender:
    """Appends queued events of many threads; whoever holds the write lock writes them all."""

    def __init__(
        self, own: Engine, lock: threading.Lock, write: Write, wait: float = db.WRITE_WAIT
    ) -> None:
        # ``own``: a connection of its own, so the appender never waits for a pooled one (the
        # pool may be held by the very requests waiting here); ``lock``: who writes the group
        self._own = own
        self._lock = lock
        self._write = write
        self._wait = wait
        self._queue: list[_Waiting] = []
        self._guard = threading.Lock()

    def append(self, events: list[AuditEvent]) -> None:
        me = _Waiting(events)
        with self._guard:
            self._queue.append(me)
        lock = self._lock
        if lock.acquire(timeout=self._wait):
            try:
                if not me.done.is_set():
                    self._flush()
            finally:
                lock.release()
        else:
            self._give_up(me)
        me.done.wait()  # set by the leader that took this request's events
        if me.error is not None:
            raise me.error

    def _give_up(self, me: _Waiting) -> None:
        with self._guard:
            if any(w is me for w in self._queue):
                self._queue.remove(me)
                raise Busy("감사 기록이 밀려 있습니다. 잠시 후 다시 시도하세요 (audit log busy)")

    def _flush(self) -> None:
        with self._guard:
            batch, self._queue = self._queue, []
        error: BaseException | None = None
        try:
            with self._own.connect() as conn:
                conn.execution_options(**{db.WRITE: True})
                with conn.begin():
                    self._write(conn, [e for w in batch for e in w.events])
        except BaseException as exc:  # every waiter learns it, none is left waiting
            error = exc
        for waiting in batch:
            waiting.error = error
            waiting.done.set()


_APPENDERS: dict[str, GroupAppender] = {}
_APPENDERS_GUARD = threading.Lock()


def for_engine(engine: Engine, write: Write) -> GroupAppender:
    """SQLite: the group is written under the process's SQLite write lock."""
    with _APPENDERS_GUARD:
        key = str(engine.url)
        if key not in _APPENDERS:
            own = create_engine(
                engine.url, connect_args={"check_same_thread": False}, pool_size=1, max_overflow=0
            )
            db.configure_sqlite(own)
            _APPENDERS[key] = GroupAppender(own, db.write_lock(engine), write)
        return _APPENDERS[key]


POSTGRES_WAIT = 10.0  # seconds a read waits to lead a group (the server's own line waits as long)


def for_postgres(engine: Engine, write: Write) -> GroupAppender:
    """PostgreSQL: one group at a time per process; ``write`` takes the chain's advisory lock,
    which orders the groups of every process."""
    with _APPENDERS_GUARD:
        key = "postgres " + engine.url.render_as_string(hide_password=False)
        if key not in _APPENDERS:
            own = db.ping_when_idle(create_engine(engine.url, pool_size=1, max_overflow=0))
            _APPENDERS[key] = GroupAppender(own, threading.Lock(), write, POSTGRES_WAIT)
        return _APPENDERS[key]
