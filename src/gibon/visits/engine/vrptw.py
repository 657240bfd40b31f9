"""Plain VRPTW (the Solomon benchmark): PyVRP as gibon uses it, and OR-Tools defaults as anchor.

With ``solve``, the only module that imports a solver library. Distances follow the DIMACS
convention (Euclidean, truncated to one decimal) in integer tenths.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pyvrp
import pyvrp.stop
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from gibon.visits.engine.problem import Vrptw

MUST_SERVE = 10**9


def dimacs_tenths(instance: Vrptw) -> np.ndarray:
    """Euclidean distances truncated to one decimal (DIMACS convention), in integer tenths."""
    xy = np.column_stack([instance.x, instance.y])
    exact = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return np.asarray(np.floor(exact * 10 + 1e-9), dtype=np.int64)


def solve_vrptw(
    instance: Vrptw,
    *,
    time_limit: float = 10.0,
    seed: int = 1,
    workers: int = 1,
    max_iterations: int | None = None,
) -> list[list[int]]:
    """PyVRP on the plain VRPTW, distance-only objective in DIMACS tenths; routes of client indices.

    ``workers`` > 1 runs that many independent searches at once in separate processes, seeded
    ``seed``, ``seed + 1``, ..., each for the same ``time_limit``, and keeps the best (feasible
    first, then shortest, then the lowest seed): the same wall time as one search, using every
    core. With ``max_iterations`` the searches stop after that many iterations instead of on the
    clock (the time limit still bounds them), which makes a result repeatable for a seed.
    """
    if workers <= 1:
        return _solve_one(instance, time_limit, seed, max_iterations)[1]
    seeds = [seed + k for k in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
        jobs = [pool.submit(_solve_one, instance, time_limit, s, max_iterations) for s in seeds]
        found = [job.result() for job in jobs]
    best = min(range(workers), key=lambda k: (found[k][0], k))
    return found[best][1]


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (nothing to re-import), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _solve_one(
    instance: Vrptw, time_limit: float, seed: int, max_iterations: int | None
) -> tuple[tuple[bool, int], list[list[int]]]:
    """One PyVRP search: its rank key (infeasible last, then distance) and its routes."""
    result = _model(instance).solve(_stop(time_limit, max_iterations), seed=seed, display=False)
    best = result.best
    routes = [[_client(a) for a in route] for route in best.routes()]
    key = (not best.is_feasible(), int(best.distance()))
    return key, [[c for c in route if c is not None] for route in routes]


def _stop(time_limit: float, max_iterations: int | None) -> pyvrp.stop.StoppingCriterion:
    runtime = pyvrp.stop.MaxRuntime(time_limit)
    if max_iterations is None:
        return runtime
    return pyvrp.stop.MultipleCriteria([runtime, pyvrp.stop.MaxIterations(max_iterations)])


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
