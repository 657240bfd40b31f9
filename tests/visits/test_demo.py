from __future__ import annotations

from dataclasses import replace

from gibon.visits import check, demo, parse
from gibon.visits.engine import result, solve


def test_the_demo_day_has_200_visits_and_25_professionals_inside_gwanak() -> None:
    data = demo.day(seed=3, visits=200)
    parsed = parse.parse(data)
    assert len(data["visits"]) == 200 and len(data["professionals"]) >= 25
    assert not [u for u in parsed.rejected if u.code == "outside_district"]


def test_pyvrp_and_ortools_both_give_checked_plans_for_the_single_visit_part() -> None:
    parsed = parse.parse(demo.day(seed=2, visits=30))
    singles = replace(
        parsed.problem,
        visits=tuple(v for v in parsed.problem.visits if len(v.needs) == 1),
        professionals=tuple(replace(p, rest=None) for p in parsed.problem.professionals),
    )
    for solver in (solve.solve_pyvrp, solve.solve_ortools):
        raw = solver(singles, solve.MaxRuntime(1))
        schedule = result.build(singles, raw.routes, solver=raw.solver)
        assert check.check(singles, schedule).ok, raw.solver
        assert schedule.kpis["visits_served"] >= len(singles.visits) - 2
