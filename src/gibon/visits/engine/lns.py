"""Adaptive large-neighbourhood search around the solvers' routes (no solver imports).

The solvers (PyVRP, then the joint timing and repair) give the first routes; this search then
keeps the routes as sequences and evaluates the exact objective with the earliest-start timing
(``evaluate``). Each iteration removes a handful of whole visits (a cluster related in space and
time, or strings of consecutive stops from neighbouring routes) and puts them back by cheapest
insertion with both halves of a double placed jointly (``insert``). A simulated-annealing rule
accepts the result; operators that found better solutions are chosen more often. Every returned
solution is timed without deadlock and is at least as good as the routes it started from.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gibon.visits.engine import evaluate
from gibon.visits.engine.evaluate import Instance
from gibon.visits.engine.insert import Repairer

Routes = list[list[int]]
START_WORSE = 0.03  # a 3 % worse solution is accepted half the time at the start ...
END_WORSE = 0.0005  # ... and a 0.05 % worse one at the end
SCORES = (6.0, 3.0, 1.0, 0.0)  # new best, better than current, accepted, rejected
REACTION = 0.1


@dataclass
class Stats:
    iterations: int = 0
    improvements: int = 0
    initial: int = 0
    best: int = 0


def improve(
    inst: Instance,
    routes: Sequence[Sequence[int]],
    deadline: float,
    seed: int = 1,
    stats: Stats | None = None,
    max_iterations: int | None = None,
) -> Routes:
    """The best routes found before ``deadline`` (monotonic clock) or after ``max_iterations``
    (the same seed and count give the same routes), starting from ``routes``."""
    current: Routes = [list(r) for r in routes]
    timed = evaluate.evaluate(inst, current)
    if timed is None or not any(current):
        return current
    rng = random.Random(seed)
    value, start = timed
    best, best_value = [list(r) for r in current], value
    stats = stats or Stats()
    stats.initial = value
    weights = [1.0] * len(DESTROY)
    began = time.monotonic()
    while (now := time.monotonic()) < deadline and stats.iterations != max_iterations:
        share = (now - began) / max(1e-9, deadline - began)
        if max_iterations:
            share = stats.iterations / max_iterations
        temperature = max(1e-9, value * START_WORSE * (END_WORSE / START_WORSE) ** share)
        temperature /= math.log(2)
        op = rng.choices(range(len(DESTROY)), weights)[0]
        removed = DESTROY[op](inst, current, start, _count(inst, current, rng), rng)
        trial = [[t for t in r if inst.task_visit[t] not in removed] for r in current]
        repairer = Repairer(inst, trial)
        if not repairer.ok:  # removing visits cannot create a deadlock; kept for safety
            continue
        order = sorted(removed, key=lambda v: (-len(inst.visit_tasks[v]), rng.random()))
        if rng.random() < 0.5:
            rng.shuffle(order)
        stats.iterations += 1
        if not repairer.insert_all(order, rng, noise=0.1 if rng.random() < 0.5 else 0.0):
            continue
        new_value = evaluate.objective(inst, trial, repairer.start)
        score = SCORES[3]
        if new_value < value or rng.random() < math.exp((value - new_value) / temperature):
            score = SCORES[1] if new_value < value else SCORES[2]
            current, value, start = trial, new_value, repairer.start
            if value < best_value:
                best, best_value, score = [list(r) for r in current], value, SCORES[0]
                stats.improvements += 1
        weights[op] = (1 - REACTION) * weights[op] + REACTION * max(score, 0.1)
    stats.best = best_value
    return best


def _count(inst: Instance, routes: Routes, rng: random.Random) -> int:
    served = len({inst.task_visit[t] for r in routes for t in r})
    high = max(2, min(30, served // 6))
    return rng.randint(min(2, served), high)


def _served(inst: Instance, routes: Routes) -> list[int]:
    return sorted({inst.task_visit[t] for r in routes for t in r})


def related_removal(
    inst: Instance, routes: Routes, start: list[int], q: int, rng: random.Random
) -> set[int]:
    """Visits close to a random one in space and in start time (Shaw)."""
    served = _served(inst, routes)
    seed = rng.choice(served)
    when = np.array([start[inst.visit_tasks[v][0]] for v in served], dtype=float)
    where = inst.points[served]
    space = np.linalg.norm(where - inst.points[seed], axis=1)
    gap = np.abs(when - start[inst.visit_tasks[seed][0]])
    score = space / (space.max() or 1) + gap / (gap.max() or 1)
    order = np.argsort(score)
    picked = {seed}
    for _ in range(q * 3):
        if len(picked) >= q:
            break
        picked.add(served[int(order[int(len(order) * rng.random() ** 4)])])
    return picked


def string_removal(
    inst: Instance, routes: Routes, start: list[int], q: int, rng: random.Random
) -> set[int]:
    """Strings of consecutive stops cut from the routes nearest a random visit (after SISR,
    Christiaens and Vanden Berghe 2020): neighbouring routes are rebuilt together."""
    route_of = {t: p for p, r in enumerate(routes) for t in r}
    served = _served(inst, routes)
    seed = rng.choice(served)
    near = np.argsort(np.linalg.norm(inst.points - inst.points[seed], axis=1))
    picked: set[int] = set()
    cut: set[int] = set()
    for v in near.tolist():
        if len(picked) >= q:
            break
        t = inst.visit_tasks[v][0]
        p = route_of.get(t)
        if p is None or p in cut:
            continue
        cut.add(p)
        route = routes[p]
        length = rng.randint(1, min(len(route), max(1, q - len(picked)), 10))
        k = route.index(t)
        first = rng.randint(max(0, k - length + 1), min(k, len(route) - length))
        picked.update(inst.task_visit[u] for u in route[first : first + length])
    return picked


Destroy = Callable[[Instance, Routes, list[int], int, random.Random], set[int]]
# Measured on InstanzVNS_HCSRP_100_2 and _200_2 (4000 and 2500 iterations, 3-4 seeds): related
# and string removal alone averaged 1.9 % and 3.4 %; adding random, worst-cost and whole-route
# removal (tried first) made it worse (2.3-3.1 % and 4.6 %), so they were taken out.
DESTROY: tuple[Destroy, ...] = (related_removal, string_removal)
