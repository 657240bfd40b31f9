"""Plan a day: parse and validate the requests, solve, build and check the schedule."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from gibon.visits import check, parse
from gibon.visits.engine import breaks, fill, result, solve
from gibon.visits.engine.problem import Problem
from gibon.visits.engine.travel import TravelModel


@dataclass(frozen=True)
class Outcome:
    problem: Problem
    schedule: result.Schedule
    verdict: check.Verdict
    warnings: tuple[str, ...]


def plan_problem(
    problem: Problem,
    rejected: tuple[result.Unscheduled, ...] = (),
    *,
    time_limit: float = 10.0,
    seed: int = 1,
    requested: set[str] | None = None,
) -> tuple[result.Schedule, check.Verdict]:
    raw = solve.solve(problem, solve.MaxRuntime(time_limit), solve.SolveParams(seed=seed))
    routes = fill.fill(problem, breaks.keep_breaks(problem, raw.routes))
    schedule = result.build(problem, routes, rejected, solver=raw.solver, explain=fill.explain)
    verdict = check.check(problem, schedule, requested)
    return schedule, verdict


def plan_request(
    data: Any, *, time_limit: float = 10.0, seed: int = 1, travel: TravelModel | None = None
) -> Outcome:
    started = time.monotonic()
    parsed = parse.parse(data, travel)
    remaining = max(1.0, time_limit - (time.monotonic() - started) - 0.5)  # room to build and check
    schedule, verdict = plan_problem(
        parsed.problem,
        parsed.rejected,
        time_limit=remaining,
        seed=seed,
        requested=set(parsed.requested),
    )
    return Outcome(parsed.problem, schedule, verdict, parsed.warnings)
