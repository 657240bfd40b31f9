from __future__ import annotations

import random
import time

from gibon.visits import bench, check
from gibon.visits.engine import evaluate, insert, lns, result, solve, timing
from gibon.visits.engine.problem import Need, Point, Problem, Professional, Visit
from gibon.visits.engine.travel import EuclideanTravel

NAME = "InstanzCPLEX_HCSRP_25_3"


def _start(problem: Problem) -> tuple[evaluate.Instance, list[list[int]]]:
    """Every visit inserted greedily into empty routes, in a seeded random order."""
    inst = evaluate.instance(problem, solve._nodes(problem).travel)
    repairer = insert.Repairer(inst, [[] for _ in problem.professionals])
    visits = list(range(len(problem.visits)))
    random.Random(3).shuffle(visits)
    assert repairer.insert_all(visits, random.Random(3))
    return inst, repairer.routes


def _checked(problem: Problem, inst: evaluate.Instance, routes: list[list[int]]) -> check.Verdict:
    start = evaluate.starts(inst, routes)
    assert start is not None
    raw = tuple(tuple((t, start[t]) for t in r) for r in routes)
    schedule = result.build(problem, raw)
    assert not schedule.unscheduled
    return check.check(problem, schedule)


def test_the_fast_timing_gives_the_same_starts_as_the_longest_path_timing() -> None:
    problem = bench.mankowska_problem(NAME)
    inst, routes = _start(problem)
    fast = evaluate.starts(inst, routes)
    slow, dropped = timing.earliest_starts(problem, routes, solve._nodes(problem).travel)
    assert fast is not None and not dropped
    assert all(fast[t] == s for t, s in slow.items())


def test_timing_kept_up_to_date_after_insertions_equals_timing_from_scratch() -> None:
    problem = bench.mankowska_problem(NAME)
    inst, routes = _start(problem)
    removed = {1, 4, 7, 11, 20}
    kept = [[t for t in r if inst.task_visit[t] not in removed] for r in routes]
    repairer = insert.Repairer(inst, kept)
    assert repairer.insert_all(sorted(removed), random.Random(1))
    fresh = evaluate.starts(inst, repairer.routes)
    assert fresh is not None
    assert all(repairer.start[t] == fresh[t] for r in repairer.routes for t in r)


def test_greedy_insertion_of_every_visit_passes_the_checker() -> None:
    problem = bench.mankowska_problem(NAME)
    inst, routes = _start(problem)
    assert _checked(problem, inst, routes).ok


def test_the_search_returns_checked_routes_no_worse_than_its_start() -> None:
    problem = bench.mankowska_problem(NAME)
    inst, routes = _start(problem)
    stats = lns.Stats()
    better = lns.improve(inst, routes, time.monotonic() + 1.0, seed=2, stats=stats)
    assert stats.iterations > 10
    assert _checked(problem, inst, better).ok
    before, after = evaluate.evaluate(inst, routes), evaluate.evaluate(inst, better)
    assert before is not None and after is not None
    assert after[0] == stats.best <= before[0] == stats.initial


def test_the_search_is_deterministic_for_a_seed_and_an_iteration_count() -> None:
    problem = bench.mankowska_problem(NAME)
    inst, routes = _start(problem)
    runs = [
        lns.improve(inst, routes, time.monotonic() + 60, seed=5, max_iterations=40)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_two_doubles_met_in_opposite_orders_cannot_be_timed() -> None:
    problem = bench.mankowska_problem("InstanzCPLEX_HCSRP_10_1")
    inst = evaluate.instance(problem, solve._nodes(problem).travel)
    doubles = [v for v in inst.visit_tasks if len(v) == 2 and inst.simultaneous[v[0]]]
    sequential = [v for v in inst.visit_tasks if len(v) == 2 and not inst.simultaneous[v[0]]]
    (a0, a1), (b0, b1) = doubles[0], sequential[0]
    routes = [[a0, b0], [b1, a1], []]  # a waits for b on one route, b for a on the other
    assert evaluate.starts(inst, routes) is None


def test_an_insertion_that_deadlocks_is_refused_and_leaves_the_timing_as_it_was() -> None:
    problem = bench.mankowska_problem("InstanzCPLEX_HCSRP_10_1")
    inst = evaluate.instance(problem, solve._nodes(problem).travel)
    simultaneous = next(v for v in inst.visit_tasks if len(v) == 2 and inst.simultaneous[v[0]])
    sequential = next(v for v in inst.visit_tasks if len(v) == 2 and not inst.simultaneous[v[0]])
    routes: list[list[int]] = [[simultaneous[0]], [simultaneous[1]], []]
    timing = evaluate.Timing(inst, routes)
    before = list(timing.start)
    routes[0].append(sequential[0])  # after a on one route ...
    routes[1].insert(0, sequential[1])  # ... before a on the other: a waits for b waits for a
    assert not timing.inserted([(sequential[0], 0), (sequential[1], 1)])
    assert timing.start == before


def test_a_plan_that_costs_nothing_is_returned_as_it_is() -> None:
    base = Point(0, 0)
    staff = (Professional("a", "caregiver", frozenset({"s"}), (0, 1000), base),)
    need = (Need("caregiver", 10, frozenset({"s"})),)
    visits = tuple(Visit(f"v{i}", base, need, (0, 500), late_cost=1) for i in range(4))
    problem = Problem("zero", staff, visits, EuclideanTravel(scale=1), max_late_cost=1)
    inst = evaluate.instance(problem, solve._nodes(problem).travel)
    routes = [[0, 1, 2, 3]]
    assert evaluate.evaluate(inst, routes) == (0, [0, 10, 20, 30])
    assert lns.improve(inst, routes, time.monotonic() + 5, max_iterations=20) == routes
