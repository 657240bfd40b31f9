"""JSON API over the audit log (admin only): search and chain verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query

from gibon.access.deps import Auditor
from gibon.audit import service as audit
from gibon.web.deps import DbSession, audit_read

router = APIRouter(prefix="/api/audit", tags=["audit"])


def event_dict(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "role": e.role,
        "action": e.action,
        "resource": e.resource,
        "resource_id": e.resource_id,
        "purpose": e.purpose,
        "detail": e.detail,
        "hash": e.hash,
    }


@router.get("")
def search(
    db: DbSession,
    user: Auditor,
    actor: str | None = Query(None, max_length=64),
    resource: str | None = Query(None, max_length=64),
    resource_id: str | None = Query(None, max_length=64),
    since: datetime | None = None,
    limit: int = Query(200, ge=1, le=1000),
) -> list[dict[str, Any]]:
    """Search the audit log, newest first (the search itself is audited)."""
    rows = audit.search(
        db, actor=actor, resource=resource, resource_id=resource_id, since=since, limit=limit
    )
    audit_read(db, user, "audit_log", None, f"감사 기록 검색 actor={actor} resource={resource}")
    return [event_dict(e) for e in rows]


@router.get("/verify")
def verify(db: DbSession, user: Auditor) -> dict[str, Any]:
    """Check the hash chain; names the first broken link."""
    report = audit.verify(db)
    return {
        "ok": report.ok,
        "checked": report.checked,
        "first_broken_id": report.first_broken_id,
        "reason": report.reason,
    }
