"""Korean pages for 의료드림: stored day plans (board, route map, re-plan) and the demo day."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from gibon.access import policy
from gibon.access.deps import (
    CalendarExporter,
    PlanCreator,
    PlanEditor,
    PlanLister,
    PlanReader,
    RouteCalculator,
)
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.errors import Conflict, Forbidden, GibonError, InvalidInput
from gibon.visits import board, demo, field, ical, labels, plan, repository, service
from gibon.visits.engine.problem import PROFESSION_KO
from gibon.visits.models import VisitPlan
from gibon.visits.schemas import PlanCreate, Replan
from gibon.web import dongmap
from gibon.web.deps import DbSession, RecordId, audit_read, render

router = APIRouter(prefix="/visits", include_in_schema=False)
FORM = "form"  # the key of an error that belongs to the whole form, not one field
COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@lru_cache(maxsize=4)
def demo_outcome(seed: int, visits: int) -> plan.Outcome:
    """The demo day for a seed, planned once per process (planning takes seconds)."""
    seconds = max(1.0, min(8.0, visits / 30))  # 8 s for a full day, about 1 s for a small one
    return plan.plan_request(demo.day(seed, visits), time_limit=seconds, seed=seed)


def route_map(requests: dict[str, Any], schedule: dict[str, Any]) -> str:
    proj = dongmap.projection()
    layers = []
    for k, (pid, points) in enumerate(board.route_points(requests, schedule).items()):
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


def board_context(requests: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    return {
        "schedule": schedule,
        "kpis": schedule["kpis"],
        "checker": schedule["checker"],
        "rows": board.rows(requests, schedule),
        "visit_names": board.visit_names(requests),
        "professional_names": {
            str(p["id"]): str(p.get("name") or p["id"]) for p in requests["professionals"]
        },
        "hours": board.hours(),
        "map_svg": route_map(requests, schedule),
        "professional_count": len(requests["professionals"]),
        "PROFESSION_KO": PROFESSION_KO,
    }


@router.get("", response_class=HTMLResponse)
def day_board(
    request: Request,
    db: DbSession,
    user: PlanEditor,  # every professional's route: coordinators only
    seed: int = Query(1, ge=0, le=1000),
    visits: int = Query(220, ge=10, le=300),
) -> Any:
    outcome = demo_outcome(seed, visits)
    audit_read(db, user, "visits.board", f"demo-{seed}", purpose="방문 일정 확인")
    return render(
        request,
        "visits/board.html",
        **board_context(demo.day(seed, visits), service.payload(outcome)),
        seed=seed,
        visits=visits,
        ical_base=f"/visits/demo/{seed}",
        ical_query=f"?visits={visits}",
    )


@router.get("/demo/{seed}/{professional}.ics")
def demo_ical(
    db: DbSession,
    seed: int,
    professional: str,
    user: RouteCalculator,
    visits: int = Query(220, ge=10, le=300),
) -> Response:
    if not 0 <= seed <= 1000:
        raise InvalidInput("seed out of range", where="seed", example="1")
    service.check_calendar(user, professional, f"demo-{seed}/{professional}")
    payload = service.payload(demo_outcome(seed, visits))
    audit_read(db, user, "visits.ical", f"demo-{seed}/{professional}", purpose="일정 내보내기")
    return _calendar_file(ical.calendar(payload, professional), professional)


def _calendar_file(text: str, professional: str) -> Response:
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{professional}.ics"'},
    )


@router.get("/demo/{seed}/schedule.json")
def demo_schedule(
    db: DbSession, seed: int, user: PlanEditor, visits: int = Query(220, ge=10, le=300)
) -> Response:
    if not 0 <= seed <= 1000:
        raise InvalidInput("seed out of range", where="seed", example="1")
    audit_read(db, user, "visits.schedule", f"demo-{seed}", purpose="일정 내려받기")
    body = json.dumps(service.payload(demo_outcome(seed, visits)), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json")


# Stored plans ------------------------------------------------------------------------------


def _plans_page(request: Request, db: Session, user: User, status: int = 200, **extra: Any) -> Any:
    plans = service.list_plans(db, user, None)
    extra.setdefault("errors", {})
    extra.setdefault("form", {})
    can_edit = policy.permits(user, Action.change, "visit_plan")
    return render(request, "visits/plans.html", status, plans=plans, can_edit=can_edit, **extra)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, db: DbSession, user: PlanLister) -> Any:
    return _plans_page(request, db, user)


async def _read_form(request: Request) -> dict[str, str]:
    """The form's fields as text, uploaded files read whole; the upload is closed at once."""
    async with request.form() as form:
        out: dict[str, str] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                out[key] = (await value.read()).decode("utf-8-sig", errors="replace")
            else:
                out[key] = value
        return out


def _json_field(form: dict[str, str], field: str, required: bool) -> Any:
    """A JSON document from an uploaded file or a text box; errors name the field and line."""
    text = form.get(field, "")
    if not text.strip():
        if required:
            raise InvalidInput(
                "파일을 고르거나 예시 하루를 만드세요 (choose a REQUESTS.json)",
                where=field,
                example='{"date": "2026-06-01", "professionals": [...], "visits": [...]}',
            )
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"JSON 형식이 아닙니다: {exc.msg} ({exc.lineno}행 {exc.colno}열)",
            where=field,
            example='{"date": "2026-06-01", "professionals": [...], "visits": [...]}',
        ) from None


def _number(form: dict[str, str], field: str, default: str) -> str:
    return str(form.get(field) or default).strip()


@router.post("/plans", response_class=HTMLResponse)
async def create_plan(request: Request, db: DbSession, user: PlanCreator) -> Any:
    form = await _read_form(request)
    shown = {k: v for k, v in form.items() if k != "requests_file"}
    try:
        if form.get("source") == "demo":
            requests = demo.day(
                int(_number(form, "demo_seed", "1")), int(_number(form, "demo_visits", "60"))
            )
        else:
            requests = _json_field(form, "requests_file", required=True)
        body = PlanCreate(
            requests=requests,
            title=str(form.get("title") or "").strip() or None,
            time_limit=float(_number(form, "time_limit", "10")),
        )
        row = await run_in_threadpool(service.create_plan, db, user, body)  # the solver
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        field, message = _error(exc)
        return _plans_page(request, db, user, 422, errors={field: message}, form=shown)
    return RedirectResponse(f"/visits/plans/{row.id}", status_code=303)


def _error(exc: Exception) -> tuple[str, str]:
    """(field, Korean message) for the form, from any of the errors a form can raise."""
    if isinstance(exc, GibonError):
        field = (exc.where or "requests_file").split(".")[0].split("[")[0]
        if field in ("$", "requests", "professionals", "visits", "date"):
            field = "requests_file"
        return field, exc.one_line()
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else FORM
        return field, f"{field}: {first['msg']}"
    return FORM, f"숫자를 입력하세요 (a number is expected): {exc}"


def _plan_page(
    request: Request, db: Session, user: User, row: VisitPlan, status: int = 200, **extra: Any
) -> Any:
    requests = service.visible_requests(row, user)
    schedule = service.visible_schedule(row, user)
    extra.setdefault("errors", {})
    extra.setdefault("form", {})
    extra.setdefault("conflict", None)
    revisions = repository.revisions(db, row)
    return render(
        request,
        "visits/plan.html",
        status,
        plan=row,
        revisions=revisions,
        events=service.field_events(db, user, [r.id for r in revisions]),
        event_labels=labels.EVENT,
        kst=field.kst_label,
        can_edit=policy.permits(user, Action.change, "visit_plan") and row.status == "current",
        visit_ids=[v["id"] for v in requests["visits"]],
        **board_context(requests, schedule),
        ical_base=f"/visits/plans/{row.id}",
        ical_query="",
        **extra,
    )


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, db: DbSession, plan_id: RecordId, user: PlanReader) -> Any:
    return _plan_page(request, db, user, service.get_plan(db, user, plan_id))


@router.post("/plans/{plan_id}/replan", response_class=HTMLResponse)
async def replan_plan(request: Request, db: DbSession, plan_id: RecordId, user: PlanEditor) -> Any:
    form = await _read_form(request)
    shown = dict(form)
    try:
        add = _json_field(form, "add", required=False)
        body = Replan(
            version=int(_number(form, "version", "0")),
            now=str(form.get("now") or "").strip(),
            cancel=[c.strip() for c in str(form.get("cancel") or "").split(",") if c.strip()],
            add=add if isinstance(add, list) else ([add] if add else []),
            time_limit=float(_number(form, "time_limit", "10")),
        )
        row = await run_in_threadpool(service.replan_plan, db, user, plan_id, body)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        old = service.get_plan(db, user, plan_id)
        field, message = _error(exc)
        conflict = exc.details if isinstance(exc, Conflict) else None
        status = exc.status if isinstance(exc, GibonError) else 422
        return _plan_page(
            request, db, user, old, status, errors={field: message}, form=shown, conflict=conflict
        )
    return RedirectResponse(f"/visits/plans/{row.id}", status_code=303)


@router.get("/plans/{plan_id}/{professional}.ics")
def plan_ical(
    db: DbSession, plan_id: RecordId, professional: str, user: CalendarExporter
) -> Response:
    return _calendar_file(service.plan_calendar(db, user, plan_id, professional), professional)
