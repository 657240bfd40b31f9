"""Cheapest insertion of whole visits into timed routes (the repair half of the search).

A lone visit goes where travel detour + its own lateness + the lateness it pushes onto the stops
after it is smallest. The two tasks of a double are placed together: the best positions of each
are paired, both starts are set jointly (simultaneous: the later arrival; sequential: inside the
gap) and the pair is priced as a whole. The estimate ignores delays passed on through other
doubles, so every insertion of a double is timed exactly and a deadlocking one is skipped; if
none fits, the visit goes to the ends of the routes that finish first, which cannot deadlock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from gibon.visits.engine import evaluate
from gibon.visits.engine.evaluate import Instance

PAIR_POSITIONS = 8  # best positions per task paired up for a double
PAIR_TRIALS = 4  # pairs timed exactly before falling back to the route ends
Candidate = tuple[float, int, int, int, int]  # price, professional, position, arrival, detour


def _block(inst: Instance, p: int, route: list[int], start: list[int]) -> np.ndarray:
    """Every place a task could go on route p, one column each: previous node, next node, ready
    time, professional, position, and the next stop's start, due time and lateness cost."""
    n_prof = inst.n_prof
    if len(route) >= inst.cap[p]:
        return np.zeros((8, 0), dtype=np.int64)
    size = len(route) + 1
    never = 2**40  # the route's end: nothing is pushed
    block = np.empty((8, size), dtype=np.int64)
    block[0, 0], block[1, -1], block[2, 0], block[3], block[4] = p, p, inst.shift_start[p], p, 0
    block[4] = np.arange(size)
    block[5:, -1] = (never, never, 0)
    if route:
        tasks = np.array(route, dtype=np.int64)
        starts = np.array([start[t] for t in route], dtype=np.int64)
        block[0, 1:] = block[1, :-1] = tasks + n_prof
        block[2, 1:] = starts + inst.dur_array[tasks]
        block[5, :-1] = starts
        block[6, :-1] = inst.due_array[tasks]
        block[7, :-1] = inst.late_cost_array[tasks]
    return block


class Repairer:
    """Inserts visits one at a time, keeping the routes' timing exact after each."""

    def __init__(self, inst: Instance, routes: list[list[int]]) -> None:
        self.inst, self.routes = inst, routes
        self.timing = evaluate.Timing(inst, routes)
        self.start = self.timing.start
        self.worst = self._worst_late()
        self._blocks = [np.zeros((8, 0), dtype=np.int64) for _ in routes]
        self._stale = set(range(len(routes)))  # routes whose block must be rebuilt
        self._gaps = np.zeros((8, 0), dtype=np.int64)

    @property
    def ok(self) -> bool:
        return self.timing.ok

    def _worst_late(self) -> int:
        due = self.inst.due
        return max((self.start[t] - due[t] for r in self.routes for t in r), default=0)

    def insert_all(self, visits: Sequence[int], rng: random.Random, noise: float = 0.0) -> bool:
        """Insert every visit; False if the routes could not be timed (should not happen)."""
        return all(self.insert(v, rng, noise) for v in visits)

    def insert(self, v: int, rng: random.Random, noise: float = 0.0) -> bool:
        tasks = self.inst.visit_tasks[v]
        if len(tasks) == 1:
            options = self._positions(tasks[0], keep=3 if noise else 1)
            if options:
                _, p, k, _, _ = min(options, key=lambda c: c[0] * (1 + noise * rng.random()))
                self.routes[p].insert(k, tasks[0])
                return self._retime([(tasks[0], p)])
        else:
            for (_, p, k, _, _), (_, q, m, _, _) in self._pairs(tasks, rng, noise):
                self.routes[p].insert(k, tasks[0])
                self.routes[q].insert(m, tasks[1])
                if self._retime([(tasks[0], p), (tasks[1], q)]):
                    return True
                self.routes[p].remove(tasks[0])
                self.routes[q].remove(tasks[1])
        return self._retime(self._append(tasks))

    def _retime(self, placed: list[tuple[int, int]]) -> bool:
        ok = self.timing.inserted(placed)
        self.start = start = self.timing.start  # a refused insertion restores the old starts
        if not ok:
            return False
        due, route_of = self.inst.due, self.timing.route_of
        touched = {p for _, p in placed}
        for t in self.timing.moved:
            self.worst = max(self.worst, start[t] - due[t])
            touched.add(route_of[t])
        self._stale |= touched
        return True

    def _positions(self, t: int, keep: int = 1) -> list[Candidate]:
        """The ``keep`` cheapest positions of task t on the routes of those who may do it.

        Travel detour + own lateness (priced for every position at once) is a lower bound of the
        full price, so the pushed lateness is priced only where that bound can still let in."""
        inst = self.inst
        if self._stale:
            for p in self._stale:
                self._blocks[p] = _block(inst, p, self.routes[p], self.start)
            self._stale = set()
            self._gaps = np.concatenate(self._blocks, axis=1)
        prev, nxt, ready, owner, pos, next_start, next_due, next_cost = self._gaps
        node = inst.n_prof + t
        travel, mode = inst.stacked, inst.mode_of[owner]
        into = travel[mode, prev, node]
        out_of = travel[mode, node, nxt]
        arrival = ready + into
        begin = np.maximum(arrival, inst.open[t])
        own = inst.late_cost[t] * np.maximum(0, begin - inst.due[t])
        detour = into + out_of - travel[mode, prev, nxt]
        pushed = np.maximum(next_start, begin + inst.dur[t] + out_of)  # the next stop, at least
        bound = detour + own
        bound += next_cost * (
            np.maximum(0, pushed - next_due) - np.maximum(0, next_start - next_due)
        )
        allowed = inst.able_mask[t, owner]
        order = np.flatnonzero(allowed)[np.argsort(bound[allowed], kind="stable")]
        out: list[Candidate] = []
        for g in order.tolist():
            if len(out) >= keep and bound[g] >= out[-1][0]:
                break
            p, k, moved = int(owner[g]), int(pos[g]), int(detour[g])
            price = moved + self.lateness(t, p, k, int(begin[g]))
            out.append((price, p, k, int(arrival[g]), moved))
            out.sort()
            del out[keep:]
        return out

    def lateness(self, t: int, p: int, k: int, begin: int) -> float:
        """Own lateness of task t starting at ``begin`` at position k of route p, plus the lateness
        it pushes onto the stops after it (their partners held still), plus any rise in the
        maximum lateness."""
        inst, route, s = self.inst, self.routes[p], self.start
        worst = begin - inst.due[t]
        cost = inst.late_cost[t] * worst if worst > 0 else 0
        row, n_prof = inst.matrix[p], inst.n_prof
        ready, prev = begin + inst.dur[t], n_prof + t
        for j in range(k, len(route)):
            u = route[j]
            ready += row[prev][n_prof + u]
            if ready <= s[u]:
                break
            late_new = ready - inst.due[u]
            if late_new > 0:
                late_now = s[u] - inst.due[u]
                cost += inst.late_cost[u] * (late_new - late_now if late_now > 0 else late_new)
                if late_new > worst:
                    worst = late_new
            ready += inst.dur[u]
            prev = n_prof + u
        return cost + inst.max_late_cost * (worst - self.worst if worst > self.worst else 0)

    def _pairs(
        self, tasks: list[int], rng: random.Random, noise: float
    ) -> list[tuple[Candidate, Candidate]]:
        """The best pairs of positions for a double's two tasks, priced with their joint starts
        (travel detours + own lateness bound each pair from below, so few are priced fully)."""
        inst = self.inst
        a, b = tasks
        options = [self._positions(t, PAIR_POSITIONS) for t in tasks]
        lo, hi = inst.lo[a], inst.hi[a]
        bounded = []
        for ca in options[0]:
            for cb in options[1]:
                if ca[1] == cb[1]:
                    continue
                sa = max(ca[3], inst.open[a], inst.open[b] - hi, cb[3] - hi)
                sb = max(cb[3], inst.open[b], sa + lo)
                bound = ca[4] + cb[4] + self._own(a, sa) + self._own(b, sb)
                bounded.append((bound, sa, sb, ca, cb))
        bounded.sort(key=lambda x: x[0])
        best: list[tuple[float, Candidate, Candidate]] = []
        for bound, sa, sb, ca, cb in bounded:
            if len(best) >= PAIR_TRIALS and bound >= best[-1][0]:
                break
            value = ca[4] + cb[4] + self.lateness(a, ca[1], ca[2], sa)
            value += self.lateness(b, cb[1], cb[2], sb)
            best.append((value * (1 + noise * rng.random()), ca, cb))
            best.sort(key=lambda x: x[0])
            del best[PAIR_TRIALS:]
        return [(ca, cb) for _, ca, cb in best]

    def _own(self, t: int, begin: int) -> int:
        late = begin - self.inst.due[t]
        return self.inst.late_cost[t] * late if late > 0 else 0

    def _append(self, tasks: list[int]) -> list[tuple[int, int]]:
        """Each task at the end of the eligible route that finishes first (two different people)."""
        placed: list[tuple[int, int]] = []
        for t in tasks:
            taken = {p for _, p in placed}
            people = [p for p in self.inst.able[t] if p not in taken] or self.inst.able[t]
            p = min(people, key=self._end)
            self.routes[p].append(t)
            placed.append((t, p))
        return placed

    def _end(self, p: int) -> int:
        route = self.routes[p]
        if not route:
            return self.inst.shift_start[p]
        return self.start[route[-1]] + self.inst.dur[route[-1]]


def timed_subset(
    inst: Instance, routes: Sequence[Sequence[int]]
) -> tuple[list[list[int]], list[int]]:
    """The routes without the visits that keep them from being timed: lone halves of doubles, and
    doubles that would deadlock (added back one at a time, earliest window first); and those
    visits, to be inserted again."""
    routed: dict[int, int] = {}
    for r in routes:
        for t in r:
            routed[inst.task_visit[t]] = routed.get(inst.task_visit[t], 0) + 1
    kept = {v for v, n in routed.items() if n == len(inst.visit_tasks[v]) == 1}
    doubles = [v for v, n in routed.items() if n == len(inst.visit_tasks[v]) == 2]
    doubles.sort(key=lambda v: (inst.open[inst.visit_tasks[v][0]], v))
    for v in doubles:
        trial = [
            [t for t in r if inst.task_visit[t] in kept or inst.task_visit[t] == v] for r in routes
        ]
        if evaluate.starts(inst, trial) is not None:
            kept.add(v)
    out = [[t for t in r if inst.task_visit[t] in kept] for r in routes]
    return out, [v for v in range(len(inst.visit_tasks)) if v not in kept]
