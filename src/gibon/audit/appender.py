"""SQLite: audit rows of requests that only read, appended in one short writer transaction for many.

A request that only read holds SQLite's read snapshot, not its write lock; writing its audit rows in
that transaction would need to turn the snapshot into a writer, which SQLite refuses once anyone
else has committed ("database is locked"). So the rows are appended in a transaction of their own
that takes the write lock for the append alone, and every request waiting at that moment is
appended in the same transaction (group commit: one disk sync for many reads). The request waits
until its rows are committed, so a read is on record before its answer is sent.
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

    def __init__(self, engine: Engine, write: Write) -> None:
        self._engine = engine
        # a connection of its own: the appender must never wait for a pooled one
        self._own = create_engine(
            engine.url, connect_args={"check_same_thread": False}, pool_size=1, max_overflow=0
        )
        db.configure_sqlite(self._own)
        self._write = write
        self._queue: list[_Waiting] = []
        self._guard = threading.Lock()

    def append(self, events: list[AuditEvent], wait: float = db.WRITE_WAIT) -> None:
        me = _Waiting(events)
        with self._guard:
            self._queue.append(me)
        lock = db.write_lock(self._engine)
        if lock.acquire(timeout=wait):
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
    with _APPENDERS_GUARD:
        key = str(engine.url)
        if key not in _APPENDERS:
            _APPENDERS[key] = GroupAppender(engine, write)
        return _APPENDERS[key]
