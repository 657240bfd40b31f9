"""Stored day plans: plan and keep a day, re-plan it the same day, show each person their part.

Only flushes; the request or the command owns the transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.visits import demand, field, ical, plan, replan, repository
from gibon.visits.engine.problem import parse_hhmm
from gibon.visits.models import VisitPlan, VisitRequest
from gibon.visits.schemas import (
    DayPlanCreate,
    EventCreate,
    OnDuty,
    PlanCreate,
    Replan,
    RequestCreate,
)

# Who may open stored plans, who may make or change them, and who works a day in the field.
VIEW_ROLES = (Role.admin, Role.district_team, Role.visiting_professional)
EDIT_ROLES = (Role.admin, Role.district_team)
FIELD_ROLES = (Role.visiting_professional, Role.pharmacist)


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
    raw = requests.get("date") if isinstance(requests, dict) else None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(
            f"계획할 날짜가 날짜 형식이 아닙니다: {raw!r}",
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


def korean_day(day: date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일 ({'월화수목금토일'[day.weekday()]})"


def create_plan(db: Session, user: User, body: PlanCreate) -> VisitPlan:
    """Plan a day and keep it; a malformed roster is refused before anything is stored. The plan
    belongs to the date chosen (``body.date``), or else to the date its requests name."""
    if body.date is not None and isinstance(body.requests, dict):
        body = body.model_copy(
            update={"requests": {**body.requests, "date": body.date.isoformat()}}
        )
    day = _plan_date(body.requests)
    outcome = plan.plan_request(body.requests, time_limit=body.time_limit, seed=body.seed)
    title = body.title or f"{korean_day(day)} 의료드림 방문"
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
    if _own_only(user) and user.organization_id not in row.staff:
        message = "이 방문 계획에 배정되지 않았습니다 (not on this plan)"
        policy.refuse(user, Action.view, "visit_plan", plan_id, message)
    _audit(db, user, "read", row.id)
    return row


def plan_calendar(db: Session, user: User, plan_id: int, professional: str) -> str:
    """One professional's day from a stored plan as iCalendar (a visiting professional: their own)."""
    check_calendar(user, professional, plan_id)
    row = get_plan(db, user, plan_id)
    if professional not in row.staff:
        raise InvalidInput(
            f"{professional!r} is not on plan {plan_id}", where="professional", example=row.staff[0]
        )
    return ical.calendar(row.schedule, professional)


def _refuse(db: Session, user: User, plan_id: int | None, message: str) -> NoReturn:
    """Refuse (403) with the reason; the edge audits the refusal apart from the request."""
    policy.refuse(user, Action.change, "visit_plan", plan_id, message)


def check_calendar(user: User, professional: str, what: object) -> None:
    """A calendar is exported for anyone by the district, and by a professional for their own."""
    if not policy.permits(user, Action.export, "visit_calendar", Target(org=professional)):
        message = "본인 일정만 내려받을 수 있습니다"
        policy.refuse(user, Action.export, "visit_calendar", what, message)


def _own_only(user: User) -> bool:
    """A visiting professional sees only the plans, routes and visits they are on."""
    return policy.scope_of(user, Action.view, "visit_plan") is Scope.assigned


def list_plans(db: Session, user: User, day: date | None, limit: int = 100) -> list[VisitPlan]:
    """Plan summaries (a visiting professional: only the plans they are on)."""
    own = _own_only(user)
    rows = repository.list_plans(
        db, day, limit, member=(user.organization_id or "") if own else None
    )
    _audit(db, user, "list", None, f"{len(rows)} plans")
    return rows


def visible_schedule(row: VisitPlan, user: User) -> dict[str, Any]:
    """The schedule as this user may see it: a visiting professional sees only their own route."""
    if not _own_only(user):
        return row.schedule
    own = [r for r in row.schedule["routes"] if r["professional"] == user.organization_id]
    mine = {s["visit"] for r in own for s in r["stops"]}
    return {**row.schedule, "routes": own, "unscheduled": [], "own_visits": sorted(mine)}


def visible_requests(row: VisitPlan, user: User) -> dict[str, Any]:
    """The requests this user may see (a visiting professional: only the visits on their route)."""
    if not _own_only(user):
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


def plan_from_system(db: Session, user: User, body: DayPlanCreate) -> VisitPlan:
    """Plan a date from the requests the system holds for it, with the staff on duty."""
    duty = None
    if body.on_duty is not None:
        _check_duty(db, body.on_duty)
        duty = {d.id: (d.shift_start, d.shift_end) for d in body.on_duty}
    requests = demand.requests_for_day(db, body.date, duty)
    if not requests["professionals"]:
        raise InvalidInput(
            "근무하는 전문인력이 한 명도 없습니다", where="on_duty", example='[{"id": "nurse-01"}]'
        )
    create = PlanCreate(
        requests=requests,
        title=body.title,
        date=body.date,
        time_limit=body.time_limit,
        seed=body.seed,
    )
    return create_plan(db, user, create)


def _check_duty(db: Session, on_duty: list[OnDuty]) -> None:
    known = {s.id for s in repository.staff(db)}
    for i, d in enumerate(on_duty):
        if d.id not in known:
            raise InvalidInput(
                f"명단에 없는 전문인력입니다: {d.id}",
                where=f"on_duty[{i}].id",
                example=sorted(known)[0] if known else "nurse-01",
            )
        if d.shift_end <= d.shift_start:
            raise InvalidInput(
                f"{d.id}의 근무 끝({d.shift_end})이 시작({d.shift_start})보다 늦어야 합니다",
                where=f"on_duty[{i}].shift_end",
                example="18:00",
            )


def add_request(db: Session, user: User, body: RequestCreate) -> VisitRequest:
    """Keep a visit asked for on the page; it joins that date's requests."""
    if repository.residents(db, {body.person_id}) == {}:
        raise NotFound(
            f"주민 {body.person_id}을(를) 찾지 못했습니다", where="person_id", example="P00000003"
        )
    if body.window_end < body.window_start:
        raise InvalidInput(
            f"방문 가능 시간의 끝({body.window_end})이 시작({body.window_start})보다 빠릅니다",
            where="window_end",
            example="17:00",
        )
    if len(body.needs) == 2 and body.together is None:
        raise InvalidInput(
            "두 직종이 함께 가는 방문은 '동시' 또는 '순차'를 골라야 합니다",
            where="together",
            example="simultaneous",
        )
    row = VisitRequest(
        request_date=body.date,
        person_id=body.person_id,
        needs=[n.model_dump() for n in body.needs],
        together=body.together if len(body.needs) == 2 else None,
        gap_minutes=[30, 240] if body.together == "sequential" else None,
        window_start=body.window_start,
        window_end=body.window_end,
        priority=body.priority,
        purpose=body.purpose.strip() or "요청 방문",
        created_by=user.username,
    )
    db.add(row)
    db.flush()
    _audit(db, user, "request", None, f"visit request {row.id} for {body.date}")
    return row


# The day in the field -------------------------------------------------------------------------


def field_professional(db: Session, user: User) -> str:
    """The roster id whose day this account works: its own, never anyone else's."""
    if user.role_enum not in FIELD_ROLES or not user.organization_id:
        _refuse(db, user, None, "방문 전문인력 계정만 자기 하루 일정을 볼 수 있습니다")
    return str(user.organization_id)


def today(db: Session, user: User, day: date) -> field.DayView | None:
    """The signed-in professional's own stops of ``day`` (the current revision), audited."""
    professional = field_professional(db, user)
    view = field.day_view(db, professional, day)
    _audit(db, user, "read_day", view.plan.id if view else None, f"{professional} {day}")
    return view


def record_event(db: Session, user: User, body: EventCreate) -> field.Recorded:
    """An action from the phone (arrive, complete, miss, note), deduplicated by its key."""
    professional = field_professional(db, user)
    done = field.record(db, user, professional, body)
    if not done.duplicate:
        detail = f"{body.kind} {body.visit}" + (" (conflict)" if done.conflict else "")
        _audit(db, user, "visit_event", done.event.plan_id, detail)
    return done


def own_conflict(db: Session, user: User, key: str) -> str:
    """The conflict message of the user's own action with this key ('' if the key is someone
    else's, unknown, or the action was applied)."""
    event = repository.event_by_key(db, key)
    if event is None or event.actor != user.username or event.outcome != "conflict":
        return ""
    return field.conflict_text(db, event)


def audit_requests(db: Session, user: User, day: date) -> None:
    _audit(db, user, "read_requests", None, f"requests for {day}")


def field_events(db: Session, user: User, plan_ids: list[int]) -> list[Any]:
    """What was recorded in the field on these revisions: a coordinator sees everyone's (and the
    actions that arrived after a re-plan, to settle); a professional only their own."""
    own = user.role_enum in FIELD_ROLES
    return repository.events_of_plans(db, plan_ids, (user.organization_id or "") if own else None)
