from __future__ import annotations

import importlib.util

from gibon.visits.engine import repair, solve, timing
from gibon.visits.engine.problem import Need, Point, Problem, Professional, Visit
from gibon.visits.engine.travel import EuclideanTravel


def _problem() -> Problem:
    depot = Point(0, 0)
    staff = tuple(
        Professional(i, "caregiver", frozenset({"s"}), (0, 1000), depot) for i in ("a", "b")
    )
    both = (Need("caregiver", 10, frozenset({"s"})), Need("caregiver", 10, frozenset({"s"})))
    visits = (
        Visit("x", Point(3, 4), both, (0, 100), together="simultaneous", late_cost=1),
        Visit("y", Point(6, 8), both, (0, 100), together="simultaneous", late_cost=1),
    )
    return Problem("t", staff, visits, EuclideanTravel(scale=1))


def test_a_simultaneous_visit_waits_for_the_later_of_its_two_professionals() -> None:
    problem = _problem()
    travel = solve._nodes(problem).travel
    starts, dropped = timing.earliest_starts(problem, [[0, 2], [1, 3]], travel)
    assert not dropped
    assert starts[0] == starts[1] == 5  # both walk 5 from the depot
    assert starts[2] == starts[3] == 5 + 10 + 5


def test_two_doubles_in_opposite_orders_deadlock_and_one_is_named() -> None:
    problem = _problem()
    travel = solve._nodes(problem).travel
    _, dropped = timing.earliest_starts(problem, [[0, 2], [3, 1]], travel)
    assert len(dropped) == 1 and dropped <= {0, 1}


def test_a_deadlocked_double_is_put_back_where_the_routes_can_be_timed() -> None:
    problem = _problem()
    travel = solve._nodes(problem).travel
    _, dropped = timing.earliest_starts(problem, [[0, 2], [3, 1]], travel)
    (visit,) = dropped
    kept = [[t for t in r if problem.tasks[t].visit != visit] for r in ([0, 2], [3, 1])]
    routes = repair.reinsert(problem, kept, [visit], travel)
    assert sorted(t for r in routes for t in r) == [0, 1, 2, 3]
    assert repair.cost(problem, routes, travel) is not None


def test_solve_ortools_names_its_own_solver_where_the_planner_would_search() -> None:
    problem = _problem()  # soft windows: the planner's own pipeline starts from PyVRP
    stop = solve.MaxRuntime(1.0)
    assert solve.solve_ortools(problem, stop=stop).solver == "ortools"
    planned = solve.solve(problem, stop=stop, params=solve.SolveParams(seed=3, pin_rounds=0))
    assert planned.solver.startswith("pyvrp")


def test_the_problem_lives_in_problem_py_not_beside_models_py() -> None:
    assert importlib.util.find_spec("gibon.visits.engine.problem") is not None
    assert importlib.util.find_spec("gibon.visits.model") is None
