"""The day on a phone: one professional's stops in order, and what they record at each stop.

Events come from a phone that may have been offline: each carries an idempotency key (a re-sent
action is answered with the stored one, never applied twice) and the plan revision it was made
on. If the day was re-planned meanwhile, the event goes to the newest revision when the visit is
still on the professional's route there; otherwise it is kept as a conflict (nothing is lost)
and the professional is told, in Korean, what changed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.care import repository as care_repository
from gibon.care.deadlines import SEOUL
from gibon.care.models import OPEN_FOLLOWUP
from gibon.care.referrals import schemas as referral_schemas
from gibon.care.referrals import service as care_referrals
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.visits import labels, repository
from gibon.visits.models import VisitEvent, VisitPlan
from gibon.visits.schemas import EventCreate


@dataclass(frozen=True)
class StopView:
    number: int
    visit: str
    start: str
    end: str
    arrive: str
    window: str
    travel_minutes: int
    name: str
    age: int | None
    address: str
    synthetic_address: bool
    lat: float
    lon: float
    phone: str
    purpose: str
    needs: str
    partner: str
    notes: list[str]
    review: str | None
    state: str
    state_detail: str


@dataclass(frozen=True)
class DayView:
    plan: repository.DayPlan
    professional: str
    name: str
    profession: str
    stops: list[StopView]
    break_span: str
    depart: str
    back: str
    travel_minutes: int
    base: tuple[float, float]
    events: list[repository.DayEvent] = field(default_factory=list)
    break_after: int = -1  # how many stops come before the break (-1: no break)


def day_view(db: Session, professional: str, day: date) -> DayView | None:
    row = repository.current_plan_for(db, day, professional)
    if row is None:
        return None
    plan = _content(db, row)
    route = plan.routes.get(professional)
    if route is None:
        return None
    me = plan.names.get(professional, {})
    events = repository.events_for(db, _revisions(db, row), professional)
    stops = [
        _stop(k + 1, s, plan.visits.get(s["visit"], {}), plan, professional, events)
        for k, s in enumerate(route["stops"])
    ]
    brk = f"{route['break_start']}–{route['break_end']}" if route.get("break_start") else ""
    travel = sum(s.travel_minutes for s in stops) + int(route.get("return_travel_minutes", 0))
    base = me.get("base") or {"lat": 0.0, "lon": 0.0}
    return DayView(
        row,
        professional,
        str(me.get("name") or professional),
        labels.PROFESSION.get(str(me.get("profession")), ""),
        stops,
        brk,
        route["depart"],
        route["back"],
        travel,
        (float(base["lat"]), float(base["lon"])),
        events,
        _break_after(route),
    )


@dataclass(frozen=True)
class _Content:
    """A stored plan's JSON, indexed for the day page: read-only, shared between requests."""

    visits: dict[str, dict[str, Any]]
    names: dict[str, dict[str, Any]]
    routes: dict[str, dict[str, Any]]
    crews: dict[str, list[tuple[str, str]]]  # visit -> (professional, start) of everyone on it


_CACHE: OrderedDict[tuple[str, int, str], _Content] = OrderedDict()
_CACHE_SIZE = 16


def _key(db: Session, row: repository.DayPlan) -> tuple[str, int, str]:
    """A stored plan row, across tests' rolled-back databases that reuse its id."""
    return (str(db.get_bind().engine.url), row.id, row.created_at.isoformat())


_ANCESTORS: OrderedDict[tuple[str, int, str], list[int]] = OrderedDict()


def _revisions(db: Session, row: repository.DayPlan) -> list[int]:
    """The ids of a current plan's chain of revisions, oldest first. A plan's parent never
    changes, so its ancestors are looked up once per process; a current plan has no child yet
    (a re-plan marks it superseded in the transaction that adds the child)."""
    key = _key(db, row)
    found = _ANCESTORS.get(key)
    if found is None:
        found = _ANCESTORS[key] = repository.ancestor_ids(db, row.parent_id)
        while len(_ANCESTORS) > _CACHE_SIZE:
            _ANCESTORS.popitem(last=False)
    return [*found, row.id]


def _content(db: Session, row: repository.DayPlan) -> _Content:
    """The plan's requests and schedule, parsed once per process: a stored plan never changes (a
    re-plan is a new row), so 50 professionals opening their day read the large JSON once, not
    once each."""
    key = _key(db, row)
    found = _CACHE.get(key)
    if found is not None:
        return found
    requests, schedule = repository.plan_content(db, row.id)
    crews: dict[str, list[tuple[str, str]]] = {}
    for route in schedule["routes"]:
        for stop in route["stops"]:
            crews.setdefault(stop["visit"], []).append((route["professional"], stop["start"]))
    made = _Content(
        visits={str(v["id"]): v for v in requests["visits"]},
        names={str(p["id"]): p for p in requests["professionals"]},
        routes={r["professional"]: r for r in schedule["routes"]},
        crews=crews,
    )
    _CACHE[key] = made
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return made


def _break_after(route: dict[str, Any]) -> int:
    start = route.get("break_start")
    if not start:
        return -1
    return sum(1 for s in route["stops"] if s["end"] <= start)


def _stop(
    number: int,
    stop: dict[str, Any],
    visit: dict[str, Any],
    plan: _Content,
    me: str,
    events: list[repository.DayEvent],
) -> StopView:
    location = visit.get("location") or {"lat": 0.0, "lon": 0.0}
    needs = "; ".join(
        f"{labels.PROFESSION.get(n['profession'], n['profession'])} {n['minutes']}분"
        for n in visit.get("needs", [])
    )
    notes = [str(visit[k]) for k in ("missed_note", "last_note", "referral_note") if visit.get(k)]
    mine = [e for e in events if e.visit_key == stop["visit"]]
    state, detail = _state(mine)
    return StopView(
        number=number,
        visit=stop["visit"],
        start=stop["start"],
        end=stop["end"],
        arrive=stop["arrive"],
        window="–".join(visit.get("window", ["", ""])),
        travel_minutes=int(stop["travel_minutes"]),
        name=str(visit.get("name") or visit.get("resident") or ""),
        age=visit.get("age"),
        address=str(visit.get("address") or ""),
        synthetic_address=bool(visit.get("synthetic_address")),
        lat=float(location["lat"]),
        lon=float(location["lon"]),
        phone=str(visit.get("phone") or ""),
        purpose=str(visit.get("purpose") or ""),
        needs=needs,
        partner=_partner(stop, plan, me),
        notes=notes,
        review=visit.get("review")
        if plan.names.get(me, {}).get("profession") == "pharmacist"
        else None,
        state=state,
        state_detail=detail,
    )


def _partner(stop: dict[str, Any], plan: _Content, me: str) -> str:
    """'간호사 김서연, 10:30 함께 시작' for a joint visit, '' for a lone one."""
    for professional, start in plan.crews.get(stop["visit"], []):
        if professional == me:
            continue
        who = plan.names.get(professional, {})
        role = labels.PROFESSION.get(str(who.get("profession")), "")
        when = "함께 시작" if start == stop["start"] else "시작"
        return f"{role} {who.get('name') or professional}, {start} {when}"
    return ""


def _state(events: list[repository.DayEvent]) -> tuple[str, str]:
    """The stop's latest state ('' before anything happened) and a line to show."""
    done = [e for e in events if e.kind != "note"]
    if not done:
        return "", ""
    last = done[-1]
    at = _kst(last.happened_at)
    detail = f"{labels.EVENT[last.kind]} {at}"
    if last.kind == "missed":
        detail += f" · 사유: {last.reason}"
    return last.kind, detail


def _kst_date(moment: datetime) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SEOUL).date()


def kst_label(moment: datetime) -> str:
    """'12월 8일 10:31' in Korean time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(SEOUL)
    return f"{local.month}월 {local.day}일 {local:%H:%M}"


def _kst(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SEOUL).strftime("%H:%M")


# Recording what happened ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    event: VisitEvent
    duplicate: bool
    conflict: str = ""


def record(db: Session, user: User, professional: str, body: EventCreate) -> Recorded:
    """Keep one action from the phone; a key seen before returns the stored event unchanged."""
    seen = repository.event_by_key(db, body.key)
    if seen is not None:
        if seen.actor != user.username:
            raise Conflict("이 기록 번호(key)는 이미 다른 사람이 썼습니다", where="key")
        return Recorded(seen, True, conflict_text(db, seen) if seen.outcome == "conflict" else "")
    _check_body(body)
    old = repository.get(db, body.plan_id)
    if old is None:
        raise NotFound(f"방문 계획 {body.plan_id}번이 없습니다", where="plan_id", example="1")
    if not _on_route(old, professional, body.visit):
        raise InvalidInput(
            f"방문 {body.visit}은(는) 계획 {old.id}번의 내 동선에 없습니다",
            where="visit",
            example=_first_visit(old, professional),
        )
    newest = repository.revisions(db, old)[-1]
    fits = _on_route(newest, professional, body.visit)
    event = _event(db, user, professional, newest if fits else old, body, fits)
    if fits and event.source_kind == "followup" and event.kind in ("completed", "missed"):
        _write_back(db, user, event)
    return Recorded(event, False, "" if fits else conflict_text(db, event, newest))


def _write_back(db: Session, user: User, event: VisitEvent) -> None:
    """A visit made closes the care follow-up it came from; a visit missed marks it 미방문 with
    the reason (it stays open). Both go through care's own service, onto the case's record."""
    row = care_repository.followup(db, int(event.source_id))
    if row is None or row.status not in OPEN_FOLLOWUP or row.assignee_org != event.professional:
        return  # already closed, or someone else's follow-up: the visit event still records it
    day = _kst_date(event.happened_at)
    if event.kind == "missed":
        missed = referral_schemas.FollowUpMissed(
            version=row.version_id, reason=event.reason, on=day
        )
        care_referrals.miss(db, user, row.id, missed)
        return
    note = event.note or "의료드림 방문 완료"
    done = referral_schemas.FollowUpDone(version=row.version_id, notes=note, done_on=day)
    care_referrals.complete(db, user, row.id, done)


def _check_body(body: EventCreate) -> None:
    if body.kind == "missed" and not body.reason.strip():
        raise InvalidInput(
            "미방문에는 사유가 필요합니다", where="reason", example=labels.MISS_REASONS[0]
        )


def _on_route(row: VisitPlan, professional: str, visit: str) -> bool:
    return any(
        r["professional"] == professional and any(s["visit"] == visit for s in r["stops"])
        for r in row.schedule["routes"]
    )


def _first_visit(row: VisitPlan, professional: str) -> str:
    mine = [
        s["visit"]
        for r in row.schedule["routes"]
        if r["professional"] == professional
        for s in r["stops"]
    ]
    return mine[0] if mine else "V0001"


def _event(
    db: Session, user: User, professional: str, row: VisitPlan, body: EventCreate, fits: bool
) -> VisitEvent:
    visit: dict[str, Any] = next(
        (v for v in row.requests["visits"] if v.get("id") == body.visit), {}
    )
    source = visit.get("source") or {}
    event = VisitEvent(
        plan_id=row.id,
        visit_key=body.visit,
        professional=professional,
        kind=body.kind,
        reason=body.reason.strip(),
        note=body.note.strip(),
        happened_at=body.happened_at or utcnow(),
        actor=user.username,
        idempotency_key=body.key,
        person_id=str(visit.get("resident") or "") or None,
        source_kind=str(source.get("kind") or ""),
        source_id=str(source.get("id") or ""),
        outcome="applied" if fits else "conflict",
    )
    db.add(event)
    db.flush()
    return event


def conflict_text(db: Session, event: VisitEvent, newest: VisitPlan | None = None) -> str:
    """What the professional reads when an action arrived for a visit re-planned meanwhile: the
    stop by its resident's name and planned time, never the plan's internal visit key."""
    plan = repository.get(db, event.plan_id)  # the revision the action was made on
    if newest is None and plan is not None:
        newest = repository.revisions(db, plan)[-1]
    where = f"{newest.revision}차 계획" if newest is not None else "새 계획"
    return (
        f"{_stop_words(plan, event)} 방문은 그사이 다시 계획되어({where}) 내 동선에 없습니다. "
        f"보내신 '{labels.EVENT[event.kind]}' 기록은 보관했고 조정 담당자가 확인합니다. "
        "오늘 일정을 새로 불러오세요."
    )


def _stop_words(plan: VisitPlan | None, event: VisitEvent) -> str:
    """'김○○ 님(10:30)': the stop as the professional saw it on ``plan``; '이' (this) if the plan
    does not name it."""
    if plan is None:
        return "이"
    visit: dict[str, Any] = next(
        (v for v in plan.requests["visits"] if v.get("id") == event.visit_key), {}
    )
    start = next(
        (
            s.get("start")
            for r in plan.schedule["routes"]
            if r["professional"] == event.professional
            for s in r["stops"]
            if s["visit"] == event.visit_key
        ),
        None,
    )
    name = str(visit.get("name") or "")
    if not name:
        return "이"
    return f"{name} 님" + (f"({start})" if start else "")
