"""Refusals are written on a session of their own, after the refused request rolled back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from gibon.access.policy import Refused
from gibon.audit import service as audit


def record_refusal(new_session: Callable[[], Session], refused: Refused) -> None:
    """Append one ``denied`` event in its own transaction, whatever became of the request's."""
    with new_session() as session:
        audit.record_on_commit(
            session,
            actor=refused.actor,
            role=refused.role,
            action="denied",
            resource=refused.resource,
            resource_id=refused.resource_id,
            detail=str(refused.action),
        )
        session.commit()
