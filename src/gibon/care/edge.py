"""Commit at the end of a handler, in the handler's own thread.

``DbSession`` commits in its exit code, which FastAPI runs after the response has been sent and in
another worker thread. Two problems follow: a client's next request could miss the change, and
audit writes hold the chain's advisory lock until commit — with every thread of the pool waiting
for that lock, the holder would never get a thread to commit in (a thread-starvation deadlock,
seen under 50 concurrent users). Handlers therefore end with ``return edge.done(db, value)``.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def done(db: Session, value: T) -> T:
    """Commit, then return ``value`` (on an error the request's rollback stands)."""
    db.commit()
    return value
