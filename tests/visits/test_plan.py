from __future__ import annotations

from gibon.visits import plan
from gibon.visits.engine.problem import parse_hhmm
from tests.visits import factories as f


def _stops(outcome: plan.Outcome) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (s.visit, s.profession): (r.professional, s.start)
        for r in outcome.schedule.routes
        for s in r.stops
    }


def test_a_simultaneous_doctor_and_nurse_visit_starts_at_the_same_minute() -> None:
    pros = [f.professional("d1", "doctor", mode="car"), f.professional("n1"), f.professional("n2")]
    visits = [
        f.visit(
            "pair",
            1,
            [("doctor", 30), ("nurse", 20)],
            together="simultaneous",
            window=["10:00", "11:00"],
        )
    ]
    visits += [f.visit(f"n{i}", i) for i in range(4)]
    outcome = plan.plan_request(f.request(pros, visits), time_limit=2)
    stops = _stops(outcome)
    assert outcome.verdict.ok, outcome.verdict.violations
    assert stops[("pair", "doctor")][1] == stops[("pair", "nurse")][1]
    assert parse_hhmm("10:00") <= stops[("pair", "doctor")][1] <= parse_hhmm("11:00")


def test_a_sequential_visit_keeps_its_gap() -> None:
    pros = [f.professional("d1", "doctor"), f.professional("p1", "physio")]
    seq = f.visit(
        "seq", 2, [("doctor", 20), ("physio", 40)], together="sequential", gap_minutes=[60, 90]
    )
    outcome = plan.plan_request(f.request(pros, [seq]), time_limit=1)
    stops = _stops(outcome)
    assert outcome.verdict.ok, outcome.verdict.violations
    assert 60 <= stops[("seq", "physio")][1] - stops[("seq", "doctor")][1] <= 90


def test_max_visits_and_breaks_hold_and_the_overflow_is_explained() -> None:
    pros = [f.professional("n1", max_visits=3)]
    outcome = plan.plan_request(
        f.request(pros, [f.visit(f"v{i}", i) for i in range(5)]), time_limit=1
    )
    route = outcome.schedule.route_of("n1")
    assert len(route.stops) == 3
    assert route.break_start is not None
    assert {u.code for u in outcome.schedule.unscheduled} == {"max_visits"}
    assert outcome.verdict.ok, outcome.verdict.violations


def test_the_preferred_professional_makes_the_visit_when_it_costs_little() -> None:
    pros = [f.professional("n1"), f.professional("n2")]
    visits = [f.visit("a", 0, preferred="n2"), f.visit("b", 1, preferred="n1")]
    outcome = plan.plan_request(f.request(pros, visits), time_limit=1)
    assert _stops(outcome)[("a", "nurse")][0] == "n2"
    assert _stops(outcome)[("b", "nurse")][0] == "n1"
    assert outcome.schedule.kpis["continuity_pct"] == 100.0


def test_urgent_visits_are_served_before_routine_ones_when_time_is_short() -> None:
    pros = [f.professional("n1", shift=["09:00", "11:00"], **{"break": None})]
    visits = [f.visit(f"low{i}", i, [("nurse", 40)], priority=3) for i in range(3)]
    visits.append(f.visit("urgent", 5, [("nurse", 40)], priority=1))
    outcome = plan.plan_request(f.request(pros, visits), time_limit=1)
    assert ("urgent", "nurse") in _stops(outcome)
    assert outcome.schedule.kpis["served_by_priority"]["1"] == {"requested": 1, "served": 1}
