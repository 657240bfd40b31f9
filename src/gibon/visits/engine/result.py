"""The frozen result of planning: routes with times, unscheduled visits with reasons, KPIs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gibon.visits.engine.problem import Break, Problem, Professional, eligible, hhmm


@dataclass(frozen=True)
class Stop:
    visit: str
    need: int
    profession: str
    arrive: int
    start: int
    end: int
    travel_minutes: int


@dataclass(frozen=True)
class Route:
    professional: str
    stops: tuple[Stop, ...]
    depart: int
    back: int
    return_travel: int
    break_start: int | None
    break_minutes: int = 0


@dataclass(frozen=True)
class Unscheduled:
    visit: str
    reason: str
    code: str


@dataclass(frozen=True)
class Schedule:
    date: str
    routes: tuple[Route, ...]
    unscheduled: tuple[Unscheduled, ...]
    kpis: dict[str, Any]
    solver: str = ""

    def route_of(self, professional: str) -> Route:
        return next(r for r in self.routes if r.professional == professional)

    def to_json(self, fmt: Any = hhmm) -> dict[str, Any]:
        return {
            "date": self.date,
            "routes": [_route_json(r, fmt) for r in self.routes],
            "unscheduled": [
                {"visit": u.visit, "reason": u.reason, "code": u.code} for u in self.unscheduled
            ],
            "kpis": self.kpis,
        }


def _route_json(route: Route, fmt: Any) -> dict[str, Any]:
    return {
        "professional": route.professional,
        "depart": fmt(route.depart),
        "back": fmt(route.back),
        "return_travel_minutes": route.return_travel,
        "break_start": None if route.break_start is None else fmt(route.break_start),
        "break_end": None
        if route.break_start is None
        else fmt(route.break_start + route.break_minutes),
        "stops": [
            {
                "visit": s.visit,
                "need": s.need,
                "profession": s.profession,
                "arrive": fmt(s.arrive),
                "start": fmt(s.start),
                "end": fmt(s.end),
                "travel_minutes": s.travel_minutes,
            }
            for s in route.stops
        ],
    }


def build(
    problem: Problem,
    raw_routes: tuple[tuple[tuple[int, int], ...], ...],
    rejected: tuple[Unscheduled, ...] = (),
    solver: str = "",
    explain: Explain | None = None,
) -> Schedule:
    """Turn solver routes (task index, start) into a schedule; a double with one half is dropped."""
    performed = Counter(problem.tasks[t].visit for route in raw_routes for t, _ in route)
    complete = {v for v, n in performed.items() if n == len(problem.visits[v].needs)}
    kept = [
        [(t, s) for t, s in route if problem.tasks[t].visit in complete] for route in raw_routes
    ]
    routes = tuple(
        _route(problem, prof, [(problem.tasks[t], s) for t, s in stops])
        for prof, stops in zip(problem.professionals, kept, strict=True)
    )
    why = explain or _why_not
    unscheduled = rejected + tuple(
        why(problem, kept, v, v in performed)
        for v in range(len(problem.visits))
        if v not in complete
    )
    return Schedule(problem.date, routes, unscheduled, kpis(problem, routes, unscheduled), solver)


Explain = Callable[[Problem, list[list[tuple[int, int]]], int, bool], "Unscheduled"]


def _why_not(
    problem: Problem, kept: list[list[tuple[int, int]]], v: int, half: bool
) -> Unscheduled:
    visit = problem.visits[v]
    if half:
        return Unscheduled(
            visit.id,
            "두 번째 전문인력을 같은 시간(또는 간격) 안에 배정하지 못함",
            "partner_unavailable",
        )
    tasks = [t for t, task in enumerate(problem.tasks) if task.visit == v]
    people = {p for t in tasks for p in eligible(problem, problem.tasks[t])}
    if people and all(len(kept[p]) >= problem.professionals[p].max_visits for p in people):
        return Unscheduled(
            visit.id, "가능한 전문인력이 모두 하루 최대 방문 수에 도달함", "max_visits"
        )
    return Unscheduled(
        visit.id,
        "가능한 전문인력의 근무시간 안에 넣을 자리가 없음 (다른 방문과 겹침)",
        "no_capacity",
    )


def _route(problem: Problem, prof: Professional, stops: list[tuple[Any, int]]) -> Route:
    points = [prof.base] + [problem.visits[task.visit].location for task, _ in stops] + [prof.base]
    travel = problem.travel.matrix(points, prof.mode)
    legs = [int(travel[i, i + 1]) for i in range(len(points) - 1)]
    starts = [s for _, s in stops]
    ends = [s + problem.need(task).minutes for task, s in stops]
    placed = _place_break(prof, starts, ends, legs)
    times = _leg_times(prof, starts, ends, legs, placed)
    out = []
    for k, (task, start) in enumerate(stops):
        visit = problem.visits[task.visit]
        profession = visit.needs[task.need].profession
        out.append(Stop(visit.id, task.need, profession, times[k][1], start, ends[k], legs[k]))
    depart, back = (times[0][0], times[-1][1]) if stops else (prof.shift[0], prof.shift[0])
    rest = prof.rest.minutes if prof.rest else 0
    return Route(
        prof.id, tuple(out), depart, back, legs[-1], None if placed is None else placed[1], rest
    )


Placed = tuple[int, int, bool]  # gap index, break start, taken before that gap's travel


def _leg_times(
    prof: Professional, starts: list[int], ends: list[int], legs: list[int], placed: Placed | None
) -> list[tuple[int, int]]:
    """(depart, arrive) of every leg, the return leg last. Nobody travels during the break: in the
    gap that holds it, the leg starts when the break ends, or ends before the break starts."""
    out = []
    rest = prof.rest.minutes if prof.rest else 0
    for k, leg in enumerate(legs):
        first = k == 0 and k < len(starts)
        depart = starts[0] - leg if first else (ends[k - 1] if k else prof.shift[0])
        if placed is not None and placed[0] == k:
            _, b, before = placed
            if before:
                depart = b + rest
            elif first:
                depart = b - leg
        out.append((depart, depart + leg))
    return out


def _place_break(
    prof: Professional, starts: list[int], ends: list[int], legs: list[int]
) -> Placed | None:
    """The first gap between events with room for the travel and the whole break, not overlapping."""
    rest = prof.rest
    if rest is None:
        return None
    lows = [prof.shift[0], *ends]
    highs = [*starts, prof.shift[1] + prof.max_overtime]
    for k, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
        latest = k == 0 and bool(starts)
        before = _break_in(rest, lo, hi - legs[k], latest)
        if before is not None:
            return k, before, True
        after = _break_in(rest, lo + legs[k], hi, latest)
        if after is not None:
            return k, after, False
    return None


def _break_in(rest: Break, lo: int, hi: int, latest: bool) -> int | None:
    """A break start with the whole break inside [lo, hi] and inside its window, or None."""
    first, last = max(lo, rest.start), min(hi, rest.end) - rest.minutes
    if first > last:
        return None
    return last if latest else first


def kpis(
    problem: Problem, routes: tuple[Route, ...], unscheduled: tuple[Unscheduled, ...]
) -> dict[str, Any]:
    profs = {p.id: p for p in problem.professionals}
    done_by: dict[str, set[str]] = {}
    for r in routes:
        for s in r.stops:
            done_by.setdefault(s.visit, set()).add(r.professional)
    with_pref = [v for v in problem.visits if v.preferred and v.id in done_by]
    kept = sum(1 for v in with_pref if v.preferred in done_by[v.id])
    return {
        "visits_requested": len(problem.visits)
        + len({u.visit for u in unscheduled} - {v.id for v in problem.visits}),
        "visits_served": len(done_by),
        "visits_unscheduled": len(unscheduled),
        "travel_minutes": sum(s.travel_minutes for r in routes for s in r.stops)
        + sum(r.return_travel for r in routes if r.stops),
        "idle_minutes": sum(_idle(r, profs[r.professional]) for r in routes),
        "overtime_minutes": sum(max(0, r.back - profs[r.professional].shift[1]) for r in routes),
        "continuity_pct": round(100.0 * kept / len(with_pref), 1) if with_pref else None,
        "served_by_priority": _by_priority(problem, done_by, unscheduled),
        "professionals_used": sum(1 for r in routes if r.stops),
    }


def _idle(route: Route, prof: Professional) -> int:
    waiting = sum(s.start - s.arrive for s in route.stops)
    if route.break_start is not None and prof.rest is not None:
        waiting -= sum(
            min(s.start, route.break_start + prof.rest.minutes) - max(s.arrive, route.break_start)
            for s in route.stops
            if s.arrive < route.break_start + prof.rest.minutes and s.start > route.break_start
        )
    return max(0, int(waiting))


def _by_priority(
    problem: Problem, done_by: dict[str, set[str]], unscheduled: tuple[Unscheduled, ...]
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for v in problem.visits:
        row = out.setdefault(str(v.priority), {"requested": 0, "served": 0})
        row["requested"] += 1
        row["served"] += int(v.id in done_by)
    return dict(sorted(out.items()))
