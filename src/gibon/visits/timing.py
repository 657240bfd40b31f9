"""Appointment times for fixed routes, decided jointly across professionals (no solver imports).

Given each professional's sequence of tasks, the earliest start of every task is the longest path
in a graph of difference constraints: travel along each route, window openings, and the links of
double visits (simultaneous: equal starts; sequential: a gap). A positive cycle means the routes
deadlock (A waits for B on one route while B waits for A on another); ``deadlocked`` names the
double visits to take out so the rest can be timed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np

from gibon.visits.model import Problem

Edge = tuple[int, int, int, int]  # from, to, weight, visit index of a link (-1 for route edges)


def earliest_starts(
    problem: Problem, routes: Sequence[Sequence[int]], travel: dict[str, np.ndarray]
) -> tuple[dict[int, int], set[int]]:
    """(start per task, double visits to drop); ``travel`` is indexed like solve's nodes."""
    dropped: set[int] = set()
    while True:
        kept = [[t for t in r if problem.tasks[t].visit not in dropped] for r in routes]
        starts, cycle_visit = _longest_paths(problem, kept, travel)
        if cycle_visit is None:
            return starts, dropped
        dropped.add(cycle_visit)


def _longest_paths(
    problem: Problem, routes: list[list[int]], travel: dict[str, np.ndarray]
) -> tuple[dict[int, int], int | None]:
    low, edges = _graph(problem, routes, travel)
    out: dict[int, list[Edge]] = {}
    for e in edges:
        out.setdefault(e[0], []).append(e)
    start = dict(low)
    pred: dict[int, Edge] = {}
    count = dict.fromkeys(start, 0)
    queue = deque(start)
    queued = set(start)
    while queue:
        u = queue.popleft()
        queued.discard(u)
        for e in out.get(u, ()):
            if start[u] + e[2] > start[e[1]]:
                start[e[1]] = start[u] + e[2]
                pred[e[1]] = e
                count[e[1]] += 1
                if count[e[1]] > len(start):
                    return start, _link_in_cycle(pred, e[1])
                if e[1] not in queued:
                    queue.append(e[1])
                    queued.add(e[1])
    return start, None


def _link_in_cycle(pred: dict[int, Edge], node: int) -> int | None:
    for _ in range(len(pred)):  # walk back far enough to stand on the cycle
        node = pred[node][0]
    seen, edge = set(), pred[node]
    while edge[0] not in seen:
        if edge[3] >= 0:
            return edge[3]
        seen.add(edge[0])
        edge = pred[edge[0]]
    return edge[3] if edge[3] >= 0 else None


def _graph(
    problem: Problem, routes: list[list[int]], travel: dict[str, np.ndarray]
) -> tuple[dict[int, int], list[Edge]]:
    n_prof = len(problem.professionals)
    low: dict[int, int] = {}
    edges: list[Edge] = []
    for p, route in enumerate(routes):
        prof = problem.professionals[p]
        matrix = travel[prof.mode]
        previous, ready = p, prof.shift[0]
        for t in route:
            visit = problem.visits[problem.tasks[t].visit]
            low[t] = max(visit.window[0], ready + int(matrix[previous, n_prof + t]))
            if previous >= n_prof:
                weight = problem.need(problem.tasks[previous - n_prof]).minutes
                edges.append((previous - n_prof, t, weight + int(matrix[previous, n_prof + t]), -1))
            previous, ready = n_prof + t, 0
    placed = {problem.tasks[t]: t for t in low}
    for task, t in placed.items():
        if task.need == 1 and (first := placed.get(type(task)(task.visit, 0))) is not None:
            visit = problem.visits[task.visit]
            lo, hi = (0, 0) if visit.together == "simultaneous" else visit.gap
            edges += [(first, t, lo, task.visit), (t, first, -hi, task.visit)]
    return low, edges
