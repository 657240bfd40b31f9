"""Recording audit events into a hash chain and verifying the chain.

Each row's hash covers its own fields and the previous row's hash, so changing, inserting or
deleting any row breaks every later link; ``verify`` names the first broken one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gibon.audit.models import AuditEvent
from gibon.db import utcnow

GENESIS = "0" * 64
_CHAIN_LOCK = 7_221_001  # PostgreSQL advisory lock id: one writer extends the chain at a time


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
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        role=role,
        action=action,
        resource=resource,
        resource_id=resource_id,
        purpose=purpose,
        detail=detail,
        prev_hash=prev or GENESIS,
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


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
