"""Pharmacist pages: visit list, one visit (report, a decision per finding, follow-ups)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from gibon.access.deps import PharmEditor, PharmLister, PharmPlanner, PharmReader
from gibon.accounts.models import User
from gibon.errors import Forbidden, GibonError, InvalidInput
from gibon.pharm import repository, service
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
STATUS_KO = {
    "planned": "방문 예정",
    "visited": "방문 완료",
    "follow_up": "추적 중",
    "closed": "종결",
}


@router.get("", response_class=HTMLResponse)
def visits_page(request: Request, db: DbSession, user: PharmLister, status: str = "") -> Any:
    visits = service.list_visits(db, user, None, status or None, 200, 0)
    return render(
        request, "pharm/visits.html", visits=visits, status=status, STATUS_KO=STATUS_KO, error=None
    )


@router.post("/visits", response_class=HTMLResponse)
async def plan_visit(request: Request, db: DbSession, user: PharmPlanner) -> Any:
    form = await request.form()
    try:
        body = VisitCreate(person_id=str(form.get("person_id", "")).strip())
        visit = await run_in_threadpool(service.create_visit, db, user, body, date.today())
    except Forbidden:
        raise
    except (GibonError, ValidationError) as exc:
        db.rollback()
        message = (
            exc.one_line()
            if isinstance(exc, GibonError)
            else "대상자 번호를 입력하세요 (예: P00000003)"
        )
        visits = service.list_visits(db, user, None, None, 200, 0)
        return render(
            request,
            "pharm/visits.html",
            422,
            visits=visits,
            status="",
            STATUS_KO=STATUS_KO,
            error=message,
        )
    return RedirectResponse(f"/pharm/visits/{visit.id}", status_code=303)


def _context(db: DbSession, user: User, visit_id: int) -> dict[str, Any]:
    visit = service.get_visit(db, user, visit_id)
    return {
        "visit": visit,
        "r": visit.review,
        "records": repository.records(db, visit_id),
        "followups": repository.followups(db, visit_id),
        "STATUS_KO": STATUS_KO,
        "SEVERITY_KO": SEVERITY_KO,
        "DECISION_KO": service.DECISION_KO,
        "next_status": sorted(service.TRANSITIONS[visit.status]),
    }


@router.get("/visits/{visit_id}", response_class=HTMLResponse)
def visit_page(request: Request, visit_id: RecordId, db: DbSession, user: PharmReader) -> Any:
    return render(request, "pharm/visit.html", error=None, **_context(db, user, visit_id))


async def _apply(request: Request, db: DbSession, user: User, visit_id: int, action: Any) -> Any:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        action(form)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        message = (
            exc.one_line()
            if isinstance(exc, GibonError)
            else InvalidInput(str(exc).splitlines()[0]).one_line()
        )
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
