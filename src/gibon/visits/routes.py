"""JSON API for 의료드림 home-visit planning: plan a day, export a professional's iCalendar."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.errors import InvalidInput
from gibon.visits import demo, ical, plan
from gibon.web.deps import DbSession, deny, require_roles

router = APIRouter(prefix="/api/visits", tags=["visits"])
PLANNER_ROLES = (Role.admin, Role.district_team, Role.visiting_professional)
Planner = Depends(require_roles(*PLANNER_ROLES))


def schedule_payload(outcome: plan.Outcome) -> dict[str, Any]:
    payload = outcome.schedule.to_json()
    payload["warnings"] = list(outcome.warnings)
    payload["checker"] = {
        "feasible": outcome.verdict.ok,
        "violations": list(outcome.verdict.violations),
    }
    return payload


@router.post("/plan")
def plan_day(
    db: DbSession,
    body: dict[str, Any] = Body(..., examples=[demo.day(1, 3)]),
    user: User = Planner,
    time_limit: float = Query(10.0, gt=0, le=30),
    seed: int = Query(1, ge=0, le=2_147_483_647),
) -> dict[str, Any]:
    """Plan one day (REQUESTS.json body); unschedulable visits come back with a reason."""
    outcome = plan.plan_request(body, time_limit=time_limit, seed=seed)
    audit.record(
        db,
        actor=user.username,
        role=user.role,
        action="plan",
        resource="visits.plan",
        resource_id=str(body.get("date", "")),
        purpose="방문 일정 계획",
        detail=f"{len(body.get('visits', []))} visits",
    )
    return schedule_payload(outcome)


@router.get("/demo")
def demo_requests(
    user: User = Planner,
    seed: int = Query(1, ge=0, le=2_147_483_647),
    visits: int = Query(220, ge=1, le=400),
) -> dict[str, Any]:
    """A REQUESTS.json for a realistic Gwanak day (synthetic residents)."""
    return demo.day(seed, visits)


@router.post("/ical", response_class=Response)
def export_ical(
    db: DbSession,
    schedule: dict[str, Any] = Body(...),
    professional: str = Query(..., min_length=1, max_length=64),
    user: User = Planner,
) -> Response:
    """One professional's day from a schedule JSON, as text/calendar."""
    if not isinstance(schedule.get("routes"), list):
        raise InvalidInput(
            "body must be a schedule JSON with routes",
            where="body",
            example='{"date": ..., "routes": [...]}',
        )
    if user.role_enum == Role.visiting_professional and user.organization_id != professional:
        deny(db, user, f"/api/visits/ical?professional={professional}")
    return Response(
        ical.calendar(schedule, professional), media_type="text/calendar; charset=utf-8"
    )
