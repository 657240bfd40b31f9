"""Re-insert double visits taken out of deadlocked routes, choosing both people and one time jointly.

Used between the solver's two phases (routes found without synchronisation, then the full model):
each removed visit goes where the detour plus lateness is smallest, with its two starts set
together; the insertion is kept only if the routes can still be timed without deadlock.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence

import numpy as np

from gibon.visits.engine import timing
from gibon.visits.engine.problem import Problem, eligible

TRIALS = 24  # candidate insertions timed exactly per visit
CANDIDATES = 40  # positions kept per task before pairing
Candidate = tuple[float, int, int, int]  # cost without lateness, professional, position, arrival


def reinsert(
    problem: Problem,
    routes: list[list[int]],
    visits: Sequence[int],
    travel: dict[str, np.ndarray],
    deadline: float = float("inf"),
) -> list[list[int]]:
    """Routes with each of ``visits`` inserted (both tasks) where it costs least; once time is up
    (or nothing fits) a visit is appended to route ends, which can never deadlock."""
    late: list[int] = []
    for v in visits:
        if time.monotonic() > deadline:
            late.append(v)
            continue
        starts, _ = timing.earliest_starts(problem, routes, travel)
        tasks = [t for t, task in enumerate(problem.tasks) if task.visit == v]
        options = [_candidates(problem, routes, starts, t, travel) for t in tasks]
        best: tuple[float, list[list[int]]] | None = None
        for pair in _ranked(problem, v, options)[:TRIALS]:
            trial = [list(r) for r in routes]
            for t, (_, p, k, _) in sorted(zip(tasks, pair, strict=True), key=lambda x: -x[1][2]):
                trial[p].insert(k, t)
            value = cost(problem, trial, travel)
            if value is not None and (best is None or value < best[0]):
                best = (value, trial)
        if best is not None:
            routes = best[1]
        else:
            late.append(v)
    return append(problem, routes, late, travel) if late else routes


def append(
    problem: Problem, routes: list[list[int]], visits: Sequence[int], travel: dict[str, np.ndarray]
) -> list[list[int]]:
    """Each visit's tasks at the end of the eligible routes that finish first (two different people
    for a simultaneous visit); nothing follows them, so no cycle can form."""
    routes = [list(r) for r in routes]
    starts, _ = timing.earliest_starts(problem, routes, travel)
    ends = [_end(problem, r, starts, p) for p, r in enumerate(routes)]
    for v in visits:
        taken: set[int] = set()
        for t, task in enumerate(problem.tasks):
            if task.visit != v:
                continue
            people = [p for p in eligible(problem, task) if p not in taken] or eligible(
                problem, task
            )
            if not people:
                break
            p = min(people, key=lambda q: ends[q])
            n_prof = len(problem.professionals)
            last = n_prof + routes[p][-1] if routes[p] else p
            leg = int(travel[problem.professionals[p].mode][last, n_prof + t])
            routes[p].append(t)
            taken.add(p)
            ends[p] = max(ends[p] + leg, problem.visits[v].window[0]) + problem.need(task).minutes
    return routes


def _end(problem: Problem, route: list[int], starts: dict[int, int], p: int) -> int:
    if not route:
        return problem.professionals[p].shift[0]
    last = route[-1]
    return starts[last] + problem.need(problem.tasks[last]).minutes


def cost(problem: Problem, routes: list[list[int]], travel: dict[str, np.ndarray]) -> float | None:
    """Travel + lateness of the routes timed jointly; None if they deadlock or break a hard limit."""
    starts, deadlocked = timing.earliest_starts(problem, routes, travel)
    if deadlocked:
        return None
    n_prof = len(problem.professionals)
    total = 0.0
    for p, route in enumerate(routes):
        matrix = travel[problem.professionals[p].mode]
        path = [p, *(n_prof + t for t in route), p]
        total += float(sum(matrix[a, b] for a, b in itertools.pairwise(path)))
    for t, start in starts.items():
        visit = problem.visits[problem.tasks[t].visit]
        late = start - visit.window[1]
        if late > 0 and not visit.late_cost:
            return None
        total += max(0, late) * visit.late_cost
    return total


def _candidates(
    problem: Problem,
    routes: list[list[int]],
    starts: dict[int, int],
    t: int,
    travel: dict[str, np.ndarray],
) -> list[Candidate]:
    n_prof = len(problem.professionals)
    node = n_prof + t
    out = []
    for p in eligible(problem, problem.tasks[t]):
        prof = problem.professionals[p]
        matrix = travel[prof.mode]
        route = routes[p]
        for k in range(len(route) + 1):
            prev = n_prof + route[k - 1] if k else p
            nxt = n_prof + route[k] if k < len(route) else p
            ready = (
                starts[route[k - 1]] + problem.need(problem.tasks[route[k - 1]]).minutes
                if k
                else prof.shift[0]
            )
            detour = int(matrix[prev, node] + matrix[node, nxt] - matrix[prev, nxt])
            arrival = ready + int(matrix[prev, node])
            out.append(
                (
                    float(detour) + _push(problem, route, starts, k, arrival, t, matrix[node, nxt]),
                    p,
                    k,
                    arrival,
                )
            )
    out.sort()
    return out[:CANDIDATES]


def _push(
    problem: Problem,
    route: list[int],
    starts: dict[int, int],
    k: int,
    arrival: int,
    t: int,
    leg: int,
) -> float:
    """Estimated lateness caused downstream: the delay at the next stop times the stops after it."""
    if k >= len(route):
        return 0.0
    start = max(arrival, problem.visits[problem.tasks[t].visit].window[0])
    delay = start + problem.need(problem.tasks[t]).minutes + int(leg) - starts[route[k]]
    return float(max(0, delay) * (len(route) - k))


def _ranked(
    problem: Problem, v: int, options: list[list[Candidate]]
) -> list[tuple[Candidate, ...]]:
    visit = problem.visits[v]
    early, late = visit.window
    if len(options) == 1:
        return [
            (c,) for c in sorted(options[0], key=lambda c: c[0] + max(0, max(c[3], early) - late))
        ]
    lo, hi = (0, 0) if visit.together == "simultaneous" else visit.gap
    scored = []
    for a in options[0]:
        for b in options[1]:
            if visit.together == "simultaneous" and a[1] == b[1]:
                continue
            start_a = max(a[3], early, b[3] - hi)
            start_b = max(b[3], start_a + lo)
            cost = (
                a[0]
                + b[0]
                + max(0, start_a - late)
                + max(0, start_b - late)
                + (start_a - max(a[3], early))
            )
            scored.append((cost, (a, b)))
    scored.sort(key=lambda x: x[0])
    return [pair for _, pair in scored]
