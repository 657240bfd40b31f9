"""An independent checker: re-verifies a schedule against the problem, importing no solver.

Every rule is checked from the schedule's own numbers and fresh travel times from the problem's
travel model: skills, windows, shifts, breaks, synchronised and sequential visits with their gaps,
maximum visits, travel between stops, and that every visit is either served or explained.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from gibon.visits.engine.problem import Problem, Professional, Visit, Vrptw, can_do
from gibon.visits.engine.result import Route, Schedule


@dataclass(frozen=True)
class Verdict:
    violations: tuple[str, ...]
    tardiness: tuple[int, ...] = ()  # per served task, units late (soft windows only)

    @property
    def ok(self) -> bool:
        return not self.violations


def check(problem: Problem, schedule: Schedule, requested: set[str] | None = None) -> Verdict:
    """``requested``: every visit id the user asked for (defaults to the problem's visits)."""
    bad: list[str] = []
    tardiness: list[int] = []
    profs = {p.id: p for p in problem.professionals}
    visits = {v.id: v for v in problem.visits}
    starts: dict[str, dict[int, tuple[str, int]]] = defaultdict(dict)
    for route in schedule.routes:
        prof = profs.get(route.professional)
        if prof is None:
            bad.append(f"{route.professional}: unknown professional")
            continue
        bad += _check_route(problem, prof, route, visits, starts, tardiness)
    bad += _check_visits(visits, starts)
    bad += _check_coverage(schedule, starts, requested or set(visits))
    return Verdict(tuple(bad), tuple(tardiness))


def _check_route(
    problem: Problem,
    prof: Professional,
    route: Route,
    visits: dict[str, Visit],
    starts: dict[str, dict[int, tuple[str, int]]],
    tardiness: list[int],
) -> list[str]:
    bad = []
    where = prof.id
    if len(route.stops) > prof.max_visits:
        bad.append(f"{where}: {len(route.stops)} visits > max {prof.max_visits}")
    points = [prof.base]
    for stop in route.stops:
        visit = visits.get(stop.visit)
        if visit is None or stop.need >= len(visit.needs):
            bad.append(f"{where}: unknown visit/need {stop.visit}#{stop.need}")
            return bad
        points.append(visit.location)
        bad += _check_stop(prof, visit, stop.need, (stop.start, stop.end), tardiness, problem.now)
        if stop.need in starts[visit.id]:
            bad.append(f"{visit.id}: need {stop.need} served twice")
        starts[visit.id][stop.need] = (prof.id, stop.start)
    points.append(prof.base)
    travel = problem.travel.matrix(points, prof.mode)
    legs = [int(travel[i, i + 1]) for i in range(len(points) - 1)]
    bad += _check_timeline(prof, route, legs)
    return bad


def _check_stop(
    prof: Professional,
    visit: Visit,
    need: int,
    span: tuple[int, int],
    tardiness: list[int],
    now: int,
) -> list[str]:
    start, end = span
    bad = []
    where = f"{prof.id}@{visit.id}"
    if not can_do(prof, visit.needs[need]):
        bad.append(f"{where}: lacks profession/skills for need {need}")
    if end - start != visit.needs[need].minutes:
        bad.append(f"{where}: lasts {end - start}, needs {visit.needs[need].minutes}")
    fixed = visit.fixed_for(need)
    if fixed is not None and (fixed.professional, fixed.start) != (prof.id, start):
        bad.append(f"{where}: a started visit was moved")
    if fixed is None and start < max(visit.window[0], now):
        bad.append(f"{where}: starts {start} before window {visit.window} or now {now}")
    late = max(0, start - visit.window[1])
    if late and not visit.late_cost and fixed is None:
        bad.append(f"{where}: starts {start} after window {visit.window}")
    tardiness.append(late)
    return bad


def _check_timeline(prof: Professional, route: Route, legs: list[int]) -> list[str]:
    """Each leg of travel departs after the previous event and arrives in time (travel from fresh
    times, departure = arrival - travel); the break lies in its window, in the shift, and overlaps
    no visit and no travel: a break is time off, never time on the road."""
    if not route.stops:
        return _check_break(prof, route, [])
    bad = []
    arrivals = [s.arrive for s in route.stops] + [route.back]
    lows = [prof.shift[0]] + [s.end for s in route.stops]
    highs = [s.start for s in route.stops] + [prof.shift[1] + prof.max_overtime]
    spans = []
    for k, (lo, hi, arrive) in enumerate(zip(lows, highs, arrivals, strict=True)):
        depart = arrive - legs[k]
        if depart < lo or arrive > hi:
            bad.append(
                f"{prof.id}: leg {k} travels {depart}-{arrive} ({legs[k]} min) outside {lo}-{hi}"
            )
        spans.append((depart, arrive))
    busy = spans + [(s.start, s.end) for s in route.stops]
    return bad + _check_break(prof, route, busy)


def _check_break(prof: Professional, route: Route, busy: list[tuple[int, int]]) -> list[str]:
    rest = prof.rest
    if rest is None:
        return []
    b = route.break_start
    if b is None or b < rest.start or b + rest.minutes > rest.end:
        return [f"{prof.id}: break {b} not inside {rest.start}-{rest.end} for {rest.minutes}"]
    end = b + rest.minutes
    if b < prof.shift[0] or end > prof.shift[1] + prof.max_overtime:
        return [f"{prof.id}: break {b}-{end} outside the shift"]
    return [
        f"{prof.id}: break {b}-{end} overlaps travel or a visit at {lo}-{hi}"
        for lo, hi in busy
        if lo < end and b < hi and lo < hi
    ]


def _check_visits(
    visits: dict[str, Visit], starts: dict[str, dict[int, tuple[str, int]]]
) -> list[str]:
    bad = []
    for vid, served in starts.items():
        visit = visits[vid]
        if len(served) != len(visit.needs):
            bad.append(f"{vid}: only {len(served)} of {len(visit.needs)} professionals came")
            continue
        if len(visit.needs) < 2:
            continue
        (p0, s0), (p1, s1) = served[0], served[1]
        if visit.together == "simultaneous" and (s0 != s1 or p0 == p1):
            bad.append(f"{vid}: simultaneous visit not together ({p0}@{s0}, {p1}@{s1})")
        if visit.together == "sequential" and not (visit.gap[0] <= s1 - s0 <= visit.gap[1]):
            bad.append(f"{vid}: sequential gap {s1 - s0} outside {visit.gap}")
    return bad


def _check_coverage(
    schedule: Schedule, starts: dict[str, dict[int, tuple[str, int]]], requested: set[str]
) -> list[str]:
    explained = {u.visit for u in schedule.unscheduled}
    bad = [
        f"{v}: neither scheduled nor explained" for v in sorted(requested - explained - set(starts))
    ]
    bad += [
        f"{v}: both scheduled and listed as unscheduled" for v in sorted(explained & set(starts))
    ]
    return bad


def check_vrptw(
    instance: Vrptw, routes: list[list[int]], fleet: int | None = None
) -> tuple[str, ...]:
    """Capacity, time windows (DIMACS tenths), fleet size and one visit per customer."""
    bad = []
    seen = sorted(c for r in routes for c in r)
    if seen != list(range(1, len(instance.x))):
        bad.append("customers not visited exactly once")
    if len(routes) > (fleet or instance.fleet):
        bad.append(f"{len(routes)} routes > fleet {fleet or instance.fleet}")
    for k, route in enumerate(routes):
        if sum(instance.demand[c] for c in route) > instance.capacity:
            bad.append(f"route {k}: over capacity")
        clock = instance.ready[0] * 10
        for a, b in zip([0, *route], [*route, 0], strict=True):
            leg = math.floor(
                math.dist((instance.x[a], instance.y[a]), (instance.x[b], instance.y[b])) * 10
                + 1e-9
            )
            clock = max(clock + instance.service[a] * 10 + leg, instance.ready[b] * 10)
            if clock > instance.due[b] * 10:
                bad.append(f"route {k}: reaches {b} at {clock / 10} after due {instance.due[b]}")
    return tuple(bad)
