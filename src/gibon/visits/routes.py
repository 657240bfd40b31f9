"""JSON API for 의료드림 home-visit planning: plan a day, export a professional's iCalendar."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from gibon.access.deps import (
    CalendarExporter,
    FieldDayReader,
    FieldDayWorker,
    PlanCreator,
    PlanEditor,
    PlanLister,
    PlanReader,
    RouteCalculator,
)
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.care import deadlines
from gibon.errors import InvalidInput
from gibon.visits import demand, demo, ical, plan, repository, service
from gibon.visits.models import VisitPlan
from gibon.visits.schemas import DayPlanCreate, EventCreate, PlanCreate, Replan, RequestCreate
from gibon.web.deps import DbSession, RecordId

router = APIRouter(prefix="/api/visits", tags=["visits"])


@router.post("/plan")
def plan_day(
    db: DbSession,
    user: RouteCalculator,
    body: dict[str, Any] = Body(..., examples=[demo.day(1, 3)]),
    time_limit: float = Query(10.0, gt=0, le=30),
    seed: int = Query(1, ge=0, le=2_147_483_647),
) -> dict[str, Any]:
    """Plan one day (REQUESTS.json body); unschedulable visits come back with a reason."""
    outcome = plan.plan_request(body, time_limit=time_limit, seed=seed)
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="plan",
        resource="visits.plan",
        resource_id=str(body.get("date", "")),
        purpose="방문 일정 계획",
        detail=f"{len(body.get('visits', []))} visits",
    )
    return service.payload(outcome)


@router.get("/demo")
def demo_requests(
    user: RouteCalculator,
    seed: int = Query(1, ge=0, le=2_147_483_647),
    visits: int = Query(220, ge=1, le=400),
) -> dict[str, Any]:
    """A REQUESTS.json for a realistic Gwanak day (synthetic residents)."""
    return demo.day(seed, visits)


@router.post("/ical", response_class=Response)
def export_ical(
    db: DbSession,
    user: CalendarExporter,
    schedule: dict[str, Any] = Body(...),
    professional: str = Query(..., min_length=1, max_length=64),
) -> Response:
    """One professional's day from a schedule JSON, as text/calendar."""
    if not isinstance(schedule.get("routes"), list):
        raise InvalidInput(
            "body must be a schedule JSON with routes",
            where="body",
            example='{"date": ..., "routes": [...]}',
        )
    service.check_calendar(user, professional, professional)
    return Response(
        ical.calendar(schedule, professional), media_type="text/calendar; charset=utf-8"
    )


def plan_body(db: Session, row: VisitPlan, user: User) -> dict[str, Any]:
    return {
        **service.summary(row),
        "revisions": [service.summary(r) for r in repository.revisions(db, row)],
        "requests": service.visible_requests(row, user),
        "schedule": service.visible_schedule(row, user),
    }


@router.post("/plans", status_code=201)
def create_plan(db: DbSession, body: PlanCreate, user: PlanCreator) -> dict[str, Any]:
    """Plan a day and keep it (the requests, the checked schedule, who planned it)."""
    row = service.create_plan(db, user, body)
    return plan_body(db, row, user)


@router.get("/plans")
def list_plans(
    db: DbSession,
    user: PlanLister,
    day: date | None = Query(None, alias="date", examples=["2026-06-01"]),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    """Stored plans, newest day first (a visiting professional: only the plans they are on)."""
    return [service.summary(r) for r in service.list_plans(db, user, day, limit)]


@router.get("/plans/{plan_id}")
def get_plan(db: DbSession, plan_id: RecordId, user: PlanReader) -> dict[str, Any]:
    """One stored plan with its revisions; a visiting professional sees only their own route."""
    return plan_body(db, service.get_plan(db, user, plan_id), user)


@router.post("/plans/{plan_id}/replan", status_code=201)
def replan_plan(db: DbSession, plan_id: RecordId, body: Replan, user: PlanEditor) -> dict[str, Any]:
    """Re-plan the current revision at ``now``; 409 with both versions if it changed meanwhile."""
    return plan_body(db, service.replan_plan(db, user, plan_id, body), user)


@router.get("/plans/{plan_id}/ical", response_class=Response)
def plan_ical(
    db: DbSession,
    plan_id: RecordId,
    user: CalendarExporter,
    professional: str = Query(..., min_length=1, max_length=64),
) -> Response:
    """One professional's day from a stored plan, as text/calendar."""
    return Response(
        service.plan_calendar(db, user, plan_id, professional),
        media_type="text/calendar; charset=utf-8",
    )


# Demand -> plan, and the day in the field -----------------------------------------------------


@router.get("/requests")
def day_requests(
    db: DbSession,
    user: PlanEditor,
    day: date = Query(..., alias="date", examples=["2026-12-08"]),
) -> dict[str, Any]:
    """The REQUESTS.json the system gathers for a date (every active professional on duty)."""
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="read",
        resource="visits.requests",
        resource_id=day.isoformat(),
        purpose="방문 요청 확인",
    )
    return demand.requests_for_day(db, day)


@router.post("/requests", status_code=201)
def add_request(db: DbSession, body: RequestCreate, user: PlanEditor) -> dict[str, Any]:
    """Ask for a visit (an urgent same-day one, or any day); it joins that date's requests."""
    row = service.add_request(db, user, body)
    return {"id": row.id, "visit": f"U{row.id}", "date": row.request_date.isoformat()}


@router.post("/days", status_code=201)
def plan_from_system(db: DbSession, body: DayPlanCreate, user: PlanEditor) -> dict[str, Any]:
    """Plan a date from the system's own requests with the staff on duty, and keep the plan."""
    return plan_body(db, service.plan_from_system(db, user, body), user)


@router.get("/today")
def today(
    db: DbSession,
    user: FieldDayReader,
    day: date | None = Query(None, alias="date", examples=["2026-12-08"]),
) -> dict[str, Any]:
    """The signed-in professional's own stops of the day, in order (only their own)."""
    view = service.today(db, user, day or deadlines.today())
    if view is None:
        return {"date": (day or deadlines.today()).isoformat(), "plan_id": None, "stops": []}
    return {
        "date": view.plan.plan_date.isoformat(),
        "plan_id": view.plan.id,
        "revision": view.plan.revision,
        "professional": view.professional,
        "break": view.break_span,
        "stops": [asdict(s) for s in view.stops],
    }


@router.post("/events", status_code=201)
def record_event(db: DbSession, body: EventCreate, user: FieldDayWorker) -> Response:
    """One action from the phone; the same key again answers 200 with the stored event; a visit
    re-planned meanwhile answers 409 with the reason, and the action is kept."""
    done = service.record_event(db, user, body)
    payload = {
        "id": done.event.id,
        "key": done.event.idempotency_key,
        "plan_id": done.event.plan_id,
        "duplicate": done.duplicate,
        "outcome": done.event.outcome,
        "message": done.conflict,
    }
    status = 409 if done.conflict else (200 if done.duplicate else 201)
    return JSONResponse(payload, status_code=status)
