"""JSON API for 스마트 방문약료: stateless review, visits, decisions per finding, follow-ups."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from gibon.access.deps import PharmEditor, PharmLister, PharmPlanner, PharmReader, PharmReviewer
from gibon.accounts.models import User
from gibon.errors import InvalidInput
from gibon.pharm import (
    access,
    drafts,
    fhir_export,
    inputs,
    report,
    repository,
    residents,
    rows,
    service,
)
from gibon.pharm.knowledge import products
from gibon.pharm.review import review
from gibon.pharm.schemas import (
    DecisionUpdate,
    DraftRead,
    DraftRowIn,
    DraftRowRead,
    DrugMatch,
    FollowUpCreate,
    FollowUpDone,
    ResidentRead,
    ResidentSearch,
    VisitCreate,
    VisitRead,
    VisitUpdate,
)
from gibon.web.deps import DbSession, RecordId

router = APIRouter(prefix="/api/pharm", tags=["pharm"])
Pharmacist = access.Pharmacist


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


@router.get("/drugs", response_model=list[DrugMatch])
def search_drugs(
    user: User = Pharmacist, q: str = Query(..., min_length=1, max_length=40)
) -> list[DrugMatch]:
    """Products by Korean name, ingredients by Korean or English name (the shipped knowledge base)."""
    return [DrugMatch(**vars(m)) for m in products.search(q)]


@router.post("/residents/search", response_model=list[ResidentRead])
def search_residents(
    body: ResidentSearch, request: Request, db: DbSession, user: User = access.ResidentFinder
) -> list[ResidentRead]:
    """By name, birth date or resident number, in the body: a number never reaches a URL or log."""
    found = residents.search(db, user, request.app.state.vault, body.q, date.today())
    service.audit_search(db, user, residents.kind(body.q), len(found))
    return [ResidentRead(**vars(r)) for r in found]


def _draft(db: DbSession, user: User, visit_id: int) -> DraftRead:
    d = drafts.view(db, user, visit_id, date.today())
    items = [
        DraftRowRead(
            id=i.row.id,
            number=i.number,
            source=i.row.source,
            fields={name: getattr(i.row, name) for name in rows.FIELDS},
            ingredients=i.ingredients,
            errors=[f"{i.number}행 {e.text}" for e in i.errors],
        )
        for i in d.items
    ]
    return DraftRead(
        visit_id=visit_id,
        version=d.version,
        review_date=d.review_date,
        rows=items,
        rows_with_errors=len(d.bad),
    )


@router.get("/visits/{visit_id}/dispensings", response_model=DraftRead)
def get_draft(visit_id: RecordId, db: DbSession, user: User = Pharmacist) -> DraftRead:
    """The dispensings entered for a visit, each with its problems in Korean."""
    return _draft(db, user, visit_id)


@router.post("/visits/{visit_id}/dispensings/upload", response_model=DraftRead)
async def upload_draft(
    visit_id: RecordId, db: DbSession, file: UploadFile, user: User = Pharmacist
) -> DraftRead:
    """A CSV, JSON or FHIR R4 Bundle file; rows with errors are kept for correction."""
    content = await file.read()
    name = (file.filename or "파일")[:80]
    drafts.upload(db, user, visit_id, name, content, date.today())
    return _draft(db, user, visit_id)


@router.post("/visits/{visit_id}/dispensings", response_model=DraftRead, status_code=201)
def add_draft_row(
    visit_id: RecordId, body: DraftRowIn, db: DbSession, user: User = Pharmacist
) -> DraftRead:
    drafts.add_row(db, user, visit_id, body.model_dump(exclude={"version"}), body.version)
    return _draft(db, user, visit_id)


@router.put("/visits/{visit_id}/dispensings/{row_id}", response_model=DraftRead)
def edit_draft_row(
    visit_id: RecordId, row_id: RecordId, body: DraftRowIn, db: DbSession, user: User = Pharmacist
) -> DraftRead:
    drafts.update_row(
        db, user, visit_id, row_id, body.model_dump(exclude={"version"}), body.version
    )
    return _draft(db, user, visit_id)


@router.delete("/visits/{visit_id}/dispensings/{row_id}", response_model=DraftRead)
def delete_draft_row(
    visit_id: RecordId,
    row_id: RecordId,
    db: DbSession,
    user: User = Pharmacist,
    version: int | None = Query(None, ge=0),
) -> DraftRead:
    drafts.delete_row(db, user, visit_id, row_id, version)
    return _draft(db, user, visit_id)


@router.post("/visits/{visit_id}/dispensings/review", response_model=VisitRead)
def review_draft(visit_id: RecordId, db: DbSession, user: User = Pharmacist) -> VisitRead:
    """Review the entered dispensings and keep the review on the visit (422 while a row is wrong)."""
    return _read(drafts.run_review(db, user, visit_id, date.today()))


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


@router.get("/visits/{visit_id}/fhir")
def visit_fhir(visit_id: RecordId, db: DbSession, user: User = Pharmacist) -> Response:
    """The visit's review as a FHIR R4 Bundle (Patient per KR Core, MedicationStatement,
    Observation, DetectedIssue); a download named after the visit."""
    v = service.get_visit(db, user, visit_id, "FHIR 내보내기")
    rv = _stored_review(v)
    data = fhir_export.bundle(rv, v.person.name, residents.address(v.person))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/fhir+json",
        headers={"Content-Disposition": f'attachment; filename="pharm-visit-{visit_id}.fhir.json"'},
    )


def _stored_review(v: Any) -> Any:
    if not v.history:
        raise InvalidInput(
            "아직 약물 검토를 하지 않은 방문입니다 — 조제 기록을 넣고 검토를 실행하세요",
            where="visit_id",
        )
    return review(inputs.from_data(v.history))


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
    rv = _stored_review(v)
    if fmt == "pdf":
        return Response(report.pdf(rv, audience), media_type="application/pdf")
    return HTMLResponse(report.html(rv, audience))
