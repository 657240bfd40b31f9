"""The time the services see: the wall clock, or a day set for a backdated load (the demo).

Services ask ``clock.now()`` (through ``db.utcnow`` and ``care.deadlines.today``), so a loader
can replay a history day by day through the same service functions a user calls. The audit
trail never uses it: an audit row always carries the real time it was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_SET: ContextVar[datetime | None] = ContextVar("gibon_clock", default=None)


def now() -> datetime:
    """The current time in UTC: the set time inside ``at(...)``, the wall clock otherwise."""
    return _SET.get() or datetime.now(UTC)


def this_month() -> str:
    """The current month in Seoul as YYYY-MM: the month a calculation means when none is named."""
    return now().astimezone(ZoneInfo("Asia/Seoul")).strftime("%Y-%m")


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError("clock.at needs a timezone-aware time")
    token = _SET.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _SET.reset(token)
