from __future__ import annotations

from gibon.visits import plan, replan, weekly
from tests.visits import factories as f


def _day() -> dict:
    pros = [f.professional("n1"), f.professional("n2"), f.professional("d1", "doctor", mode="car")]
    visits = [f.visit(f"v{i}", i, window=["09:00", "16:00"]) for i in range(5)]
    visits.append(
        f.visit(
            "pair",
            2,
            [("doctor", 30), ("nurse", 30)],
            together="simultaneous",
            window=["09:00", "10:30"],
        )
    )
    return f.request(pros, visits)


def test_a_replan_keeps_started_visits_and_moves_nothing_before_now() -> None:
    data = _day()
    first = plan.plan_request(data, time_limit=1).schedule.to_json()
    now = sorted({s["start"] for r in first["routes"] for s in r["stops"]})[1]
    started = {
        (s["visit"], r["professional"], s["start"])
        for r in first["routes"]
        for s in r["stops"]
        if s["start"] <= now
    }
    urgent = f.visit("urgent", 5, window=["09:00", "17:00"], priority=1)
    cancelled = next(s["visit"] for r in first["routes"] for s in r["stops"] if s["start"] > now)
    outcome = replan.replan(data, first, now, cancel={cancelled}, add=[urgent], time_limit=1)
    again = outcome.schedule.to_json()
    kept = {
        (s["visit"], r["professional"], s["start"]) for r in again["routes"] for s in r["stops"]
    }
    assert started <= kept
    assert all(
        s["start"] >= now
        for r in again["routes"]
        for s in r["stops"]
        if (s["visit"], r["professional"], s["start"]) not in started
    )
    assert "urgent" in {s["visit"] for r in again["routes"] for s in r["stops"]}
    assert cancelled not in {s["visit"] for r in again["routes"] for s in r["stops"]}
    assert outcome.verdict.ok, outcome.verdict.violations


def test_a_week_spreads_recurring_visits_and_keeps_the_same_nurse() -> None:
    pros = [f.professional("n1"), f.professional("n2")]
    visits = [f.visit("twice", 0, per_week=2), f.visit("mon-thu", 1, days=["mon", "thu"])]
    week = weekly.plan_week(dict(f.request(pros, visits), week_start="2026-06-01"), time_limit=5)
    body = week.to_json()
    served = [
        (d["date"], r["professional"], s["visit"])
        for d in body["days"]
        for r in d["routes"]
        for s in r["stops"]
    ]
    assert sorted(v for _, _, v in served if v.startswith("mon-thu")) == [
        "mon-thu@mon",
        "mon-thu@thu",
    ]
    assert len([v for _, _, v in served if v.startswith("twice")]) == 2
    for series in ("twice", "mon-thu"):
        assert len({p for _, p, v in served if v.startswith(series)}) == 1
    assert body["kpis"]["all_feasible"]
