"""Solomon VRPTW at a fixed iteration budget: plain PyVRP against gibon's two workers, load-free.

The wall-clock benchmark (``visits_solomon.py``) gives each side what the scheduler gives it; on a
shared machine that is a fraction of a core. Here both sides run the same number of PyVRP
iterations per process instead (``--iterations``, 10,000 is about 10 s of one core on a quiet
machine): plain ``pyvrp.solve`` with its defaults and ``pyvrp.stop.MaxIterations``, against
``vrptw.solve(workers=2, max_iterations=...)`` (each worker gets that many over its segments).
Deterministic for a seed, whatever the load. Prints a table; writes nothing.

    python benchmarks/visits_solomon_iterations.py [--iterations 10000] [--seed 1] [--no-fewer-routes]
"""

from __future__ import annotations

import argparse
import os

import pyvrp
import pyvrp.stop
from visits_solomon import SUBSET

from gibon.visits import bench, check
from gibon.visits.engine import vrptw
from gibon.visits.engine.solve import MaxRuntime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-fewer-routes", action="store_true")
    args = parser.parse_args()
    params = vrptw.VrptwParams(
        seed=args.seed,
        workers=2,
        max_iterations=args.iterations,
        fewer_routes=not args.no_fewer_routes,
    )
    print(f"load average {os.getloadavg()[0]:.1f}; {args.iterations} iterations per process")
    print("| instance | reference | plain | gap % | gibon, 2 workers | gap % | fleets |")
    print("|---|---|---|---|---|---|---|")
    gaps = [_row(name, args.iterations, params) for name in SUBSET]
    plain, ours = (sum(g) / len(g) for g in zip(*gaps, strict=True))
    ratio = f"{ours / plain:.2f}" if plain > 0 else "n/a"
    print(f"\nMean gap: plain {plain:.3f} %, gibon {ours:.3f} % (ratio {ratio})")


def _row(name: str, iterations: int, params: vrptw.VrptwParams) -> tuple[float, float]:
    instance = bench.solomon_instance(name)
    reference = bench.solomon_references()[name]["dimacs"]
    data = vrptw.model_data(instance)
    stop = pyvrp.stop.MaxIterations(iterations)
    plain = pyvrp.solve(data, stop, seed=params.seed, collect_stats=False).best
    ours = vrptw.solve(instance, MaxRuntime(10_000.0), params)
    assert plain.is_feasible() and ours.feasible and not check.check_vrptw(instance, ours.routes)
    gaps = [round(100 * (d / 10 / reference - 1), 3) for d in (plain.distance(), ours.distance)]
    print(
        f"| {name} | {reference} | {plain.distance() / 10} | {gaps[0]} | {ours.distance / 10} "
        f"| {gaps[1]} | {ours.fleets} |",
        flush=True,
    )
    return gaps[0], gaps[1]


if __name__ == "__main__":
    main()
