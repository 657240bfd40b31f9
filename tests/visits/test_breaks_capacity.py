"""A break is time off, never travel; free capacity is used; what is left out says why."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gibon.visits import check, parse, plan
from gibon.visits.engine import fill
from gibon.visits.engine.result import Schedule
from tests.visits import factories as f

NO_BREAK = {"break": None}


def _travel_spans(schedule: Schedule, professional: str) -> list[tuple[int, int]]:
    route = schedule.route_of(professional)
    spans = [(s.arrive - s.travel_minutes, s.arrive) for s in route.stops]
    return [*spans, (route.back - route.return_travel, route.back)]


def _busy_day() -> plan.Outcome:
    """One nurse, homes spread out, visits around midday: the break has to be placed with care."""
    visits = [
        f.visit(f"v{i}", i, window=[w, "14:30"])
        for i, w in enumerate(["11:00", "11:00", "11:30", "12:30", "13:00"])
    ]
    data = f.request([f.professional("n1", mode="walk")], visits)
    out = plan.plan_request(data, time_limit=1)
    assert out.verdict.ok, out.verdict.violations
    return out


def test_a_planned_break_never_overlaps_travel() -> None:
    out = _busy_day()
    route = out.schedule.route_of("n1")
    assert route.break_start is not None
    b, e = route.break_start, route.break_start + route.break_minutes
    assert all(not (lo < e and b < hi) for lo, hi in _travel_spans(out.schedule, "n1") if lo < hi)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shift=st.integers(-60, 60))
def test_the_checker_rejects_a_break_moved_onto_travel(shift: int) -> None:
    out = _busy_day()
    route = out.schedule.route_of("n1")
    assert route.break_start is not None
    moved = replace(route, break_start=route.break_start + shift)
    schedule = replace(out.schedule, routes=(moved,))
    b, e = moved.break_start, moved.break_start + moved.break_minutes  # type: ignore[operator]
    on_road = any(lo < e and b < hi for lo, hi in _travel_spans(schedule, "n1") if lo < hi)
    violations = check.check(out.problem, schedule).violations
    if on_road:
        assert any("break" in v for v in violations), violations


def test_the_checker_rejects_travel_split_around_a_break() -> None:
    out = _busy_day()
    route = out.schedule.route_of("n1")
    stops = list(route.stops)
    k = next(i for i, s in enumerate(stops) if s.travel_minutes > 0)
    assert route.break_start is not None
    # arrive in the middle of the break: the walk would straddle the break
    stops[k] = replace(stops[k], arrive=route.break_start + 1, start=max(stops[k].start, 0))
    broken = replace(out.schedule, routes=(replace(route, stops=tuple(stops)),))
    assert check.check(out.problem, broken).violations


def test_a_day_the_solver_left_empty_is_filled_while_the_nurse_is_free() -> None:
    visits = [f.visit(f"v{i}", 0, window=["09:00", "12:00"]) for i in range(4)]
    data = f.request([f.professional("n1", shift=["09:00", "12:00"], **NO_BREAK)], visits)
    problem = parse.parse(data).problem
    routes = fill.fill(problem, ((),))
    assert len(fill.complete(problem, routes)) == 4  # the known optimum: all four fit


def test_four_one_hour_visits_in_three_hours_serve_three_and_explain_the_fourth() -> None:
    visits = [f.visit(f"v{i}", 0, [("nurse", 60)], window=["09:00", "12:00"]) for i in range(4)]
    pro = f.professional("n1", shift=["09:00", "12:30"], **NO_BREAK)
    out = plan.plan_request(f.request([pro], visits), time_limit=1)
    assert out.verdict.ok, out.verdict.violations
    assert out.schedule.kpis["visits_served"] == 3
    (left,) = out.schedule.unscheduled
    assert left.code == "no_capacity"
    assert "간호사 1명 모두 시간창 09:00–12:00" in left.reason


def test_a_joint_visit_without_a_free_partner_names_both_professions() -> None:
    visits = [
        f.visit("busy", 1, [("nurse", 120)], window=["10:00", "10:00"]),
        f.visit(
            "pair",
            1,
            [("doctor", 30), ("nurse", 30)],
            together="simultaneous",
            window=["10:30", "11:00"],
        ),
    ]
    pros = [f.professional("n1", **NO_BREAK), f.professional("d1", "doctor", **NO_BREAK)]
    out = plan.plan_request(f.request(pros, visits), time_limit=1)
    assert out.verdict.ok
    (left,) = out.schedule.unscheduled
    assert left.visit == "pair"
    assert "간호사" in left.reason


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 7), width=st.integers(30, 300), start=st.integers(9 * 60, 14 * 60))
def test_no_feasible_visit_is_left_out_while_capacity_is_free(
    n: int, width: int, start: int
) -> None:
    end = min(start + width, 17 * 60)
    window = [f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"]
    visits = [f.visit(f"v{i}", i, window=window) for i in range(n)]
    pros = [f.professional("n1", max_visits=3), f.professional("n2", max_visits=2)]
    out = plan.plan_request(f.request(pros, visits), time_limit=0.5)
    assert out.verdict.ok, out.verdict.violations
    index = out.problem.visit_index()
    tasks = {(t.visit, t.need): k for k, t in enumerate(out.problem.tasks)}
    raw = tuple(
        tuple((tasks[(index[s.visit], s.need)], s.start) for s in r.stops)
        for r in out.schedule.routes
    )
    assert len(fill.complete(out.problem, fill.fill(out.problem, raw))) == len(
        fill.complete(out.problem, raw)
    )
