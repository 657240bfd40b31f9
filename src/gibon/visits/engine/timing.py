"""Appointment times for fixed routes, decided jointly across professionals (no solver imports).

Given each professional's sequence of tasks, the earliest start of every task is the longest path
in a graph of difference constraints: travel along each route, window openings, and the links of
double visits (simultaneous: equal starts; sequential: a gap). There is one computation of it,
``evaluate.Timing`` (flat lists, incremental, used by the neighbourhood search); this module gives
it the repair path's shape and names the deadlocks: a positive cycle means the routes deadlock
(A waits for B on one route while B waits for A on another), and ``deadlocked`` names the double
visits to take out so the rest can be timed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gibon.visits.engine import evaluate
from gibon.visits.engine.problem import Problem

_LAST: list[tuple[Problem, dict[str, np.ndarray], evaluate.Instance]] = []


def earliest_starts(
    problem: Problem, routes: Sequence[Sequence[int]], travel: dict[str, np.ndarray]
) -> tuple[dict[int, int], set[int]]:
    """(start per task, double visits to drop); ``travel`` is indexed like solve's nodes."""
    inst = _instance(problem, travel)
    dropped: set[int] = set()
    while True:
        kept = [[t for t in r if problem.tasks[t].visit not in dropped] for r in routes]
        timed = evaluate.Timing(inst, kept)
        if timed.ok:
            return {t: timed.start[t] for r in kept for t in r}, dropped
        dropped.add(timed.deadlocked)


def _instance(problem: Problem, travel: dict[str, np.ndarray]) -> evaluate.Instance:
    """The flat instance of the problem being repaired, built once per problem (the repair times
    the routes again for every candidate insertion)."""
    for known, matrices, inst in _LAST:
        if known is problem and matrices is travel:
            return inst
    inst = evaluate.instance(problem, travel)
    _LAST[:] = [(problem, travel, inst)]
    return inst
