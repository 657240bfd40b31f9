"""A Gwanak day: gibon's full planner in 10 s, and PyVRP vs OR-Tools on the part both can model.

The demo day (visits from the synthetic population, 32 professionals) is planned with every rule
(doubles, breaks, skills, continuity) by gibon (OR-Tools + checker). PyVRP cannot model
synchronised doubles or breaks, so the solver comparison uses the single-visit, no-break
relaxation of the same day, both at the same time limit, both checked.

    python benchmarks/visits_gwanak.py [--visits 220] [--time-limit 10] [--seeds 1,2]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section

from gibon.visits import check, demo, parse, plan
from gibon.visits.engine import result, solve
from gibon.visits.engine.problem import Problem


def _full(seed: int, visits: int, time_limit: float) -> str:
    data = demo.day(seed, visits)
    started = time.monotonic()
    outcome = plan.plan_request(data, time_limit=time_limit, seed=seed)
    seconds = time.monotonic() - started
    k = outcome.schedule.kpis
    doubles = sum(1 for v in data["visits"] if len(v["needs"]) == 2)
    return (
        f"| {seed} | {visits} ({doubles} doubles) | {len(data['professionals'])} | {seconds:.1f} | "
        f"{'ok' if outcome.verdict.ok else 'FAIL'} | {k['visits_served']} | {k['travel_minutes']} | "
        f"{k['idle_minutes']} | {k['continuity_pct']} | "
        f"{k['served_by_priority']['1']['served']}/{k['served_by_priority']['1']['requested']} |"
    )


def _relaxed(problem: Problem) -> Problem:
    return replace(
        problem,
        visits=tuple(v for v in problem.visits if len(v.needs) == 1),
        professionals=tuple(replace(p, rest=None) for p in problem.professionals),
    )


def _cost(problem: Problem, schedule: result.Schedule) -> int:
    """Drop penalties + travel + continuity surcharges: the objective both solvers minimise."""
    served = {s.visit: r.professional for r in schedule.routes for s in r.stops}
    dropped = sum(solve.DROP_PENALTY[v.priority] for v in problem.visits if v.id not in served)
    moved = sum(
        problem.continuity_cost
        for v in problem.visits
        if v.preferred and v.id in served and served[v.id] != v.preferred
    )
    return int(dropped + schedule.kpis["travel_minutes"] + moved)


def _compare(seed: int, visits: int, time_limit: float) -> str:
    problem = _relaxed(parse.parse(demo.day(seed, visits)).problem)
    cells = []
    for solver in (solve.solve_ortools, solve.solve_pyvrp):
        raw = solver(problem, solve.MaxRuntime(time_limit), solve.SolveParams(seed=seed))
        schedule = result.build(problem, raw.routes, solver=raw.solver)
        ok = check.check(problem, schedule).ok
        k = schedule.kpis
        cells.append(
            f"{k['visits_served']}/{len(problem.visits)} | {k['travel_minutes']} | {_cost(problem, schedule)} | {'ok' if ok else 'FAIL'}"
        )
    return f"| {seed} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=220)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seeds", default="1,2")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    full = [_full(s, args.visits, args.time_limit) for s in seeds]
    comparison = [_compare(s, args.visits, args.time_limit) for s in seeds]
    body = "\n".join(
        [
            f"Full model, {args.time_limit:g} s for the whole plan (parse, validate, solve, check):",
            "",
            "| seed | visits | professionals | seconds | checker | served | travel min | idle min | continuity % | urgent served |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *full,
            "",
            f"Solver comparison on the single-visit, no-break relaxation of the same days, {args.time_limit:g} s each "
            "(cost = drop penalties 1e6/3e5/1e5 by priority + travel minutes + 30 per visit not made by the preferred person):",
            "",
            "| seed | OR-Tools served | travel | cost | checker | PyVRP served | travel | cost | checker |",
            "|---|---|---|---|---|---|---|---|---|",
            *comparison,
        ]
    )
    print(body)
    write_section(
        "visits_gwanak", "Visits: a Gwanak day (gibon full model; PyVRP vs OR-Tools)", body
    )


if __name__ == "__main__":
    main()
