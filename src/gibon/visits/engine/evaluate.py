"""Fast exact evaluation of fixed routes for the large-neighbourhood search (no solver imports).

gibon's one earliest-start timing (``timing.py`` wraps it for the repair path): longest paths
over travel, window openings and the double-visit links, written over flat Python lists so the
search can afford thousands of evaluations a minute: routes are swept in order, the links raise
their partners' lower bounds, and only routes whose bounds moved are swept again. Starts only ever grow, so the sweeps converge
on the earliest schedule, or keep growing when the routes deadlock (reported as ``None``). With
fixed routes the earliest starts minimise every start at once, hence total and maximum tardiness.

Objective (problem units): travel + sum(late_cost x tardiness) + max_late_cost x max tardiness;
the Mankowska benchmark's (distance + total tardiness + max tardiness), times 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gibon.visits.engine.problem import Problem, eligible


@dataclass(frozen=True)
class Instance:
    """The problem as flat lists; node p < P is professional p's base, node P + t is task t."""

    n_prof: int
    matrix: tuple[list[list[int]], ...]  # per professional (shared per travel mode)
    dur: list[int]
    open: list[int]
    due: list[int]
    late_cost: list[int]
    max_late_cost: int
    partner: list[int]  # the other task of a double, -1 for a lone visit
    lo: list[int]  # second task's start minus the first's: at least lo ...
    hi: list[int]  # ... and at most hi (set on both tasks of a double)
    first: list[bool]  # the first task of a double (need 0)
    simultaneous: list[bool]
    able: list[list[int]]  # professionals who may do each task
    shift_start: list[int]
    cap: list[int]
    visit_tasks: list[list[int]]
    task_visit: list[int]
    points: np.ndarray  # (visits, 2) locations, for relatedness
    stacked: np.ndarray  # (modes, nodes, nodes) travel, for pricing many positions at once
    mode_of: np.ndarray  # per professional, its index into ``stacked``
    able_mask: np.ndarray  # (tasks, professionals): may do
    dur_array: np.ndarray
    due_array: np.ndarray
    late_cost_array: np.ndarray

    @property
    def n_tasks(self) -> int:
        return len(self.dur)


def instance(problem: Problem, travel: dict[str, np.ndarray]) -> Instance:
    n_prof = len(problem.professionals)
    by_mode = {mode: m.tolist() for mode, m in travel.items()}
    modes = sorted(travel)
    able = [eligible(problem, task) for task in problem.tasks]
    able_mask = np.zeros((len(problem.tasks), n_prof), dtype=bool)
    for t, people in enumerate(able):
        able_mask[t, people] = True
    n_tasks = len(problem.tasks)
    partner, lo, hi = [-1] * n_tasks, [0] * n_tasks, [0] * n_tasks
    first, simultaneous = [False] * n_tasks, [False] * n_tasks
    visit_tasks: list[list[int]] = [[] for _ in problem.visits]
    for t, task in enumerate(problem.tasks):
        visit_tasks[task.visit].append(t)
    for v, tasks in enumerate(visit_tasks):
        if len(tasks) == 2:
            a, b = tasks
            visit = problem.visits[v]
            gap = (0, 0) if visit.together == "simultaneous" else visit.gap
            partner[a], partner[b], first[a] = b, a, True
            lo[a] = lo[b] = gap[0]
            hi[a] = hi[b] = gap[1]
            simultaneous[a] = simultaneous[b] = visit.together == "simultaneous"
    visits = [problem.visits[task.visit] for task in problem.tasks]
    return Instance(
        n_prof=n_prof,
        matrix=tuple(by_mode[p.mode] for p in problem.professionals),
        dur=[problem.need(task).minutes for task in problem.tasks],
        open=[v.window[0] for v in visits],
        due=[v.window[1] for v in visits],
        late_cost=[v.late_cost for v in visits],
        max_late_cost=problem.max_late_cost,
        partner=partner,
        lo=lo,
        hi=hi,
        first=first,
        simultaneous=simultaneous,
        able=able,
        shift_start=[p.shift[0] for p in problem.professionals],
        cap=[p.max_visits for p in problem.professionals],
        visit_tasks=visit_tasks,
        task_visit=[task.visit for task in problem.tasks],
        points=np.array([[v.location.lat, v.location.lon] for v in problem.visits], dtype=float),
        stacked=np.stack([travel[m] for m in modes]).astype(np.int64),
        mode_of=np.array([modes.index(p.mode) for p in problem.professionals], dtype=np.int64),
        able_mask=able_mask,
        dur_array=np.array([problem.need(task).minutes for task in problem.tasks], dtype=np.int64),
        due_array=np.array([v.window[1] for v in visits], dtype=np.int64),
        late_cost_array=np.array([v.late_cost for v in visits], dtype=np.int64),
    )


class Timing:
    """Earliest starts of routes that only grow by insertions, kept up to date incrementally.

    Inserting a task only adds constraints, so the old starts stay lower bounds of the new ones:
    sweeping again the routes that changed, and the routes of partners pushed by them, reaches
    the new earliest schedule without timing everything again. Each start remembers the task that
    set it (the stop before it, or the partner that raised its bound); when a partner is about to
    raise a task it itself waits on, the constraints form a positive cycle — a deadlock — which is
    reported at once instead of after the starts have grown for ``2 x links`` sweeps (the
    Bellman-Ford bound, kept as a backstop)."""

    def __init__(self, inst: Instance, routes: Sequence[Sequence[int]]) -> None:
        self.inst, self.routes = inst, routes
        self.start = [-1] * inst.n_tasks  # unrouted; every routed task moves on its first sweep
        self.low = list(inst.open)
        self.cause = [-1] * inst.n_tasks  # the partner that last raised ``low``
        self.det = [-1] * inst.n_tasks  # the task that set the start (-1: window or shift)
        self.route_of = [-1] * inst.n_tasks
        for p, route in enumerate(routes):
            for t in route:
                self.route_of[t] = p
        self.links = sum(1 for t in range(inst.n_tasks) if inst.first[t] and self.route_of[t] >= 0)
        self.deadlocked = -1  # a double visit caught in the deadlock, when ``ok`` is False
        self.ok = self._propagate(set(range(len(routes))))

    def inserted(self, placed: Sequence[tuple[int, int]]) -> bool:
        """Re-time after ``(task, professional)`` insertions; on a deadlock, undo and say False.

        A task is inserted together with its partner (the partner's bound on it is checked only
        when the partner moves)."""
        saved = (list(self.start), list(self.low), list(self.cause), list(self.det), self.links)
        for t, p in placed:
            self.route_of[t] = p
            self.start[t] = -1
            self.links += self.inst.first[t]
        if self._propagate({p for _, p in placed}):
            return True
        self.start, self.low, self.cause, self.det, self.links = saved
        for t, _ in placed:
            self.route_of[t] = -1
        return False

    def _propagate(self, dirty: set[int]) -> bool:
        inst, start, low, route_of = self.inst, self.start, self.low, self.route_of
        self.moved: list[int] = []  # every task whose start changed
        raised = -1
        for _ in range(2 * self.links + 2):
            if not dirty:
                return True
            moved: list[int] = []
            for p in dirty:
                moved += self._sweep(p)
            self.moved += moved
            dirty = set()
            for t in moved:
                u = inst.partner[t]
                if u < 0 or route_of[u] < 0:
                    continue
                need = start[t] + inst.lo[t] if inst.first[t] else start[t] - inst.hi[t]
                if start[u] < need:
                    if self._waits_on(t, u):
                        self.deadlocked = inst.task_visit[t]
                        return False
                    low[u], self.cause[u], raised = need, t, u
                    dirty.add(route_of[u])
        if dirty:  # the Bellman-Ford backstop: starts still growing, a cycle through ``raised``
            self.deadlocked = inst.task_visit[raised]
        return not dirty

    def _waits_on(self, t: int, u: int) -> bool:
        """Whether t's start was set, through a chain of stops and partners, by u's."""
        det = self.det
        for _ in range(len(det)):
            if t == u:
                return True
            t = det[t]
            if t < 0:
                return False
        return True

    def _sweep(self, p: int) -> list[int]:
        inst, start, low, det, cause = self.inst, self.start, self.low, self.det, self.cause
        row, n_prof, dur = inst.matrix[p], inst.n_prof, inst.dur
        prev, ready = p, inst.shift_start[p]
        moved = []
        for t in self.routes[p]:
            s = ready + row[prev][n_prof + t]
            if s < low[t]:
                s = low[t]
                det[t] = cause[t]
            else:
                det[t] = prev - n_prof  # negative for the base
            if s != start[t]:
                start[t] = s
                moved.append(t)
            ready = s + dur[t]
            prev = n_prof + t
        return moved


def starts(inst: Instance, routes: Sequence[Sequence[int]]) -> list[int] | None:
    """Earliest start of every routed task (unrouted tasks: -1), or None if the routes deadlock."""
    timing = Timing(inst, routes)
    return timing.start if timing.ok else None


def distance(inst: Instance, p: int, route: Sequence[int]) -> int:
    row, n_prof = inst.matrix[p], inst.n_prof
    prev, total = p, 0
    for t in route:
        total += row[prev][n_prof + t]
        prev = n_prof + t
    return total + row[prev][p]


def objective(inst: Instance, routes: Sequence[Sequence[int]], start: list[int]) -> int:
    """Travel + weighted total tardiness + weighted maximum tardiness of timed routes."""
    total = sum(distance(inst, p, r) for p, r in enumerate(routes))
    worst = 0
    due, cost = inst.due, inst.late_cost
    for route in routes:
        for t in route:
            late = start[t] - due[t]
            if late > 0:
                total += cost[t] * late
                worst = max(worst, late)
    return total + inst.max_late_cost * worst


def evaluate(inst: Instance, routes: Sequence[Sequence[int]]) -> tuple[int, list[int]] | None:
    """(objective, starts), or None if the routes deadlock."""
    start = starts(inst, routes)
    if start is None:
        return None
    return objective(inst, routes, start), start
