"""Plain VRPTW (the Solomon benchmark): PyVRP as gibon uses it, and OR-Tools defaults as anchor.

With ``solve``, the only module that imports a solver library. Distances follow the DIMACS
convention (Euclidean, truncated to one decimal) in integer tenths.
"""

from __future__ import annotations

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


def solve_vrptw(instance: Vrptw, *, time_limit: float = 10.0, seed: int = 1) -> list[list[int]]:
    """PyVRP on the plain VRPTW, distance-only objective in DIMACS tenths; routes of client indices."""
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
    result = model.solve(pyvrp.stop.MaxRuntime(time_limit), seed=seed, display=False)
    routes = [[_client(a) for a in route] for route in result.best.routes()]
    return [[c for c in route if c is not None] for route in routes]


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
