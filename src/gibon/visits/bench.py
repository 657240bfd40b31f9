"""Routing benchmarks: Solomon VRPTW (through PyVRP) and Mankowska home health care (our planner).

Objective conventions:
- Solomon: total distance only, Euclidean distances truncated to one decimal (DIMACS/CVRPLIB
  convention), against ``bks_dimacs_reference.csv``; the double-precision distance of the same
  routes is reported too, against the vroom-scripts distance-only table.
- Mankowska: (total distance + total tardiness + maximum tardiness) / 3, as published, against the
  objective of the best published solution recomputed here from its routes.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import math
import tempfile
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from gibon.errors import InvalidInput
from gibon.visits.engine.problem import Need, Point, Problem, Professional, Visit, Vrptw
from gibon.visits.engine.result import Schedule
from gibon.visits.engine.travel import EuclideanTravel

PACKAGE = "gibon.data.routing"


def _text(*parts: str) -> str:
    return resources.files(PACKAGE).joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _packed(*parts: str) -> Any:
    raw = resources.files(PACKAGE).joinpath(*parts).read_bytes()
    return json.loads(gzip.decompress(raw).decode("utf-8"))


def solomon_names() -> list[str]:
    return [row["instance"] for row in csv.DictReader(_text("solomon", "bks.csv").splitlines())]


def solomon_instance(name: str) -> Vrptw:
    texts = _packed("solomon", "instances.json.gz")
    if name not in texts:
        raise InvalidInput(
            f"unknown Solomon instance '{name}'", where="--instances", example="C101,R201"
        )
    lines = texts[name].splitlines()
    fleet, capacity = (int(v) for v in lines[4].split())
    rows = [[float(v) for v in line.split()] for line in lines[9:] if line.strip()]
    cols = list(zip(*rows, strict=True))
    demand, ready, due, service = (tuple(int(v) for v in cols[k]) for k in (3, 4, 5, 6))
    return Vrptw(
        name, cols[1], cols[2], demand, ready, due, service, capacity=capacity, fleet=fleet
    )


def solomon_references() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in csv.DictReader(_text("solomon", "bks.csv").splitlines()):
        out[row["instance"]] = {
            "distonly": float(row["distonly_distance"]),
            "hier": float(row["hier_distance"]),
        }
    for row in csv.DictReader(_text("solomon", "bks_dimacs_reference_unverified.csv").splitlines()):
        out[row["instance"]]["dimacs"] = float(row["dimacs_opt_distance"])
    return out


def route_distance(instance: Vrptw, routes: list[list[int]], tenths: Any = None) -> float:
    """Total distance of the routes: exact Euclidean, or from an integer matrix in tenths."""
    total = 0.0
    for route in routes:
        path = [0, *route, 0]
        for a, b in itertools.pairwise(path):
            if tenths is not None:
                total += int(tenths[a, b]) / 10
            else:
                total += math.dist((instance.x[a], instance.y[a]), (instance.x[b], instance.y[b]))
    return total


def mankowska_names() -> list[str]:
    names = list(_packed("mankowska", "instances.json.gz"))
    return sorted(
        names,
        key=lambda n: (
            n.split("_")[0] != "InstanzCPLEX",
            int(n.split("_")[2]),
            int(n.split("_")[3]),
        ),
    )


def mankowska_raw(name: str) -> dict[str, Any]:
    data = _packed("mankowska", "instances.json.gz")
    if name not in data:
        raise InvalidInput(
            f"unknown Mankowska instance '{name}'",
            where="--instances",
            example="InstanzCPLEX_HCSRP_10_1",
        )
    raw: dict[str, Any] = data[name]
    return raw


def mankowska_objective(
    raw: dict[str, Any], routes: list[tuple[str, list[tuple[str, str, float]]]]
) -> dict[str, float]:
    """(distance + total tardiness + max tardiness) / 3 for routes of (caregiver, [(patient, service, start)])."""
    where = {p["id"]: tuple(p["location"]) for p in raw["patients"]}
    due = {p["id"]: p["time_window"][1] for p in raw["patients"]}
    depot = tuple(raw["central_offices"][0]["location"])
    distance, tardiness = 0.0, []
    for _, stops in routes:
        path = [depot] + [where[p] for p, _, _ in stops] + [depot]
        distance += sum(math.dist(a, b) for a, b in itertools.pairwise(path))
        tardiness += [max(0.0, start - due[p]) for p, _, start in stops]
    total, worst = sum(tardiness), max(tardiness, default=0.0)
    return {
        "distance": distance,
        "tardiness": total,
        "max_tardiness": worst,
        "objective": (distance + total + worst) / 3,
    }


def mankowska_best(name: str) -> dict[str, float]:
    sol = _packed("mankowska", "solutions.json.gz")[name]
    routes = [(r["caregiver"], [(p, s, float(t)) for p, s, t in r["stops"]]) for r in sol]
    return mankowska_objective(mankowska_raw(name), routes)


MANKOWSKA_SCALE = 100  # times and distances in hundredths


def mankowska_problem(name: str) -> Problem:
    """A Mankowska instance in gibon's own model: caregivers' abilities are skills, windows soft."""
    raw = mankowska_raw(name)
    s = MANKOWSKA_SCALE
    depot = Point(*raw["central_offices"][0]["location"])
    horizon = int(max(p["time_window"][1] for p in raw["patients"]) * s * 10)
    staff = tuple(
        Professional(
            c["id"], "caregiver", frozenset(c["abilities"]), (0, horizon), depot, max_visits=10_000
        )
        for c in raw["caregivers"]
    )
    visits = tuple(_mankowska_visit(p, s) for p in raw["patients"])
    return Problem(name, staff, visits, EuclideanTravel(scale=s), max_late_cost=1)


def _mankowska_visit(p: dict[str, Any], s: int) -> Visit:
    sync = p.get("synchronization") or {}
    gap = sync.get("distance") or (0, 0)
    early, late = p["time_window"]
    return Visit(
        id=p["id"],
        location=Point(*p["location"]),
        needs=tuple(
            Need("caregiver", round(c["duration"] * s), frozenset({c["service"]}))
            for c in p["required_caregivers"]
        ),
        window=(round(early * s), round(late * s)),
        together=sync.get("type"),
        gap=(round(gap[0] * s), round(gap[1] * s)),
        late_cost=1,
    )


def schedule_routes(
    problem: Problem, schedule: Schedule, scale: int
) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """Schedule routes as (caregiver, [(patient, service, start)]) in instance units."""
    visits = {v.id: v for v in problem.visits}
    return [
        (
            r.professional,
            [
                (s.visit, next(iter(visits[s.visit].needs[s.need].skills)), s.start / scale)
                for s in r.stops
            ],
        )
        for r in schedule.routes
    ]


def run_solomon(
    name: str, time_limit: float, seed: int = 1, workers: int = 1, plain: bool = False
) -> dict[str, Any]:
    """gibon's segmented PyVRP chains on the VRPTW (``workers`` processes), or with ``plain`` the
    untouched ``pyvrp.read`` + ``pyvrp.solve`` on the Solomon file; objective and reference in
    the DIMACS convention, measured and checked the same way for both."""
    from gibon.visits import check
    from gibon.visits.engine import vrptw

    instance = solomon_instance(name)
    ref = solomon_references()[name]
    started = time.monotonic()
    if plain:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{name}.txt"
            path.write_text(_packed("solomon", "instances.json.gz")[name])
            routes = vrptw.solve_plain_pyvrp(path, time_limit=time_limit, seed=seed)
    else:
        routes = vrptw.solve_vrptw(instance, time_limit=time_limit, seed=seed, workers=workers)
    seconds = time.monotonic() - started
    objective = round(route_distance(instance, routes, vrptw.dimacs_tenths(instance)), 1)
    violations = check.check_vrptw(instance, routes)
    return {
        "name": name,
        "objective": objective,
        "best_known": ref["dimacs"],
        "gap_pct": round(100 * (objective / ref["dimacs"] - 1), 3),
        "seconds": round(seconds, 2),
        "feasible": not violations,
        "vehicles": len(routes),
        "distance_double": round(route_distance(instance, routes), 2),
        "best_known_distonly_double": ref["distonly"],
        "reference_contradicted": objective < ref["dimacs"] - 1e-6,
        "violations": list(violations),
    }


def run_mankowska(
    name: str, time_limit: float, seed: int = 1, solver: Any = None
) -> dict[str, Any]:
    """Our planner on a Mankowska instance (``solver``: another entry point, such as the
    OR-Tools anchor ``solve.solve_ortools``)."""
    from gibon.visits import check
    from gibon.visits.engine import result, solve

    problem = mankowska_problem(name)
    started = time.monotonic()
    raw = (solver or solve.solve)(
        problem, solve.MaxRuntime(time_limit), solve.SolveParams(seed=seed, must_serve=True)
    )
    schedule = result.build(problem, raw.routes)
    seconds = time.monotonic() - started
    verdict = check.check(problem, schedule)
    violations = list(verdict.violations) + [f"{u.visit}: not served" for u in schedule.unscheduled]
    ours = mankowska_objective(
        mankowska_raw(name), schedule_routes(problem, schedule, MANKOWSKA_SCALE)
    )
    best = mankowska_best(name)
    return {
        "name": name,
        "objective": round(ours["objective"], 2),
        "best_known": round(best["objective"], 2),
        "gap_pct": round(100 * (ours["objective"] / best["objective"] - 1), 2),
        "seconds": round(seconds, 2),
        "feasible": not violations,
        "distance": round(ours["distance"], 2),
        "tardiness": round(ours["tardiness"], 2),
        "max_tardiness": round(ours["max_tardiness"], 2),
        "violations": violations[:5],
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    gaps = [r["gap_pct"] for r in rows]
    return {
        "instances": rows,
        "mean_gap_pct": round(sum(gaps) / len(gaps), 3) if gaps else None,
        "all_feasible": all(r["feasible"] for r in rows),
    }


OBJECTIVES = {
    "solomon": "total distance only; Euclidean distances truncated to one decimal (DIMACS); "
    "reference = bks_dimacs_reference_unverified.csv (transcribed, flagged when beaten)",
    "mankowska": "(total distance + total tardiness + max tardiness) / 3; reference = best published "
    "solution's routes re-evaluated here",
}
