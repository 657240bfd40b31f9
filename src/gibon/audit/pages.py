"""Admin page: search the audit log and check its hash chain."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gibon.access.deps import Auditor
from gibon.audit import sentences
from gibon.audit import service as audit
from gibon.web.deps import DbSession, audit_read, render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: DbSession,
    user: Auditor,
    actor: str = Query("", max_length=64),
    resource: str = Query("", max_length=64),
    resource_id: str = Query("", max_length=64),
    since: date | None = None,
    verify: bool = False,
) -> Any:
    """감사 기록 검색: who read or changed what, when and for what purpose."""
    start = datetime.combine(since, time.min) if since else None
    rows = audit.search(
        db,
        actor=actor or None,
        resource=resource or None,
        resource_id=resource_id or None,
        since=start,
        limit=300,
    )
    audit_read(
        db,
        user,
        "audit_log",
        None,
        f"감사 기록 검색 (사용자 {actor or '전체'}, 대상 {resource or '전체'})",
    )
    report = audit.verify(db) if verify else None
    return render(
        request,
        "care/audit.html",
        rows=rows,
        report=report,
        line=sentences.line,
        resources=sentences.RESOURCES,
        f={
            "actor": actor,
            "resource": resource,
            "resource_id": resource_id,
            "since": since.isoformat() if since else "",
        },
    )
