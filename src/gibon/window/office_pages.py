"""The officers' side of the resident's window: 주민 요청함 (explanations, corrections, consent
withdrawals to answer) and 대리인 등록 (guardians acting for a resident)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from gibon.access.deps import (
    GuardianEditor,
    GuardianLister,
    GuardianRecorder,
    RequestAnswerer,
    RequestReader,
)
from gibon.accounts.models import User
from gibon.audit.models import AuditEvent
from gibon.care import deadlines
from gibon.errors import GibonError
from gibon.residents import repository as residents
from gibon.web.deps import DbSession, render
from gibon.window import guardians, labels, repository, requests, service

router = APIRouter(include_in_schema=False)


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, db: DbSession, user: RequestReader, status: str = Query("open", max_length=12)
) -> Any:
    return _requests(request, db, user, status)


def _requests(
    request: Request, db: DbSession, user: User, status: str, code: int = 200, **ctx: Any
) -> Any:
    chosen = status if status in labels.REQUEST_STATUS else None
    rows = requests.queue(db, user, chosen)
    people = {p.id: p for p in residents.get_persons(db, {r.person_id for r in rows})}
    looks = {
        e.id: e
        for e in db.scalars(
            select(AuditEvent).where(
                AuditEvent.id.in_([r.audit_event_id for r in rows if r.audit_event_id])
            )
        )
    }
    staff = repository.users_by_usernames(db, {e.actor for e in looks.values()})
    actors = {u.username: service.office_and_name(u) for u in staff}
    ctx.setdefault("error", None)
    return render(
        request,
        "window/requests.html",
        code,
        rows=rows,
        people=people,
        looks=looks,
        actors=actors,
        status=status,
        L=labels,
        fields=labels.CORRECTION_FIELDS,
        **ctx,
    )


@router.post("/requests/{request_id}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    db: DbSession,
    user: RequestAnswerer,
    request_id: int = Path(ge=1, le=2_000_000_000),
    text: str = Form("", max_length=2000),
    version: int = Form(0),
) -> Any:
    try:
        requests.answer(db, user, request_id, text, version)
    except GibonError as problem:
        if problem.status in (403, 404):
            raise
        db.rollback()
        return _requests(request, db, user, "open", problem.status, error=problem.message)
    return RedirectResponse("/requests?status=open", status_code=303)


@router.get("/guardians", response_class=HTMLResponse)
def guardians_page(request: Request, db: DbSession, user: GuardianLister) -> Any:
    return _guardians(request, db, user)


def _guardians(request: Request, db: DbSession, user: User, code: int = 200, **ctx: Any) -> Any:
    ctx.setdefault("error", None)
    ctx.setdefault("form", {})
    today = deadlines.today()
    return render(
        request,
        "window/guardians.html",
        code,
        rows=guardians.listing(db, user, today),
        L=labels,
        today=today,
        **ctx,
    )


@router.post("/guardians", response_class=HTMLResponse)
def record_guardian(
    request: Request,
    db: DbSession,
    user: GuardianRecorder,
    resident_rrn: str = Form("", max_length=20),
    guardian_rrn: str = Form("", max_length=20),
    relation: str = Form("", max_length=40),
    scope: str = Form("", max_length=12),
    basis: str = Form("", max_length=24),
    ends_on: str = Form("", max_length=10),
) -> Any:
    form = guardians.GuardianForm(
        resident_rrn, guardian_rrn, relation, scope, basis, _date(ends_on)
    )
    try:
        guardians.record(db, user, request.app.state.vault, form, deadlines.today())
    except GibonError as problem:
        if problem.status == 403:
            raise
        db.rollback()
        kept = {"relation": relation, "scope": scope, "basis": basis, "ends_on": ends_on}
        return _guardians(request, db, user, problem.status, error=problem.message, form=kept)
    return RedirectResponse("/guardians?recorded=1", status_code=303)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@router.post("/guardians/{guardianship_id}/revoke", response_class=HTMLResponse)
def revoke_guardian(
    request: Request,
    db: DbSession,
    user: GuardianEditor,
    guardianship_id: int = Path(ge=1, le=2_000_000_000),
) -> Any:
    del request
    guardians.revoke(db, user, guardianship_id)
    return RedirectResponse("/guardians", status_code=303)
