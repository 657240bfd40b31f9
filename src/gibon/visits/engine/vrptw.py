"""Plain VRPTW (the Solomon benchmark): PyVRP as gibon uses it, and OR-Tools defaults as anchor.

With ``solve``, the only module that imports a solver library. Distances follow the DIMACS
convention (Euclidean, truncated to one decimal) in integer tenths.

``solve_vrptw`` runs PyVRP's iterated local search in segments: each restarts the search (fresh
seed, penalties and acceptance history) from the best plan its chain has found so far. With
``workers`` > 1 each process runs its own chain, and the best plan of all is kept; the last
worker, after the first segment, searches with one vehicle fewer than the best plan so far has
routes (``VrptwParams.fewer_routes``). ``solve_plain_pyvrp`` is the untouched ``pyvrp.read`` +
``pyvrp.solve`` the benchmark compares with.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import warnings
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any

import numpy as np
import pyvrp
import pyvrp.stop
import vrplib
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from pyvrp.exceptions import PenaltyBoundWarning

from gibon.visits.engine.problem import Vrptw
from gibon.visits.engine.solve import MaxRuntime

MUST_SERVE = 10**9
SEED_STRIDE = 1000  # worker k of segment s searches with seed + s * SEED_STRIDE + k


def dimacs_tenths(instance: Vrptw) -> np.ndarray:
    """Euclidean distances truncated to one decimal (DIMACS convention), in integer tenths."""
    xy = np.column_stack([instance.x, instance.y])
    exact = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return np.asarray(np.floor(exact * 10 + 1e-9), dtype=np.int64)


@dataclass(frozen=True)
class VrptwParams:
    """How ``solve_vrptw`` spends its wall time; the defaults are the measured ones
    (docs/benchmarks.md, "Visits: Solomon VRPTW")."""

    seed: int = 1
    workers: int = 1  # processes searching at once
    segments: int = 5  # restarts of the search, each from the plan the last segment ended with
    # every worker's next segment starts from the best plan of all workers; measured worse than
    # independent chains (their diversity is what the second core buys): docs/benchmarks.md
    exchange: bool = False
    # with workers > 1, the last worker's segments after the first use one vehicle fewer than the
    # other workers' best plan so far has routes: a search free to use all 25 vehicles settles on
    # plans with a route more than the shortest (RC101: 1634-1636 with 16 routes; capped at 15,
    # 1619.8, the optimum). Measured: docs/visits.md, "Plain VRPTW"
    fewer_routes: bool = True
    max_iterations: int | None = None  # per worker over all segments: repeatable for a seed
    min_segment_seconds: float = 1.0  # shorter runs get fewer segments (a start needs time)
    reserve_seconds: float = 0.15  # kept back from the time limit to collect the last results


@dataclass(frozen=True)
class VrptwResult:
    """Routes of client indices (depot 0 left out), their DIMACS length in tenths, the best
    length of all workers after each segment (never increasing), and each worker's fleet."""

    routes: list[list[int]]
    distance: int
    feasible: bool
    segment_best: tuple[int, ...]
    fleets: tuple[int | None, ...] = ()  # vehicles each worker's last segment had (None: all)


def solve_vrptw(
    instance: Vrptw,
    *,
    time_limit: float = 10.0,
    seed: int = 1,
    workers: int = 1,
    max_iterations: int | None = None,
) -> list[list[int]]:
    """The routes of ``solve`` (``workers`` segmented PyVRP chains at once) within ``time_limit``
    seconds of wall time, process start and result transfer included."""
    params = VrptwParams(seed=seed, workers=workers, max_iterations=max_iterations)
    return solve(instance, MaxRuntime(time_limit), params).routes


def solve(
    instance: Vrptw, stop: MaxRuntime = MaxRuntime(10.0), params: VrptwParams = VrptwParams()
) -> VrptwResult:
    """Segmented PyVRP chains on the plain VRPTW, distance-only objective in DIMACS tenths."""
    deadline = monotonic() + stop.seconds - params.reserve_seconds
    data = model_data(instance)
    if params.workers <= 1:
        return _chains(_InProcess(data), data, deadline, params)
    context = _pool_context()
    with ProcessPoolExecutor(
        params.workers, mp_context=context, initializer=_load, initargs=(data,)
    ) as pool:
        return _chains(pool, data, deadline, params)


def model_data(instance: Vrptw) -> pyvrp.ProblemData:
    """The instance as PyVRP data, distances and times in DIMACS tenths (what ``solve`` searches)."""
    return _model(instance).data()


def _chains(
    pool: Executor, data: pyvrp.ProblemData, deadline: float, params: VrptwParams
) -> VrptwResult:
    best: Any = None
    starts: list[Any] = [None] * max(1, params.workers)
    fleets: list[int | None] = [None] * len(starts)
    history: list[int] = []
    segments = _segments(deadline - monotonic(), params)
    for segment in range(segments):
        seconds = max(0.0, (deadline - monotonic()) / (segments - segment))
        iterations = _share(params.max_iterations, segment, segments)
        seed = params.seed + segment * SEED_STRIDE
        jobs = [
            pool.submit(_search, a, seconds, iterations, seed + k, fleets[k])
            for k, a in enumerate(starts)
        ]
        starts = [job.result() for job in jobs]
        for found in starts:  # in worker order: ties go to the lowest
            if best is None or _rank(found) < _rank(best):
                best = found
        history.append(int(best.distance()))
        if params.exchange:
            starts = [best] * len(starts)
        if params.fewer_routes and len(starts) > 1:
            _cap_last(starts, fleets)
    return VrptwResult(
        _routes(best), int(best.distance()), best.is_feasible(), tuple(history), tuple(fleets)
    )


def _cap_last(starts: list[Any], fleets: list[int | None]) -> None:
    """Give the last worker one vehicle fewer than the best plan of the others has routes; its
    chain goes on from its own best plan if that fits the fleet, else from a random start."""
    others = [s for s in starts[:-1] if s.is_feasible()]
    if not others:
        return
    fleets[-1] = max(1, min(others, key=_rank).num_routes() - 1)
    if starts[-1].num_routes() > fleets[-1]:
        starts[-1] = None


def _segments(seconds: float, params: VrptwParams) -> int:
    """As many segments as asked, unless that leaves one shorter than ``min_segment_seconds``
    (an iteration budget fixes the count, so that a seed gives one plan whatever the clock)."""
    if params.max_iterations is not None:
        return params.segments
    return max(1, min(params.segments, int(seconds / params.min_segment_seconds)))


def _share(total: int | None, segment: int, segments: int) -> int | None:
    """Iterations for this segment: ``total`` spread over the segments, the first ones rounding up."""
    if total is None:
        return None
    return max(1, total // segments + (segment < total % segments))


def _rank(solution: Any) -> tuple[bool, int]:
    return (not solution.is_feasible(), int(solution.distance()))


def _routes(solution: Any) -> list[list[int]]:
    routes = [[_client(a) for a in route] for route in solution.routes()]
    return [[c for c in route if c is not None] for route in routes]


_DATA: list[pyvrp.ProblemData] = []  # the instance, loaded once per worker process


def _load(data: pyvrp.ProblemData) -> None:
    _DATA[:] = [data]


def _search(
    start: Any, seconds: float, iterations: int | None, seed: int, fleet: int | None = None
) -> Any:
    """One segment of PyVRP's search in a worker, from ``start`` (None: its own random start),
    with ``fleet`` vehicles (None: the instance's)."""
    until = _Until(monotonic() + seconds)
    stop = until if iterations is None else _either(until, iterations)
    with warnings.catch_warnings():
        if fleet is not None:  # one vehicle fewer may leave no feasible plan: its plans then lose
            warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(
            _fleet(_DATA[0], fleet),
            stop,
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=start,
        )
    return result.best


def _fleet(data: pyvrp.ProblemData, fleet: int | None) -> pyvrp.ProblemData:
    if fleet is None:
        return data
    (vehicles,) = data.vehicle_types()
    return data.replace(vehicle_types=[vehicles.replace(num_available=fleet)])


class _InProcess(Executor):
    """The one-worker case without a process: the same segments, run here."""

    def __init__(self, data: pyvrp.ProblemData) -> None:
        _load(data)

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


class _Until:
    """Stop at a monotonic-clock deadline (the segment's end, fixed when the task starts)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, best_cost: float) -> bool:
        return monotonic() >= self.deadline


def _either(until: _Until, iterations: int) -> pyvrp.stop.StoppingCriterion:
    return pyvrp.stop.MultipleCriteria([until, pyvrp.stop.MaxIterations(iterations)])


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (nothing to re-import), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def solve_plain_pyvrp(path: Path, *, time_limit: float = 10.0, seed: int = 1) -> list[list[int]]:
    """The baseline: the Solomon file as PyVRP's own instances have it (VRPLIB, EUC_2D), read by
    ``pyvrp.read`` with DIMACS rounding and solved by ``pyvrp.solve`` with every default, in this
    one process; routes of client indices as ``solve_vrptw`` gives them."""
    converted = path.with_suffix(".vrp")
    _solomon_to_vrplib(path, converted)
    data = pyvrp.read(converted, round_func="dimacs")
    result = pyvrp.solve(data, pyvrp.stop.MaxRuntime(time_limit), seed=seed, display=False)
    return _routes(result.best)


def _solomon_to_vrplib(solomon: Path, target: Path) -> None:
    """Rewrite a Solomon file in VRPLIB (the format ``pyvrp.read`` takes), nothing changed."""
    inst = vrplib.read_instance(solomon, instance_format="solomon", compute_edge_weights=False)
    sections = ("node_coord", "demand", "time_window", "service_time")
    vrplib.write_instance(
        target,
        {
            "NAME": inst["name"],
            "TYPE": "VRPTW",
            "DIMENSION": len(inst["demand"]),
            "VEHICLES": inst["vehicles"],
            "CAPACITY": inst["capacity"],
            "EDGE_WEIGHT_TYPE": "EUC_2D",
            **{f"{key.upper()}_SECTION": inst[key] for key in sections},
            "DEPOT_SECTION": np.array([1, -1]),
        },
    )


def _model(instance: Vrptw) -> pyvrp.Model:
    dist = dimacs_tenths(instance)
    model = pyvrp.Model()
    locations = [model.add_location(x, y) for x, y in zip(instance.x, instance.y, strict=True)]
    depot = model.add_depot(
        locations[0], tw_early=instance.ready[0] * 10, tw_late=instance.due[0] * 10
    )
    model.add_vehicle_type(
        instance.fleet,
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=instance.ready[0] * 10,
        tw_late=instance.due[0] * 10,
    )
    for i in range(1, len(instance.x)):
        model.add_client(
            locations[i],
            delivery=instance.demand[i],
            service_duration=instance.service[i] * 10,
            tw_early=instance.ready[i] * 10,
            tw_late=instance.due[i] * 10,
        )
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            model.add_edge(a, b, distance=int(dist[i, j]), duration=int(dist[i, j]))
    return model


def _client(activity: Any) -> int | None:
    """Location index of a client activity (PyVRP numbers clients from 0; our depot is 0)."""
    return int(activity.idx) + 1 if activity.is_client() else None


def solve_vrptw_ortools(instance: Vrptw, *, time_limit: float = 10.0) -> list[list[int]]:
    """OR-Tools routing defaults (cheapest arc + guided local search) on the same VRPTW."""
    dist = dimacs_tenths(instance)
    n = len(instance.x)
    manager = pywrapcp.RoutingIndexManager(n, instance.fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    service = np.array(instance.service) * 10
    arc = routing.RegisterTransitMatrix(dist.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    transit = routing.RegisterTransitMatrix((dist + service[:, None]).tolist())
    horizon = instance.due[0] * 10
    routing.AddDimension(transit, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for i in range(1, n):
        time.CumulVar(manager.NodeToIndex(i)).SetRange(instance.ready[i] * 10, instance.due[i] * 10)
        routing.AddDisjunction(
            [manager.NodeToIndex(i)], MUST_SERVE
        )  # a first solution always exists
    demand = routing.RegisterUnaryTransitVector(list(instance.demand))
    routing.AddDimensionWithVehicleCapacity(
        demand, 0, [instance.capacity] * instance.fleet, True, "load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for v in range(instance.fleet):
        index, route = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes
