"""Keep every break off the road: re-time a route whose break the solver laid over travel.

OR-Tools' break intervals (the Python API has only the form whose breaks may interrupt travel)
guarantee the gap holds the travel plus the break, but may split the walk around the break. A
break is time off at a place, so a route whose break fits in no gap whole, travel before or after
it, is re-timed with the break as a stop of its own (taken where the professional is, then the
leg); visits done by two people and visits already under way keep their minute. If no gap works,
the least urgent single visit nearest the break is taken out (the filling pass may place it
elsewhere; otherwise it is reported with its reason).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from gibon.visits.engine import result
from gibon.visits.engine.problem import Problem, Professional, Task

RawRoute = tuple[tuple[int, int], ...]


def keep_breaks(problem: Problem, routes: tuple[RawRoute, ...]) -> tuple[RawRoute, ...]:
    return tuple(
        _keep(problem, prof, list(route)) if prof.rest else route
        for prof, route in zip(problem.professionals, routes, strict=True)
    )


@dataclass(frozen=True)
class Table:
    """Travel minutes per mode between every base (node p) and every visit (node P + v)."""

    n_prof: int
    index: dict[str, int]
    matrix: dict[str, np.ndarray]

    def node(self, prof: Professional) -> int:
        return self.index[prof.id]


_LAST: list[tuple[Problem, Table]] = []


def table(problem: Problem) -> Table:
    """Built once per problem: the repair and the filling pass price thousands of routes."""
    for known, built in _LAST:
        if known is problem:
            return built
    points = [p.base for p in problem.professionals] + [v.location for v in problem.visits]
    modes = {p.mode for p in problem.professionals}
    built = Table(
        len(problem.professionals),
        problem.professional_index(),
        {m: np.asarray(problem.travel.matrix(points, m)) for m in modes},
    )
    _LAST[:] = [(problem, built)]
    return built


def legs_of(problem: Problem, prof: Professional, tasks: list[Task]) -> list[int]:
    cached = table(problem)
    base = cached.node(prof)
    nodes = [base, *(cached.n_prof + t.visit for t in tasks), base]
    matrix = cached.matrix[prof.mode]
    return [int(matrix[a, b]) for a, b in itertools.pairwise(nodes)]


def placeable(problem: Problem, prof: Professional, route: list[tuple[int, int]]) -> bool:
    """The break fits whole in some gap, travel before or after it."""
    tasks = [problem.tasks[t] for t, _ in route]
    starts = [s for _, s in route]
    ends = [s + problem.need(task).minutes for task, s in zip(tasks, starts, strict=True)]
    legs = legs_of(problem, prof, tasks)
    return prof.rest is None or result._place_break(prof, starts, ends, legs) is not None


def _keep(problem: Problem, prof: Professional, route: list[tuple[int, int]]) -> RawRoute:
    while route and not placeable(problem, prof, route):
        timed = _retimed(problem, prof, route)
        if timed is not None:
            return tuple(timed)
        route = _without_one(problem, route)
    return tuple(route)


def _retimed(
    problem: Problem, prof: Professional, route: list[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """The route with the break as a stop in the gap that moves the visits least, or None."""
    legs = legs_of(problem, prof, [problem.tasks[t] for t, _ in route])
    best: tuple[int, list[tuple[int, int]]] | None = None
    for gap, after in itertools.product(range(len(route) + 1), (False, True)):
        starts = _forward(problem, prof, route, legs, gap, after)
        if starts is None:
            continue
        moved = sum(abs(a - s) for a, (_, s) in zip(starts, route, strict=True))
        if best is None or moved < best[0]:
            best = (moved, [(t, a) for a, (t, _) in zip(starts, route, strict=True)])
    return None if best is None else best[1]


def _forward(
    problem: Problem,
    prof: Professional,
    route: list[tuple[int, int]],
    legs: list[int],
    gap: int,
    after: bool,
) -> list[int] | None:
    """Earliest starts with the break in ``gap``: before its leg, or ``after`` it (on arrival)."""
    rest = prof.rest
    assert rest is not None
    clock, starts = prof.shift[0], list[int]()
    for j in range(len(route) + 1):
        if j == gap:
            clock = max(clock + (legs[j] if after else 0), rest.start) + rest.minutes
            if clock > rest.end:
                return None
            if after:
                clock -= legs[j]  # the leg is already walked: the next arrival is the break's end
        if j == len(route):
            return starts if clock + legs[j] <= prof.shift[1] + prof.max_overtime else None
        t, planned = route[j]
        task = problem.tasks[t]
        visit = problem.visits[task.visit]
        arrive = clock + legs[j]
        if len(visit.needs) > 1 or visit.fixed_for(task.need) is not None:
            start = planned  # its partner (or the clock on the wall) holds this minute
        else:
            start = max(arrive, visit.window[0], problem.now)
        if arrive > start or (start > visit.window[1] and not visit.late_cost):
            return None
        starts.append(start)
        clock = start + problem.need(task).minutes
    return starts


def _without_one(problem: Problem, route: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop the least urgent movable visit, the one nearest midday among equals."""
    movable = [
        k
        for k, (t, _) in enumerate(route)
        if problem.visits[problem.tasks[t].visit].fixed_for(problem.tasks[t].need) is None
    ] or list(range(len(route)))

    def key(k: int) -> tuple[int, int]:
        visit = problem.visits[problem.tasks[route[k][0]].visit]
        return (-visit.priority, abs(route[k][1] - 12 * 60))

    drop = min(movable, key=key)
    return route[:drop] + route[drop + 1 :]
