"""JSON API for 스마트 방문약료: stateless review, visits, decisions per finding, follow-ups."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from gibon.access.deps import PharmEditor, PharmLister, PharmPlanner, PharmReader, PharmReviewer
from gibon.pharm import inputs, report, repository, service
from gibon.pharm.review import review
from gibon.pharm.schemas import (
    DecisionUpdate,
    FollowUpCreate,
    FollowUpDone,
    VisitCreate,
    VisitRead,
    VisitUpdate,
)
from gibon.web.deps import DbSession, RecordId

router = APIRouter(prefix="/api/pharm", tags=["pharm"])


def _read(v: Any) -> VisitRead:
    return VisitRead(
        id=v.id,
        person_id=v.person_id,
        dong=v.dong,
        status=v.status,
        planned_on=v.planned_on,
        visited_on=v.visited_on,
        review_date=v.review_date,
        priority_score=v.priority_score,
    )


@router.post("/review")
def review_history(body: dict[str, Any], user: PharmReviewer) -> dict[str, Any]:
    """Review a posted history (our JSON or a FHIR R4 Bundle) without storing it."""
    return review(inputs.from_data(body)).to_dict()


@router.get("/visits", response_model=list[VisitRead])
def list_visits(
    db: DbSession,
    user: PharmLister,
    dong: str | None = Query(None, max_length=20),
    status: Literal["planned", "visited", "follow_up", "closed"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[VisitRead]:
    """Visits, planned ones first by priority."""
    return [_read(v) for v in service.list_visits(db, user, dong, status, limit, offset)]


@router.post("/visits", response_model=VisitRead, status_code=201)
def create_visit(body: VisitCreate, db: DbSession, user: PharmPlanner) -> VisitRead:
    return _read(service.create_visit(db, user, body, date.today()))


@router.get("/visits/{visit_id}")
def visit_detail(visit_id: RecordId, db: DbSession, user: PharmReader) -> dict[str, Any]:
    v = service.get_visit(db, user, visit_id)
    recs = [
        {
            "id": r.id,
            "position": r.position,
            "category": r.category,
            "severity": r.severity,
            "title": r.title,
            "decision": r.decision,
            "reason": r.reason,
        }
        for r in repository.records(db, visit_id)
    ]
    fus = [
        {
            "id": f.id,
            "due_on": f.due_on.isoformat(),
            "done_on": f.done_on.isoformat() if f.done_on else None,
            "outcome": f.outcome,
        }
        for f in repository.followups(db, visit_id)
    ]
    return {
        "visit": _read(v).model_dump(mode="json"),
        "review": v.review,
        "records": recs,
        "followups": fus,
    }


@router.patch("/visits/{visit_id}", response_model=VisitRead)
def update_visit(
    visit_id: RecordId, body: VisitUpdate, db: DbSession, user: PharmEditor
) -> VisitRead:
    return _read(service.update_visit(db, user, visit_id, body))


@router.put("/visits/{visit_id}/records/{record_id}")
def decide(
    visit_id: RecordId,
    record_id: RecordId,
    body: DecisionUpdate,
    db: DbSession,
    user: PharmEditor,
) -> dict[str, Any]:
    r = service.decide(db, user, visit_id, record_id, body)
    return {"id": r.id, "decision": r.decision, "reason": r.reason}


@router.post("/visits/{visit_id}/followups", status_code=201)
def add_followup(
    visit_id: RecordId, body: FollowUpCreate, db: DbSession, user: PharmEditor
) -> dict[str, Any]:
    f = service.add_followup(db, user, visit_id, body)
    return {"id": f.id, "due_on": f.due_on.isoformat()}


@router.put("/visits/{visit_id}/followups/{followup_id}")
def complete_followup(
    visit_id: RecordId,
    followup_id: RecordId,
    body: FollowUpDone,
    db: DbSession,
    user: PharmEditor,
) -> dict[str, Any]:
    f = service.complete_followup(db, user, visit_id, followup_id, body)
    return {
        "id": f.id,
        "done_on": f.done_on.isoformat() if f.done_on else None,
        "outcome": f.outcome,
    }


@router.get("/visits/{visit_id}/report", response_class=HTMLResponse)
def visit_report(
    visit_id: RecordId,
    db: DbSession,
    user: PharmReader,
    audience: Literal["pharmacist", "resident"] = "pharmacist",
    fmt: Literal["html", "pdf"] = Query("html", alias="format"),
) -> Response:
    """The 약물안전리포트 of the visit (re-rendered from the stored history)."""
    v = service.get_visit(db, user, visit_id, "약물안전리포트 출력")
    rv = review(inputs.from_data(v.history))
    if fmt == "pdf":
        return Response(report.pdf(rv, audience), media_type="application/pdf")
    return HTMLResponse(report.html(rv, audience))
