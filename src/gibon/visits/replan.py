"""Same-day re-planning: what has started stays put; the rest is planned again from ``now``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gibon.visits import parse, plan, validate
from gibon.visits.engine.problem import Fixed, Visit, parse_hhmm


def started(schedule_json: dict[str, Any], now: int) -> dict[str, dict[int, Fixed]]:
    """Visit id -> need index -> who started it and when, for stops starting at or before ``now``."""
    out: dict[str, dict[int, Fixed]] = {}
    for route in schedule_json.get("routes", []):
        seen: dict[str, int] = {}
        for stop in route["stops"]:
            start = parse_hhmm(stop["start"])
            need = seen.get(stop["visit"], -1)
            if start <= now:
                out.setdefault(stop["visit"], {})[_need_index(stop, need)] = Fixed(
                    route["professional"], start
                )
            seen[stop["visit"]] = need + 1
    return out


def _need_index(stop: dict[str, Any], fallback: int) -> Any:
    return stop.get("need", max(fallback, 0))


def replan(
    requests: dict[str, Any],
    schedule_json: dict[str, Any],
    now: str,
    *,
    cancel: set[str] = frozenset(),  # type: ignore[assignment]
    add: list[dict[str, Any]] | None = None,
    time_limit: float = 10.0,
    seed: int = 1,
) -> plan.Outcome:
    """Re-plan the day at ``now`` after cancellations and urgent additions."""
    minute = parse_hhmm(now)
    data = dict(requests)
    fixed = started(schedule_json, minute)
    data["visits"] = [
        v for v in requests["visits"] if v.get("id") not in cancel or v.get("id") in fixed
    ]
    data["visits"] += list(add or [])
    parsed = parse.parse(data)
    visits = tuple(_from_now(v, fixed.get(v.id, {}), minute) for v in parsed.problem.visits)
    problem, more, warnings = validate.validate(replace(parsed.problem, visits=visits, now=minute))
    rejected = parsed.rejected + more
    requested = {str(v.get("id")) for v in data["visits"]}
    schedule, verdict = plan.plan_problem(
        problem, rejected, time_limit=time_limit, seed=seed, requested=requested
    )
    return plan.Outcome(problem, schedule, verdict, parsed.warnings + warnings)


def _from_now(visit: Visit, fixed: dict[int, Fixed], now: int) -> Visit:
    if fixed:
        return replace(visit, fixed=tuple(fixed.get(n) for n in range(len(visit.needs))))
    return replace(visit, window=(max(visit.window[0], now), visit.window[1]))
