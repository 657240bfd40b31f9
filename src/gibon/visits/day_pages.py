"""Korean pages for the day: the coordinator plans a date from the system's requests, and each
visiting professional works their own stops on a phone (``/visits/today``, offline-capable)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from gibon.access.deps import FieldDayReader, FieldDayWorker, require
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.care import deadlines
from gibon.errors import Forbidden, GibonError
from gibon.residents import repository as residents
from gibon.visits import demand, field, labels, repository, service, today_html
from gibon.visits.pages import _error, _read_form
from gibon.visits.schemas import DayPlanCreate, EventCreate, OnDuty, RequestCreate
from gibon.web import csrf
from gibon.web.deps import DbSession, render

router = APIRouter(prefix="/visits", include_in_schema=False)
Editor = Depends(require(Action.create, "visit_plan"))
STATIC = Path(__file__).resolve().parent.parent / "web" / "static" / "visits"


# The coordinator: plan a date from the system's own requests ---------------------------------


def _day(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _day_page(
    request: Request, db: Session, user: User, day: date, status: int = 200, **extra: Any
) -> Any:
    requests = demand.requests_for_day(db, day)
    found = extra.pop("found", [])
    extra.setdefault("errors", {})
    extra.setdefault("form", {})
    extra.setdefault("search_name", "")
    return render(
        request,
        "visits/day_plan.html",
        status,
        day=day,
        day_label=service.korean_day(day),
        staff=repository.staff(db),
        requests=requests["visits"],
        by_source=_count_by(requests["visits"]),
        labels=labels,
        found=found,
        **extra,
    )


def _count_by(visits: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in visits:
        kind = labels.SOURCE.get(v["source"]["kind"], "")
        out[kind] = out.get(kind, 0) + 1
    return out


@router.get("/day-plan", response_class=HTMLResponse)
def day_plan_page(
    request: Request,
    db: DbSession,
    user: User = Editor,
    day: str | None = Query(None, alias="date"),
    name: str | None = Query(None, max_length=40),
) -> Any:
    chosen = _day(day, deadlines.today() + timedelta(days=1))
    found = residents.search_by_name(db, name.strip(), None, 10) if name and name.strip() else []
    service.audit_requests(db, user, chosen)
    return _day_page(request, db, user, chosen, found=found, search_name=name or "")


def _on_duty(form: dict[str, str], ids: list[str]) -> list[OnDuty]:
    return [
        OnDuty(
            id=i,
            shift_start=form.get(f"start-{i}", "09:00"),
            shift_end=form.get(f"end-{i}", "18:00"),
        )
        for i in ids
        if form.get(f"on-{i}")
    ]


@router.post("/day-plan", response_class=HTMLResponse)
async def plan_day(request: Request, db: DbSession, user: User = Editor) -> Any:
    form = await _read_form(request)
    day = _day(form.get("date"), deadlines.today() + timedelta(days=1))
    try:
        body = DayPlanCreate(
            date=form.get("date") or "",
            on_duty=_on_duty(form, [s.id for s in repository.staff(db)]),
            title=str(form.get("title") or "").strip() or None,
            time_limit=float(form.get("time_limit") or 10),
        )
        row = service.plan_from_system(db, user, body)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        where, message = _error(exc)
        return _day_page(request, db, user, day, 422, errors={where: message}, form=form)
    return RedirectResponse(f"/visits/plans/{row.id}", status_code=303)


@router.post("/day-plan/requests", response_class=HTMLResponse)
async def add_request(request: Request, db: DbSession, user: User = Editor) -> Any:
    form = await _read_form(request)
    day = _day(form.get("date"), deadlines.today())
    needs = [{"profession": form.get("profession", ""), "minutes": form.get("minutes") or 30}]
    if form.get("second"):
        needs.append({"profession": form["second"], "minutes": form.get("minutes") or 30})
    try:
        body = RequestCreate.model_validate(
            {
                "date": form.get("date") or "",
                "person_id": form.get("person_id", "").strip(),
                "needs": needs,
                "together": form.get("together") or None,
                "window_start": form.get("window_start") or "09:00",
                "window_end": form.get("window_end") or "17:00",
                "priority": form.get("priority") or 1,
                "purpose": form.get("purpose", ""),
            }
        )
        service.add_request(db, user, body)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        where, message = _error(exc)
        errors = {"request": f"{where}: {message}" if where != "form" else message}
        return _day_page(request, db, user, day, 422, errors=errors, form=form)
    return RedirectResponse(f"/visits/day-plan?date={day.isoformat()}#requests", status_code=303)


# The professional's day on a phone --------------------------------------------------------------


def _today(
    request: Request,
    db: Session,
    view: field.DayView | None,
    day: date,
    status: int = 200,
    conflict: str = "",
    errors: dict[str, str] | None = None,
) -> Any:
    stops, map_svg = (
        today_html.stops(db, view, lambda: csrf.field_of(request)) if view else ("", "")
    )
    return render(
        request,
        "visits/today.html",
        status,
        view=view,
        day=day,
        day_label=service.korean_day(day),
        map_svg=map_svg,
        stops_html=stops,
        conflict=conflict,
        errors=errors or {},
    )


@router.get("/today", response_class=HTMLResponse)
def today_page(
    request: Request,
    db: DbSession,
    user: FieldDayReader,
    day: str | None = Query(None, alias="date"),
    event: str | None = Query(None, max_length=80),
) -> Any:
    """``event``: the key of an action just posted without JavaScript; if it arrived after a
    re-plan, the page says so (composed here from the stored action, never carried in the URL)."""
    chosen = _day(day, deadlines.today())
    conflict = service.own_conflict(db, user, event) if event else ""
    return _today(request, db, service.today(db, user, chosen), chosen, conflict=conflict)


@router.post("/today/events", response_class=HTMLResponse)
async def today_event(request: Request, db: DbSession, user: FieldDayWorker) -> Any:
    """The same action without JavaScript: a plain form post, then back to the day."""
    form = await _read_form(request)
    try:
        body = EventCreate.model_validate(
            {k: form.get(k, "") for k in ("key", "plan_id", "visit", "kind", "reason", "note")}
        )
        done = service.record_event(db, user, body)
    except Forbidden:
        raise
    except (GibonError, ValidationError, ValueError) as exc:
        db.rollback()
        _, message = _error(exc)
        day = deadlines.today()
        view = service.today(db, user, day)
        return _today(request, db, view, day, 422, errors={"event": message})
    anchor = f"#stop-{escape(form.get('visit', ''))}"
    if done.conflict:
        return RedirectResponse(f"/visits/today?event={quote(body.key)}", status_code=303)
    return RedirectResponse(f"/visits/today{anchor}", status_code=303)


@router.get("/sw.js")
def service_worker() -> Response:
    """The day page's service worker, served under /visits/ so it may cache /visits/today."""
    return Response(
        (STATIC / "sw.js").read_text(encoding="utf-8"),
        media_type="text/javascript; charset=utf-8",
        headers={"Service-Worker-Allowed": "/visits/", "Cache-Control": "no-cache"},
    )
