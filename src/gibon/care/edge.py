"""Commit when the handler returns, before FastAPI sends the reply.

``DbSession`` commits in its own exit code, which FastAPI (default dependency scope "request") runs
only after the response has gone out: a client's next request could then miss the change, and the
audit chain's advisory lock stays held while the response is sent. This function-scoped dependency
commits the same session first; on an error it does nothing and the request's rollback stands.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends

from gibon.web.deps import DbSession


def _commit_before_reply(db: DbSession) -> Iterator[None]:
    yield
    db.commit()


COMMIT_BEFORE_REPLY = Depends(_commit_before_reply, scope="function")
