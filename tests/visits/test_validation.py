from __future__ import annotations

import pytest

from gibon.errors import InvalidInput
from gibon.visits import parse, plan
from tests.visits import factories as f


def _rejected(data: dict) -> dict[str, str]:
    return {u.visit: u.code for u in parse.parse(data).rejected}


def test_an_unknown_profession_in_a_visit_is_reported_and_the_rest_still_planned() -> None:
    data = f.request(
        [f.professional("n1")], [f.visit("ok"), f.visit("bad", needs=[("dentist", 30)])]
    )
    outcome = plan.plan_request(data, time_limit=1)
    assert {u.visit: u.code for u in outcome.schedule.unscheduled} == {"bad": "unknown_profession"}
    assert [s.visit for s in outcome.schedule.route_of("n1").stops] == ["ok"]
    assert outcome.verdict.ok


def test_a_location_outside_gwanak_is_reported() -> None:
    gangnam = {"lat": 37.4979, "lon": 127.0276}
    data = f.request([f.professional("n1")], [f.visit("far", location=gangnam), f.visit("ok")])
    assert _rejected(data) == {"far": "outside_district"}


def test_a_window_that_ends_before_it_starts_is_reported() -> None:
    data = f.request([f.professional("n1")], [f.visit("v", window=["15:00", "10:00"])])
    assert _rejected(data) == {"v": "impossible_window"}


def test_a_visit_outside_every_shift_is_reported_as_out_of_reach() -> None:
    data = f.request([f.professional("n1")], [f.visit("late", window=["19:00", "20:00"])])
    assert _rejected(data) == {"late": "out_of_reach"}


def test_a_skill_nobody_holds_is_reported_naming_the_skill() -> None:
    v = f.visit("w")
    v["needs"][0]["skills"] = ["wound"]
    outcome = parse.parse(f.request([f.professional("n1")], [v]))
    assert outcome.rejected[0].code == "no_professional"
    assert "wound" in outcome.rejected[0].reason


def test_a_simultaneous_visit_needs_two_different_people() -> None:
    v = f.visit("pair", needs=[("nurse", 30), ("nurse", 30)], together="simultaneous")
    assert _rejected(f.request([f.professional("n1")], [v])) == {"pair": "impossible_window"}


def test_a_duplicate_visit_id_is_reported_once_and_the_first_kept() -> None:
    data = f.request([f.professional("n1")], [f.visit("a"), f.visit("a")])
    parsed = parse.parse(data)
    assert [v.id for v in parsed.problem.visits] == ["a"]
    assert [u.code for u in parsed.rejected] == ["duplicate_id"]


def test_an_unknown_preferred_professional_is_a_warning_not_a_rejection() -> None:
    parsed = parse.parse(f.request([f.professional("n1")], [f.visit("a", preferred="ghost")]))
    assert parsed.problem.visits[0].preferred is None
    assert "ghost" in parsed.warnings[0]


def test_a_professional_with_an_unknown_profession_stops_with_an_error_naming_them() -> None:
    with pytest.raises(InvalidInput) as err:
        parse.parse(f.request([f.professional("x9", profession="wizard")], [f.visit("a")]))
    assert "x9" in (err.value.where or "")


def test_a_sequential_visit_without_its_gap_is_reported() -> None:
    v = f.visit("seq", needs=[("doctor", 20), ("physio", 30)], together="sequential")
    pros = [f.professional("d1", "doctor"), f.professional("p1", "physio")]
    assert _rejected(f.request(pros, [v])) == {"seq": "bad_field"}
