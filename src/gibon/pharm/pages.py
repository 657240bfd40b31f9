"""Pharmacist pages: visit list, one visit (report, a decision per finding, follow-ups)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from gibon.access.deps import PharmEditor, PharmPlanner, PharmReader
from gibon.accounts.models import User
from gibon.errors import Forbidden, GibonError
from gibon.pharm import access, draft_pages, labels, repository, residents, service
from gibon.pharm.findings import SEVERITY_KO
from gibon.pharm.schemas import (
    DecisionUpdate,
    FollowUpCreate,
    FollowUpDone,
    VisitCreate,
    VisitUpdate,
)
from gibon.web.deps import DbSession, RecordId, render

router = APIRouter(prefix="/pharm", include_in_schema=False)
router.include_router(draft_pages.router)
Pharmacist = access.Pharmacist
STATUS_KO = labels.STATUS_KO


def _list(request: Request, db: DbSession, user: User, status_code: int = 200, **extra: Any) -> Any:
    status = extra.pop("status", "")
    today = date.today()
    visits = service.list_visits(db, user, None, status or None, 200, 0)  # scoped, audited
    context: dict[str, Any] = {"results": None, "query": "", "error": None, **extra}
    return render(
        request,
        "pharm/visits.html",
        status_code,
        visits=[(v, residents.row(v.person, today)) for v in visits],
        status=status,
        STATUS_KO=STATUS_KO,
        example=residents.SEARCH_EXAMPLE,
        **context,
    )


@router.get("", response_class=HTMLResponse)
def visits_page(request: Request, db: DbSession, user: User = Pharmacist, status: str = "") -> Any:
    return _list(request, db, user, status=status if status in STATUS_KO else "")


@router.post("/residents", response_class=HTMLResponse)
async def find_residents(
    request: Request, db: DbSession, user: User = access.ResidentFinder
) -> Any:
    """Search by POST: a resident number typed here never reaches a URL or a log."""
    query = str((await request.form()).get("q", ""))[:40]
    try:
        found = residents.search(db, user, request.app.state.vault, query, date.today())
    except GibonError as exc:
        return _list(request, db, user, 422, error=exc.one_line())
    service.audit_search(db, user, residents.kind(query), len(found))
    shown = "" if residents.kind(query) == "주민등록번호" else query
    return _list(request, db, user, results=found, query=shown)


@router.post("/visits", response_class=HTMLResponse)
async def plan_visit(request: Request, db: DbSession, user: PharmPlanner) -> Any:
    form = await request.form()
    try:
        body = VisitCreate(
            person_id=str(form.get("person_id", "")).strip(),
            planned_on=str(form.get("planned_on", "")) or None,
            empty=True,
        )
        visit = service.create_visit(db, user, body, date.today())
    except Forbidden:
        raise
    except (GibonError, ValidationError) as exc:
        db.rollback()
        error = exc if isinstance(exc, GibonError) else labels.invalid(exc)
        return _list(request, db, user, 422, error=error.one_line())
    return RedirectResponse(f"/pharm/visits/{visit.id}/dispensings", status_code=303)


def _context(db: DbSession, user: User, visit_id: int) -> dict[str, Any]:
    visit = service.get_visit(db, user, visit_id)
    return {
        "visit": visit,
        "resident": residents.row(visit.person, date.today()),
        "today": date.today().isoformat(),
        "r": visit.review,
        "records": repository.records(db, visit_id),
        "followups": repository.followups(db, visit_id),
        "STATUS_KO": STATUS_KO,
        "SEVERITY_KO": SEVERITY_KO,
        "DECISION_KO": service.DECISION_KO,
        "next_status": list(service.TRANSITIONS[visit.status]),
    }


@router.get("/visits/{visit_id}", response_class=HTMLResponse)
def visit_page(request: Request, visit_id: RecordId, db: DbSession, user: PharmReader) -> Any:
    return render(request, "pharm/visit.html", error=None, **_context(db, user, visit_id))


async def _apply(request: Request, db: DbSession, user: User, visit_id: int, action: Any) -> Any:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        action(form)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        if isinstance(exc, ValidationError):
            exc = labels.invalid(exc)
        message = exc.one_line() if isinstance(exc, GibonError) else str(exc)
        return render(
            request, "pharm/visit.html", 422, error=message, **_context(db, user, visit_id)
        )
    return RedirectResponse(f"/pharm/visits/{visit_id}", status_code=303)


@router.post("/visits/{visit_id}/records/{record_id}", response_class=HTMLResponse)
async def decide(
    request: Request,
    visit_id: RecordId,
    record_id: RecordId,
    db: DbSession,
    user: PharmEditor,
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: service.decide(
            db,
            user,
            visit_id,
            record_id,
            DecisionUpdate(decision=f.get("decision", ""), reason=f.get("reason", "")),
        ),
    )


@router.post("/visits/{visit_id}/status", response_class=HTMLResponse)
async def change_status(
    request: Request, visit_id: RecordId, db: DbSession, user: PharmEditor
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: service.update_visit(
            db,
            user,
            visit_id,
            VisitUpdate(
                status=f.get("status", ""),
                visited_on=f.get("visited_on") or None,
                outcome_note=f.get("outcome_note", ""),
            ),
        ),
    )


@router.post("/visits/{visit_id}/followups", response_class=HTMLResponse)
async def add_followup(
    request: Request, visit_id: RecordId, db: DbSession, user: PharmEditor
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: service.add_followup(
            db, user, visit_id, FollowUpCreate(due_on=f.get("due_on", ""))
        ),
    )


@router.post("/visits/{visit_id}/followups/{followup_id}", response_class=HTMLResponse)
async def complete_followup(
    request: Request,
    visit_id: RecordId,
    followup_id: RecordId,
    db: DbSession,
    user: PharmEditor,
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: service.complete_followup(
            db,
            user,
            visit_id,
            followup_id,
            FollowUpDone(done_on=f.get("done_on", ""), outcome=f.get("outcome", "")),
        ),
    )
