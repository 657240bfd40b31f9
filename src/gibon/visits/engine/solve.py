"""Our problem on the solver libraries (OR-Tools routing and PyVRP); ``vrptw`` does plain VRPTW.

``solve_ortools`` places the tasks of a :class:`Problem`: skills as allowed vehicles, shifts as
start/end cumul ranges, breaks as native break intervals, synchronised and sequential visits as
time-dimension constraints between the two tasks, continuity as a per-professional arc cost,
priorities as drop penalties. With soft windows (lateness priced), PyVRP first routes the tasks
as lone visits; the doubles are then made to meet by joint insertion, and either the
large-neighbourhood search (``lns``, when nothing but travel and lateness is priced) or the full
synchronised OR-Tools model takes over.
``solve_pyvrp`` runs PyVRP on the single-visit, no-break part of our problem (for the comparison
in docs/visits.md). The plain VRPTW (Solomon) solvers are in ``vrptw``, the only other module that
imports a solver library.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace
from time import monotonic
from typing import Any

import numpy as np
import pyvrp
import pyvrp.stop
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from gibon.visits.engine import evaluate, insert, lns, repair, timing
from gibon.visits.engine.problem import Problem, eligible

DROP_PENALTY = {1: 1_000_000, 2: 300_000, 3: 100_000}
MUST_SERVE = 10**9
BIG_M = 10**7


@dataclass(frozen=True)
class MaxRuntime:
    """Stop after this many seconds of wall time (the whole solve, every phase included)."""

    seconds: float


@dataclass(frozen=True)
class SolveParams:
    """How the solve spends its time; the defaults are the ones measured in docs/visits.md."""

    seed: int = 1
    must_serve: bool = False  # every visit must be served (benchmarks); else priorities decide
    relaxed_share: float = 0.2  # per relaxed PyVRP round before the repair and OR-Tools
    pin_rounds: int = 1  # PyVRP rounds with double visits' windows narrowed around their start
    lns_relaxed_share: float = 0.08  # per relaxed round when the neighbourhood search follows
    repair_share: float = 0.55  # the joint re-insertion stops by this share of the time
    build_seconds_per_node: float = 0.004  # kept back to build the last model (640 nodes: 2.6 s)


def solve(
    problem: Problem, stop: MaxRuntime = MaxRuntime(10.0), params: SolveParams = SolveParams()
) -> RawPlan:
    """gibon's planner. Hard windows: OR-Tools' full model (``solver == "ortools"``). Soft windows:
    PyVRP on the relaxation, joint re-insertion of the doubles, then the large-neighbourhood
    search (``"pyvrp+lns"``, when only travel and lateness are priced) or the full OR-Tools model
    from that start (``"pyvrp+ortools"``)."""
    nodes = _nodes(problem)
    if not any(v.late_cost for v in problem.visits):
        return _search(problem, nodes, stop.seconds, params.seed, params.must_serve, None)
    return _soft_window_phases(problem, nodes, stop.seconds, params)


def solve_ortools(
    problem: Problem, stop: MaxRuntime = MaxRuntime(10.0), params: SolveParams = SolveParams()
) -> RawPlan:
    """OR-Tools' routing model alone, from its own first solution (native breaks and
    synchronisation): the anchor gibon's planner is compared with."""
    return _search(problem, _nodes(problem), stop.seconds, params.seed, params.must_serve, None)


@dataclass(frozen=True)
class RawPlan:
    """Per professional: the ordered (task index, start time) pairs; and the objective."""

    routes: tuple[tuple[tuple[int, int], ...], ...]
    objective: int
    solver: str


@dataclass(frozen=True)
class _Nodes:
    """Node 0..P-1 is professional p's base; node P+t is task t."""

    service: np.ndarray
    travel: dict[str, np.ndarray]


def _nodes(problem: Problem) -> _Nodes:
    points = [p.base for p in problem.professionals]
    points += [problem.visits[t.visit].location for t in problem.tasks]
    lookup = {p: i for i, p in enumerate(dict.fromkeys(points))}
    unique = list(lookup)
    where = np.array([lookup[p] for p in points])
    modes = {p.mode for p in problem.professionals}
    travel = {m: problem.travel.matrix(unique, m)[np.ix_(where, where)] for m in modes}
    service = np.zeros(len(points), dtype=np.int64)
    for t, task in enumerate(problem.tasks):
        service[len(problem.professionals) + t] = problem.need(task).minutes
    return _Nodes(service, travel)


def _soft_window_phases(
    problem: Problem, nodes: _Nodes, time_limit: float, params: SolveParams
) -> RawPlan:
    """Tasks routed as lone visits first (``_relaxed_routes``); visits left incomplete or caught in a
    deadlock are put back with both people and starts chosen jointly (exact timing); then the
    large-neighbourhood search (``_search_around``) or, with breaks or fixed visits, the full
    synchronised model (after ``repair``) improves from there."""
    started = monotonic()
    seed, must_serve = params.seed, params.must_serve
    if _lns_applies(problem, must_serve):
        return _search_around(problem, nodes, time_limit, params, started)
    share = time_limit * params.relaxed_share
    routes = _relaxed_routes(problem, nodes, share, seed, must_serve)
    if not _needs_ortools_relaxation(problem):
        for _ in range(params.pin_rounds):
            pins = _pins(problem, routes, nodes)
            routes = _relaxed_routes(problem, nodes, share, seed, must_serve, pins)
    _, deadlocked = timing.earliest_starts(problem, routes, nodes.travel)
    routed = Counter(problem.tasks[t].visit for r in routes for t in r)
    whole = {v for v, n in routed.items() if n == len(problem.visits[v].needs)} - deadlocked
    routes = [[t for t in r if problem.tasks[t].visit in whole] for r in routes]
    missing = [v for v in range(len(problem.visits)) if v not in whole]
    deadline = started + time_limit * params.repair_share
    routes = repair.reinsert(problem, routes, missing, nodes.travel, deadline)
    margin = 0.3 + params.build_seconds_per_node * len(nodes.service)
    remaining = max(1.0, time_limit - (monotonic() - started) - margin)
    raw = _search(problem, nodes, remaining, seed, must_serve, _as_nodes(problem, routes))
    return replace(raw, solver="pyvrp+ortools")


def _lns_applies(problem: Problem, must_serve: bool) -> bool:
    """The search serves every visit and prices only travel and lateness: soft windows only, no
    breaks, fixed visits, preferences or overtime (the shape of the Mankowska benchmark)."""
    return (
        must_serve
        and all(v.late_cost and not v.fixed and not v.preferred for v in problem.visits)
        and not any(p.rest or p.max_overtime for p in problem.professionals)
        and problem.now == 0
    )


def _search_around(
    problem: Problem, nodes: _Nodes, time_limit: float, params: SolveParams, started: float
) -> RawPlan:
    """PyVRP routes the tasks as lone visits; the visits that cannot be timed together are
    inserted again jointly (``insert``); PyVRP routes once more with each double's windows
    narrowed around that timing; the better start goes to the large-neighbourhood search."""
    inst = evaluate.instance(problem, nodes.travel)
    seed = params.seed
    rng = random.Random(seed)
    best: tuple[int, list[list[int]]] | None = None
    pins: dict[int, int] | None = None
    share = time_limit * params.lns_relaxed_share
    for _ in range(1 + params.pin_rounds):
        relaxed = _relaxed_routes(problem, nodes, share, seed, True, pins)
        routes, missing = insert.timed_subset(inst, relaxed)
        repairer = insert.Repairer(inst, routes)
        assert repairer.ok  # every double that could deadlock was taken out
        repairer.insert_all(missing, rng)
        value = evaluate.objective(inst, repairer.routes, repairer.start)
        if best is None or value < best[0]:
            best = (value, repairer.routes)
        pins = {t: repairer.start[t] for t in range(inst.n_tasks) if inst.partner[t] >= 0}
    assert best is not None
    routes = lns.improve(inst, best[1], started + time_limit - 0.2, seed)
    value, start = evaluate.evaluate(inst, routes) or (-1, [])
    plan = tuple(tuple((t, start[t]) for t in r) for r in routes)
    return RawPlan(plan, value, "pyvrp+lns")


def _needs_ortools_relaxation(problem: Problem) -> bool:
    return any(p.rest for p in problem.professionals) or any(v.fixed for v in problem.visits)


def _pins(problem: Problem, routes: list[list[int]], nodes: _Nodes) -> dict[int, int]:
    """Start per task of each double visit that the routes can already time jointly."""
    starts, deadlocked = timing.earliest_starts(problem, routes, nodes.travel)
    routed = Counter(problem.tasks[t].visit for r in routes for t in r)
    return {
        t: s
        for t, s in starts.items()
        if routed[problem.tasks[t].visit] == 2 and problem.tasks[t].visit not in deadlocked
    }


def _relaxed_routes(
    problem: Problem,
    nodes: _Nodes,
    time_limit: float,
    seed: int,
    must_serve: bool,
    pins: dict[int, int] | None = None,
) -> list[list[int]]:
    """Routes for the tasks as if each were a lone visit with a hard window: PyVRP when it can
    model the rest (no breaks, nothing fixed), else OR-Tools without the synchronisation links.
    ``pins`` narrow a double's two windows around the starts the joint timing gave them, so the
    next round routes both halves to meet."""
    if _needs_ortools_relaxation(problem):
        relaxed = _search(problem, nodes, time_limit, seed, must_serve, None, linked=False)
        return [[t for t, _ in route] for route in relaxed.routes]
    singles = tuple(
        replace(
            problem.visits[t.visit],
            id=f"{t.visit}#{t.need}",
            needs=(problem.need(t),),
            together=None,
            late_cost=0,
            window=_pinned(problem.visits[t.visit].window, (pins or {}).get(i)),
        )
        for i, t in enumerate(problem.tasks)
    )
    singles_only = replace(problem, visits=singles)
    raw = solve_pyvrp(singles_only, MaxRuntime(time_limit), SolveParams(seed=seed))
    return [[t for t, _ in route] for route in raw.routes]


def _pinned(window: tuple[int, int], pin: int | None) -> tuple[int, int]:
    if pin is None:
        return window
    slack = max(1, (window[1] - window[0]) // 8)
    return (max(window[0], pin - slack), max(window[0], pin - slack) + 2 * slack)


def _as_nodes(problem: Problem, routes: list[list[int]]) -> list[list[int]]:
    return [[len(problem.professionals) + t for t in r] for r in routes]


def _search(
    problem: Problem,
    nodes: _Nodes,
    time_limit: float,
    seed: int,
    must_serve: bool,
    initial: list[list[int]] | None,
    linked: bool = True,
) -> RawPlan:
    n_prof = len(problem.professionals)
    starts = list(range(n_prof))
    manager = pywrapcp.RoutingIndexManager(len(nodes.service), n_prof, starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    time = _time_dimension(problem, routing, nodes)
    _arc_costs(problem, routing, nodes)
    _visit_counts(problem, routing)
    _task_constraints(problem, routing, manager, time, must_serve, linked)
    _breaks(problem, routing, time, nodes)
    params = _parameters(time_limit, seed)
    solution = None
    if initial is not None:
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes(initial, True)
        if start is not None:
            solution = routing.SolveFromAssignmentWithParameters(start, params)
    if solution is None:
        solution = routing.SolveWithParameters(params)
    if solution is None:
        return RawPlan(tuple(() for _ in problem.professionals), -1, "ortools")
    return RawPlan(
        _extract(problem, routing, manager, time, solution), solution.ObjectiveValue(), "ortools"
    )


def _time_dimension(problem: Problem, routing: Any, nodes: _Nodes) -> Any:
    callbacks = {}
    for mode, travel in nodes.travel.items():
        transit = travel + nodes.service[:, None]
        callbacks[mode] = routing.RegisterTransitMatrix(transit.tolist())
    horizon = max(max(p.shift[1] + p.max_overtime for p in problem.professionals), 24 * 60)
    horizon = max(horizon, max(v.window[1] for v in problem.visits) * 4 if problem.visits else 0)
    per_vehicle = [callbacks[p.mode] for p in problem.professionals]
    routing.AddDimensionWithVehicleTransits(per_vehicle, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for v, prof in enumerate(problem.professionals):
        time.CumulVar(routing.Start(v)).SetRange(prof.shift[0], prof.shift[1])
        time.CumulVar(routing.End(v)).SetRange(prof.shift[0], prof.shift[1] + prof.max_overtime)
        if prof.max_overtime:
            time.SetCumulVarSoftUpperBound(routing.End(v), prof.shift[1], problem.overtime_cost)
        routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(v)))
    return time


def _arc_costs(problem: Problem, routing: Any, nodes: _Nodes) -> None:
    n_prof = len(problem.professionals)
    preferred = np.array(
        [problem.visits[t.visit].preferred or "" for t in problem.tasks], dtype=object
    )
    cache: dict[tuple[str, bytes], int] = {}
    for v, prof in enumerate(problem.professionals):
        penalty = np.zeros(len(nodes.service), dtype=np.int64)
        penalty[n_prof:] = np.where(
            (preferred != "") & (preferred != prof.id), problem.continuity_cost, 0
        )
        key = (prof.mode, penalty.tobytes())
        if key not in cache:
            cache[key] = routing.RegisterTransitMatrix(
                (nodes.travel[prof.mode] + penalty[None, :]).tolist()
            )
        routing.SetArcCostEvaluatorOfVehicle(cache[key], v)


def _visit_counts(problem: Problem, routing: Any) -> None:
    ones = [0] * len(problem.professionals) + [1] * len(problem.tasks)
    callback = routing.RegisterUnaryTransitVector(ones)
    capacities = [p.max_visits for p in problem.professionals]
    routing.AddDimensionWithVehicleCapacity(callback, 0, capacities, True, "visits")


def _task_constraints(
    problem: Problem, routing: Any, manager: Any, time: Any, must_serve: bool, linked: bool = True
) -> None:
    n_prof = len(problem.professionals)
    prof_index = problem.professional_index()
    first_of_visit: dict[int, int] = {}
    for t, task in enumerate(problem.tasks):
        index = manager.NodeToIndex(n_prof + t)
        visit = problem.visits[task.visit]
        allowed = set(eligible(problem, task))
        fixed = visit.fixed_for(task.need)
        if fixed is not None:
            allowed = {prof_index[fixed.professional]}
        routing.VehicleVar(index).RemoveValues([v for v in range(n_prof) if v not in allowed])
        cumul = time.CumulVar(index)
        if fixed is not None:
            cumul.SetRange(fixed.start, fixed.start)
        elif visit.late_cost:
            cumul.SetMin(max(visit.window[0], problem.now))
            time.SetCumulVarSoftUpperBound(index, visit.window[1], visit.late_cost)
        else:
            cumul.SetRange(max(visit.window[0], problem.now), visit.window[1])
        if fixed is None:  # even must-serve tasks get a (huge) penalty: first solutions come easier
            penalty = MUST_SERVE if must_serve else DROP_PENALTY.get(visit.priority, 300_000)
            routing.AddDisjunction([index], penalty)
        if task.need == 0:
            first_of_visit[task.visit] = index
        else:
            link = (first_of_visit[task.visit], index, visit.together, visit.gap)
            if linked:
                _link(routing, time, *link, hard=False)


def _link(
    routing: Any,
    time: Any,
    a: int,
    b: int,
    together: str | None,
    gap: tuple[int, int],
    hard: bool,
) -> None:
    """Simultaneous or sequential timing between the two tasks, enforced when both are performed."""
    solver = routing.solver()
    low, high = (0, 0) if together == "simultaneous" else gap
    if hard:  # both always performed: plain constraints propagate better than big-M ones
        solver.Add(time.CumulVar(b) - time.CumulVar(a) >= low)
        solver.Add(time.CumulVar(b) - time.CumulVar(a) <= high)
        return
    relax = (2 - routing.ActiveVar(a) - routing.ActiveVar(b)) * BIG_M
    solver.Add(time.CumulVar(b) - time.CumulVar(a) + relax >= low)
    solver.Add(time.CumulVar(a) - time.CumulVar(b) + relax >= -high)


def _breaks(problem: Problem, routing: Any, time: Any, nodes: _Nodes) -> None:
    solver = routing.solver()
    service = [int(s) for s in nodes.service]
    for v, prof in enumerate(problem.professionals):
        if prof.rest is None:
            continue
        rest = prof.rest
        interval = solver.FixedDurationIntervalVar(
            rest.start, rest.end - rest.minutes, rest.minutes, False, f"break {prof.id}"
        )
        time.SetBreakIntervalsOfVehicle([interval], v, service)


def _parameters(time_limit: float, seed: int) -> Any:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    params.use_full_propagation = False
    del seed  # OR-Tools routing search is deterministic apart from the time limit
    return params


def _extract(
    problem: Problem, routing: Any, manager: Any, time: Any, solution: Any
) -> tuple[tuple[tuple[int, int], ...], ...]:
    n_prof = len(problem.professionals)
    routes = []
    for v in range(n_prof):
        stops = []
        index = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            stops.append((node - n_prof, int(solution.Min(time.CumulVar(index)))))
            index = solution.Value(routing.NextVar(index))
        routes.append(tuple(stops))
    return tuple(routes)


def solve_pyvrp(
    problem: Problem, stop: MaxRuntime = MaxRuntime(10.0), params: SolveParams = SolveParams()
) -> RawPlan:
    """PyVRP on the part of the problem it can model: single visits, no breaks, no fixed visits.

    Skills and continuity go into one routing profile per professional (prohibitive edges into
    visits they cannot make; a surcharge into visits another professional is preferred for).
    """
    if any(len(v.needs) > 1 or v.fixed for v in problem.visits) or any(
        p.rest for p in problem.professionals
    ):
        raise ValueError("PyVRP path: single visits without breaks or fixed visits only")
    nodes = _nodes(problem)
    data = _pyvrp_data(problem, nodes)
    result = pyvrp.solve(
        data, stop=pyvrp.stop.MaxRuntime(stop.seconds), seed=params.seed, display=False
    )
    routes: list[tuple[tuple[int, int], ...]] = [() for _ in problem.professionals]
    for route in result.best.routes():
        stops = tuple((int(a.idx), int(a.start_time)) for a in route.schedule() if a.is_client())
        routes[route.vehicle_type()] = stops
    return RawPlan(tuple(routes), int(result.cost()), "pyvrp")


def _pyvrp_data(problem: Problem, nodes: _Nodes) -> Any:
    n_prof, forbidden = len(problem.professionals), 10**7
    locations = [pyvrp.Location(0, 0) for _ in nodes.service]
    depots = [
        pyvrp.Depot(p, tw_early=prof.shift[0], tw_late=prof.shift[1])
        for p, prof in enumerate(problem.professionals)
    ]
    clients = []
    for t, task in enumerate(problem.tasks):
        visit = problem.visits[task.visit]
        clients.append(
            pyvrp.Client(
                n_prof + t,
                delivery=[1],
                service_duration=int(nodes.service[n_prof + t]),
                tw_early=visit.window[0],
                tw_late=visit.window[1],
                prize=DROP_PENALTY.get(visit.priority, 300_000),
                required=False,
            )
        )
    able = [set(eligible(problem, task)) for task in problem.tasks]
    preferred = [problem.visits[task.visit].preferred for task in problem.tasks]
    profiles: dict[tuple[str, bytes, bytes], int] = {}
    distances: list[np.ndarray] = []
    durations: list[np.ndarray] = []
    types = []
    for p, prof in enumerate(problem.professionals):
        barred = np.array([p not in a for a in able])
        moved = np.array(
            [bool(x) and x != prof.id and p in a for x, a in zip(preferred, able, strict=True)]
        )
        key = (prof.mode, barred.tobytes(), moved.tobytes())
        if key not in profiles:  # professionals alike in mode, skills and preferences share one
            profiles[key] = len(distances)
            travel = nodes.travel[prof.mode].copy()
            travel[:, n_prof:][:, barred] = forbidden
            cost = travel.copy()
            cost[:, n_prof:][:, moved] += problem.continuity_cost
            np.fill_diagonal(travel, 0)
            np.fill_diagonal(cost, 0)
            distances.append(cost)
            durations.append(travel)
        types.append(
            pyvrp.VehicleType(
                1,
                capacity=[prof.max_visits],
                start_depot=p,
                end_depot=p,
                tw_early=prof.shift[0],
                tw_late=prof.shift[1],
                profile=profiles[key],
            )
        )
    return pyvrp.ProblemData(locations, clients, depots, types, distances, durations)  # type: ignore[arg-type]
