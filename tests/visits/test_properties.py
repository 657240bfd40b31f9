"""Property: whatever the requests, the plan passes the checker and no visit goes missing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gibon.visits import plan
from tests.visits import factories as f

KINDS = [
    [("nurse", 30)],
    [("physio", 45)],
    [("doctor", 20), ("nurse", 20)],
]


@st.composite
def requests(draw: st.DrawFn) -> dict:
    visits = []
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(range(len(KINDS))))
        start = draw(st.integers(9 * 60, 16 * 60))
        width = draw(st.integers(0, 240))
        window = [
            f"{start // 60:02d}:{start % 60:02d}",
            f"{min(start + width, 1440) // 60:02d}:{min(start + width, 1440) % 60:02d}",
        ]
        extra = (
            {"together": draw(st.sampled_from(["simultaneous", "sequential"]))} if kind == 2 else {}
        )
        if extra.get("together") == "sequential":
            extra["gap_minutes"] = [30, 120]
        visits.append(
            f.visit(
                f"v{i}",
                draw(st.integers(0, 5)),
                KINDS[kind],
                window=window,
                priority=draw(st.sampled_from([1, 2, 3])),
                **extra,
            )
        )
    pros = [
        f.professional("n1", max_visits=draw(st.integers(1, 4))),
        f.professional("d1", "doctor", mode="car"),
        f.professional("p1", "physio", **{"break": None}),
    ]
    return f.request(pros, visits)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_every_plan_passes_the_checker_and_every_visit_is_served_or_explained(data: dict) -> None:
    outcome = plan.plan_request(data, time_limit=0.5)
    assert outcome.verdict.ok, outcome.verdict.violations
    served = {s.visit for r in outcome.schedule.routes for s in r.stops}
    explained = {u.visit for u in outcome.schedule.unscheduled}
    assert served | explained == {v["id"] for v in data["visits"]}
    assert not served & explained
