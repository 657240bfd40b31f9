"""Free capacity is used: a visit the solver left out goes where qualified people are still free.

After the search (and the break repair), each left-out visit is tried, most urgent first, in every
free gap of every qualified professional without moving anyone else: the visit starts inside its
window, the travel in and out fits, the day's maximum is kept, and the break still fits whole.
A visit of two people needs both free at the same minute (or within the sequential gap). What
still cannot be placed is explained per visit, in Korean, by the constraint that stopped it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gibon.visits.engine import breaks
from gibon.visits.engine.problem import PROFESSION_KO, Problem, eligible, hhmm
from gibon.visits.engine.result import Unscheduled

RawRoute = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Slot:
    professional: int
    position: int
    earliest: int
    latest: int


def complete(problem: Problem, routes: tuple[RawRoute, ...]) -> set[int]:
    done = Counter(problem.tasks[t].visit for r in routes for t, _ in r)
    return {v for v, n in done.items() if n == len(problem.visits[v].needs)}


def fill(problem: Problem, routes: tuple[RawRoute, ...]) -> tuple[RawRoute, ...]:
    whole = complete(problem, routes)
    kept = [[(t, s) for t, s in r if problem.tasks[t].visit in whole] for r in routes]
    left = [v for v in range(len(problem.visits)) if v not in whole]
    for v in sorted(left, key=lambda v: problem.visits[v].priority):
        _place(problem, kept, v)
    return tuple(tuple(r) for r in kept)


def _tasks(problem: Problem, v: int) -> list[int]:
    return [t for t, task in enumerate(problem.tasks) if task.visit == v]


def slots(problem: Problem, routes: list[list[tuple[int, int]]], t: int) -> list[Slot]:
    """Every gap of a qualified professional where task ``t`` could start, as a start range."""
    task = problem.tasks[t]
    visit = problem.visits[task.visit]
    minutes = problem.need(task).minutes
    out = []
    for p in eligible(problem, task):
        prof, route = problem.professionals[p], routes[p]
        if len(route) >= prof.max_visits:
            continue
        cached = breaks.table(problem)
        matrix = cached.matrix[prof.mode]
        base = cached.node(prof)
        nodes = [base, *(cached.n_prof + problem.tasks[u].visit for u, _ in route), base]
        here = cached.n_prof + task.visit
        for k in range(len(route) + 1):
            lo = (
                (route[k - 1][1] + problem.need(problem.tasks[route[k - 1][0]]).minutes)
                if k
                else prof.shift[0]
            )
            hi = route[k][1] if k < len(route) else prof.shift[1] + prof.max_overtime
            first = max(lo + int(matrix[nodes[k], here]), visit.window[0], problem.now)
            last = min(hi - minutes - int(matrix[here, nodes[k + 1]]), visit.window[1])
            if first <= last:
                out.append(Slot(p, k, first, last))
    return out


def _fits(
    problem: Problem, routes: list[list[tuple[int, int]]], moves: list[tuple[Slot, int, int]]
) -> bool:
    """Each professional's route with the inserted task(s) still has room for the whole break."""
    for slot, t, start in moves:
        trial = list(routes[slot.professional])
        trial.insert(slot.position, (t, start))
        if not breaks.placeable(problem, problem.professionals[slot.professional], trial):
            return False
    return True


def _apply(routes: list[list[tuple[int, int]]], moves: list[tuple[Slot, int, int]]) -> None:
    for slot, t, start in moves:
        routes[slot.professional].insert(slot.position, (t, start))


def _place(problem: Problem, routes: list[list[tuple[int, int]]], v: int) -> bool:
    visit = problem.visits[v]
    if any(visit.fixed):
        return False
    tasks = _tasks(problem, v)
    if len(tasks) == 1:
        for slot in _ranked(problem, v, slots(problem, routes, tasks[0])):
            moves = [(slot, tasks[0], slot.earliest)]
            if _fits(problem, routes, moves):
                _apply(routes, moves)
                return True
        return False
    low, high = (0, 0) if visit.together == "simultaneous" else visit.gap
    for a in slots(problem, routes, tasks[0]):
        for b in slots(problem, routes, tasks[1]):
            if a.professional == b.professional:
                continue
            s1 = max(a.earliest, b.earliest - high)
            s2 = max(b.earliest, s1 + low)
            if s1 > a.latest or s2 > b.latest or s2 - s1 > high:
                continue
            moves = [(a, tasks[0], s1), (b, tasks[1], s2)]
            if _fits(problem, routes, moves):
                _apply(routes, moves)
                return True
    return False


def _ranked(problem: Problem, v: int, found: list[Slot]) -> list[Slot]:
    preferred = problem.visits[v].preferred
    ids = [p.id for p in problem.professionals]
    return sorted(found, key=lambda s: (ids[s.professional] != preferred, s.earliest))


def explain(
    problem: Problem, routes: list[list[tuple[int, int]]], v: int, half: bool
) -> Unscheduled:
    """Why a valid visit is not in the plan, naming the constraint that stopped it."""
    visit = problem.visits[v]
    window = f"{hhmm(visit.window[0])}–{hhmm(visit.window[1])}"
    parts = []
    for t in _tasks(problem, v):
        people = eligible(problem, problem.tasks[t])
        label = PROFESSION_KO.get(problem.need(problem.tasks[t]).profession, "")
        full = sum(1 for p in people if len(routes[p]) >= problem.professionals[p].max_visits)
        free = {s.professional for s in slots(problem, routes, t)}
        parts.append((label, len(people), full, len(free)))
    if len(parts) == 2 and all(n_free for *_, n_free in parts):
        names = "와 ".join(label for label, *_ in parts)
        return Unscheduled(
            visit.id,
            f"{names}가 각각 빈 시간은 있으나 시간창 {window} 안에서 "
            + ("같은 시각에" if visit.together == "simultaneous" else "정해진 간격으로")
            + " 함께 빌 때가 없음(휴식 포함)",
            "partner_unavailable",
        )
    label, able, at_max, _ = next((p for p in parts if not p[3]), parts[0])
    if able and at_max == able:
        return Unscheduled(
            visit.id, f"자격 있는 {label} {able}명 모두 하루 최대 방문 수에 도달함", "max_visits"
        )
    extra = f", {at_max}명은 최대 방문 수 도달" if at_max else ""
    return Unscheduled(
        visit.id,
        f"자격 있는 {label} {able}명 모두 시간창 {window} 안에 이동 시간을 포함한 "
        f"빈 시간이 없음{extra}",
        "partner_unavailable" if half else "no_capacity",
    )


__all__ = ["complete", "explain", "fill", "slots"]
