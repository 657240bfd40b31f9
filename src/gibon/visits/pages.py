"""Korean pages for 의료드림: the day board (timeline per professional) and the route map."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from gibon.accounts.models import Role, User
from gibon.errors import InvalidInput
from gibon.visits import board, demo, ical, plan
from gibon.visits.model import PROFESSION_KO
from gibon.visits.routes import PLANNER_ROLES, schedule_payload
from gibon.web import dongmap
from gibon.web.deps import DbSession, audit_read, deny, render, require_roles

router = APIRouter(prefix="/visits", include_in_schema=False)
Planner = Depends(require_roles(*PLANNER_ROLES))
COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@lru_cache(maxsize=4)
def demo_outcome(seed: int, visits: int) -> plan.Outcome:
    """The demo day for a seed, planned once per process (planning takes seconds)."""
    seconds = max(1.0, min(8.0, visits / 30))  # 8 s for a full day, about 1 s for a small one
    return plan.plan_request(demo.day(seed, visits), time_limit=seconds, seed=seed)


def route_map(outcome: plan.Outcome) -> str:
    proj = dongmap.projection()
    layers = []
    for k, (pid, points) in enumerate(
        board.route_points(outcome.problem, outcome.schedule).items()
    ):
        xy = [proj.xy(lat, lon) for lat, lon in points]
        colour = COLOURS[k % len(COLOURS)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        homes = "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in xy[1:-1]
        )
        layers.append(
            f'<g class="route" data-professional="{escape(pid)}"><title>{escape(pid)}</title>'
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.4" opacity="0.8"/>{homes}</g>'
        )
    return dongmap.render({}, title="방문 경로 지도", overlay="".join(layers))


@router.get("", response_class=HTMLResponse)
def day_board(
    request: Request,
    db: DbSession,
    user: User = Planner,
    seed: int = Query(1, ge=0, le=1000),
    visits: int = Query(220, ge=10, le=300),
) -> Any:
    outcome = demo_outcome(seed, visits)
    audit_read(db, user, "visits.board", f"demo-{seed}", purpose="방문 일정 확인")
    return render(
        request,
        "visits/board.html",
        outcome=outcome,
        kpis=outcome.schedule.kpis,
        rows=board.rows(outcome.problem, outcome.schedule),
        hours=board.hours(),
        map_svg=route_map(outcome),
        seed=seed,
        visits=visits,
        PROFESSION_KO=PROFESSION_KO,
    )


@router.get("/demo/{seed}/{professional}.ics")
def demo_ical(
    db: DbSession,
    seed: int,
    professional: str,
    user: User = Planner,
    visits: int = Query(220, ge=10, le=300),
) -> Response:
    if not 0 <= seed <= 1000:
        raise InvalidInput("seed out of range", where="seed", example="1")
    if user.role_enum == Role.visiting_professional and user.organization_id != professional:
        deny(db, user, f"/visits/demo/{seed}/{professional}.ics")
    payload = schedule_payload(demo_outcome(seed, visits))
    audit_read(db, user, "visits.ical", f"demo-{seed}/{professional}", purpose="일정 내보내기")
    return Response(
        ical.calendar(payload, professional),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{professional}.ics"'},
    )


@router.get("/demo/{seed}/schedule.json")
def demo_schedule(
    db: DbSession, seed: int, user: User = Planner, visits: int = Query(220, ge=10, le=300)
) -> Response:
    if not 0 <= seed <= 1000:
        raise InvalidInput("seed out of range", where="seed", example="1")
    audit_read(db, user, "visits.schedule", f"demo-{seed}", purpose="일정 내려받기")
    body = json.dumps(schedule_payload(demo_outcome(seed, visits)), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json")
