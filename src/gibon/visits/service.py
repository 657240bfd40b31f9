"""Stored day plans: plan and keep a day, re-plan it the same day, show each person their part.

Only flushes; the request or the command owns the transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.errors import Conflict, Forbidden, InvalidInput, NotFound
from gibon.visits import ical, plan, replan, repository
from gibon.visits.model import parse_hhmm
from gibon.visits.models import VisitPlan
from gibon.visits.schemas import PlanCreate, Replan

# Who may open stored plans, and who may make or change them.
VIEW_ROLES = (Role.admin, Role.district_team, Role.visiting_professional)
EDIT_ROLES = (Role.admin, Role.district_team)


def payload(outcome: plan.Outcome) -> dict[str, Any]:
    """The schedule JSON with the warnings and the independent checker's verdict."""
    body = outcome.schedule.to_json()
    body["warnings"] = list(outcome.warnings)
    body["checker"] = {
        "feasible": outcome.verdict.ok,
        "violations": list(outcome.verdict.violations),
    }
    return body


def _audit(db: Session, user: User, action: str, plan_id: int | None, detail: str = "") -> None:
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action=action,
        resource="visit_plan",
        resource_id=str(plan_id) if plan_id is not None else None,
        purpose="의료드림 방문 일정",
        detail=detail,
    )


def _plan_date(requests: dict[str, Any]) -> date:
    raw = requests.get("date")
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(
            f"the day to plan must be a date, got {raw!r}",
            where="requests.date",
            example='"2026-06-01"',
        ) from None


def _store(
    db: Session, user: User, requests: dict[str, Any], outcome: plan.Outcome, **fields: Any
) -> VisitPlan:
    body = payload(outcome)
    row = VisitPlan(
        plan_date=_plan_date(requests),
        created_by=user.username,
        staff=[str(p.get("id")) for p in requests["professionals"]],
        requests=requests,
        schedule=body,
        requested=int(body["kpis"].get("visits_requested", 0)),
        served=int(body["kpis"].get("visits_served", 0)),
        feasible=bool(outcome.verdict.ok),
        **fields,
    )
    db.add(row)
    db.flush()
    return row


def create_plan(db: Session, user: User, body: PlanCreate) -> VisitPlan:
    """Plan a day and keep it; a malformed roster is refused before anything is stored."""
    _plan_date(body.requests)
    outcome = plan.plan_request(body.requests, time_limit=body.time_limit, seed=body.seed)
    title = body.title or f"{body.requests['date']} 방문 일정"
    kpis = outcome.schedule.kpis
    change = f"새 계획: 방문 {kpis['visits_requested']}건 중 {kpis['visits_served']}건 배정"
    row = _store(
        db,
        user,
        body.requests,
        outcome,
        title=title,
        seed=body.seed,
        time_limit=body.time_limit,
        change=change,
    )
    _audit(db, user, "create", row.id, row.change)
    return row


def replan_plan(db: Session, user: User, plan_id: int, body: Replan) -> VisitPlan:
    """Re-plan the current revision at ``now``: what has started stays, the rest is planned again."""
    old = _get(db, plan_id)
    _check_current(db, old, body.version)
    _check_cancel(old, body.cancel)
    outcome = replan.replan(
        old.requests,
        old.schedule,
        body.now,
        cancel=set(body.cancel),
        add=list(body.add),
        time_limit=body.time_limit,
        seed=body.seed,
    )
    begun = replan.started(old.schedule, parse_hhmm(body.now))  # a visit under way stays
    requests = dict(old.requests)
    requests["visits"] = [
        v
        for v in old.requests["visits"]
        if v.get("id") not in set(body.cancel) or v.get("id") in begun
    ] + list(body.add)
    old.status = "superseded"  # bumps the version: a second re-plan of the same copy is refused
    db.flush()
    row = _store(
        db,
        user,
        requests,
        outcome,
        title=old.title,
        parent_id=old.id,
        revision=old.revision + 1,
        seed=body.seed,
        time_limit=body.time_limit,
        change=_describe(body),
    )
    _audit(db, user, "replan", row.id, f"from plan {old.id}: {row.change}")
    return row


def _describe(body: Replan) -> str:
    parts = [f"{body.now} 재계획"]
    if body.cancel:
        parts.append("취소 " + ", ".join(body.cancel))
    if body.add:
        parts.append("추가 " + ", ".join(str(v.get("id")) for v in body.add))
    return " · ".join(parts)


def _check_current(db: Session, row: VisitPlan, version: int) -> None:
    if row.status == "current" and row.version_id == version:
        return
    newer = repository.child_of(db, row.id)
    raise Conflict(
        f"이 계획은 이미 다른 사람이 바꾸었습니다 (보신 버전 {version}, 현재 버전 {row.version_id}"
        + (f", 최신 계획 {newer.id}번" if newer else "")
        + "). 최신 계획을 열어 다시 하세요.",
        where="version",
        example=str(row.version_id),
        details={
            "your_version": version,
            "current_version": row.version_id,
            "current": summary(row),
            "newer": summary(newer) if newer else None,
        },
    )


def _check_cancel(row: VisitPlan, cancel: list[str]) -> None:
    known = {str(v.get("id")) for v in row.requests.get("visits", [])}
    for i, visit_id in enumerate(cancel):
        if visit_id not in known:
            some = ", ".join(sorted(known)[:3])
            raise InvalidInput(
                f"no visit {visit_id!r} in plan {row.id}",
                where=f"cancel[{i}]",
                example=f'["{some.split(", ")[0] if some else "V0001"}"]',
            )


def _get(db: Session, plan_id: int) -> VisitPlan:
    row = repository.get(db, plan_id)
    if row is None:
        raise NotFound(f"방문 계획 {plan_id}번이 없습니다", where="plan_id", example="1")
    return row


def get_plan(db: Session, user: User, plan_id: int) -> VisitPlan:
    """The plan, if the user may see it (a visiting professional: only a plan they are on)."""
    row = _get(db, plan_id)
    if user.role_enum == Role.visiting_professional and user.organization_id not in row.staff:
        _refuse(db, user, plan_id, "이 방문 계획에 배정되지 않았습니다 (not on this plan)")
    _audit(db, user, "read", row.id)
    return row


def plan_calendar(db: Session, user: User, plan_id: int, professional: str) -> str:
    """One professional's day from a stored plan as iCalendar (a visiting professional: their own)."""
    if user.role_enum == Role.visiting_professional and user.organization_id != professional:
        _refuse(db, user, plan_id, "본인 일정만 내려받을 수 있습니다 (only your own calendar)")
    row = get_plan(db, user, plan_id)
    if professional not in row.staff:
        raise InvalidInput(
            f"{professional!r} is not on plan {plan_id}", where="professional", example=row.staff[0]
        )
    return ical.calendar(row.schedule, professional)


def _refuse(db: Session, user: User, plan_id: int, message: str) -> NoReturn:
    """Record the refusal in its own commit (the request's rollback keeps it) and answer 403."""
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="denied",
        resource="visit_plan",
        resource_id=str(plan_id),
    )
    db.commit()
    raise Forbidden(message, where="plan_id")


def list_plans(db: Session, user: User, day: date | None, limit: int = 100) -> list[VisitPlan]:
    """Plan summaries (a visiting professional: only the plans they are on)."""
    own = user.role_enum == Role.visiting_professional
    rows = repository.list_plans(
        db, day, limit, member=(user.organization_id or "") if own else None
    )
    _audit(db, user, "list", None, f"{len(rows)} plans")
    return rows


def visible_schedule(row: VisitPlan, user: User) -> dict[str, Any]:
    """The schedule as this user may see it: a visiting professional sees only their own route."""
    if user.role_enum != Role.visiting_professional:
        return row.schedule
    own = [r for r in row.schedule["routes"] if r["professional"] == user.organization_id]
    mine = {s["visit"] for r in own for s in r["stops"]}
    return {**row.schedule, "routes": own, "unscheduled": [], "own_visits": sorted(mine)}


def visible_requests(row: VisitPlan, user: User) -> dict[str, Any]:
    """The requests this user may see (a visiting professional: only the visits on their route)."""
    if user.role_enum != Role.visiting_professional:
        return row.requests
    mine = set(visible_schedule(row, user)["own_visits"])
    return {
        **row.requests,
        "professionals": [
            p for p in row.requests["professionals"] if p.get("id") == user.organization_id
        ],
        "visits": [v for v in row.requests["visits"] if v.get("id") in mine],
    }


def summary(row: VisitPlan) -> dict[str, Any]:
    return {
        "id": row.id,
        "date": row.plan_date.isoformat(),
        "title": row.title,
        "status": row.status,
        "revision": row.revision,
        "parent_id": row.parent_id,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "change": row.change,
        "requested": row.requested,
        "served": row.served,
        "feasible": row.feasible,
        "version": row.version_id,
    }
