"""The checker must catch each kind of broken schedule, not just bless the solver's output."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gibon.visits import check, plan
from gibon.visits.engine.result import Schedule
from tests.visits import factories as f


@pytest.fixture(scope="module")
def outcome() -> plan.Outcome:
    pros = [
        f.professional("d1", "doctor", mode="car"),
        f.professional("n1"),
        f.professional("n2", skills=["wound"]),
    ]
    visits = [
        f.visit(
            "pair",
            1,
            [("doctor", 30), ("nurse", 30)],
            together="simultaneous",
            window=["10:00", "11:00"],
        ),
        f.visit("a", 2),
        f.visit("b", 3),
        f.visit("c", 4, window=["14:00", "15:00"]),
    ]
    out = plan.plan_request(f.request(pros, visits), time_limit=1)
    assert out.verdict.ok, out.verdict.violations
    return out


def _edit(schedule: Schedule, professional: str, k: int, **changes: int | str) -> Schedule:
    routes = []
    for r in schedule.routes:
        if r.professional == professional:
            stops = list(r.stops)
            stops[k] = replace(stops[k], **changes)
            r = replace(r, stops=tuple(stops))
        routes.append(r)
    return replace(schedule, routes=tuple(routes))


def _busy(outcome: plan.Outcome, visit: str = "a") -> str:
    return next(
        r.professional for r in outcome.schedule.routes if any(s.visit == visit for s in r.stops)
    )


def _violations(outcome: plan.Outcome, schedule: Schedule) -> str:
    return " | ".join(check.check(outcome.problem, schedule).violations)


def test_moving_one_half_of_a_simultaneous_visit_is_caught(outcome: plan.Outcome) -> None:
    route = outcome.schedule.route_of("d1")
    k = next(i for i, s in enumerate(route.stops) if s.visit == "pair")
    moved = _edit(
        outcome.schedule, "d1", k, start=route.stops[k].start + 5, end=route.stops[k].end + 5
    )
    assert "simultaneous visit not together" in _violations(outcome, moved)


def test_a_start_outside_the_window_is_caught(outcome: plan.Outcome) -> None:
    pid = next(
        r.professional for r in outcome.schedule.routes if any(s.visit == "c" for s in r.stops)
    )
    k = next(i for i, s in enumerate(outcome.schedule.route_of(pid).stops) if s.visit == "c")
    late = _edit(outcome.schedule, pid, k, start=16 * 60, end=16 * 60 + 30)
    assert "after window" in _violations(outcome, late)


def test_a_shortened_visit_is_caught(outcome: plan.Outcome) -> None:
    pid = _busy(outcome)
    stop = outcome.schedule.route_of(pid).stops[0]
    assert "lasts" in _violations(outcome, _edit(outcome.schedule, pid, 0, end=stop.end - 10))


def test_a_visit_given_to_the_wrong_profession_is_caught(outcome: plan.Outcome) -> None:
    nurse_route = outcome.schedule.route_of(_busy(outcome))
    routes = tuple(
        replace(r, professional="d1", stops=nurse_route.stops) if r.professional == "d1" else r
        for r in outcome.schedule.routes
        if r.professional != nurse_route.professional
    )
    text = _violations(outcome, replace(outcome.schedule, routes=routes))
    assert "lacks profession" in text


def test_no_time_to_walk_between_two_homes_is_caught(outcome: plan.Outcome) -> None:
    pid = next(r.professional for r in outcome.schedule.routes if len(r.stops) >= 2)
    route = outcome.schedule.route_of(pid)
    first = route.stops[0]
    squeezed = _edit(
        outcome.schedule,
        pid,
        1,
        start=first.end,
        end=first.end + (route.stops[1].end - route.stops[1].start),
    )
    assert "shorter than travel" in _violations(outcome, squeezed) or "window" in _violations(
        outcome, squeezed
    )


def test_a_missing_break_is_caught(outcome: plan.Outcome) -> None:
    routes = tuple(
        replace(r, break_start=None) if r.professional == "n1" else r
        for r in outcome.schedule.routes
    )
    assert "n1: break None" in _violations(outcome, replace(outcome.schedule, routes=routes))


def test_a_silently_dropped_visit_is_caught(outcome: plan.Outcome) -> None:
    pid = _busy(outcome)
    keep = tuple(s for s in outcome.schedule.route_of(pid).stops if s.visit != "a")
    routes = tuple(
        replace(r, stops=keep) if r.professional == pid else r for r in outcome.schedule.routes
    )
    assert "a: neither scheduled nor explained" in _violations(
        outcome, replace(outcome.schedule, routes=routes)
    )
