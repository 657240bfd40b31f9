from __future__ import annotations

import pytest

from gibon.population import Population, calibration
from gibon.population import report as md
from gibon.population._params import resolve


@pytest.fixture(scope="module")
def report(district: Population) -> tuple[list[calibration.Figure], list[calibration.Figure]]:
    profile = resolve("gwanak")
    counts = calibration.measure(district.households, district.persons, profile)
    return calibration.figures(counts, profile), md.checks(counts, profile)


def test_the_district_has_the_recommended_number_of_residents(district: Population) -> None:
    assert len(district.persons) == 478_000


def test_every_sourced_figure_is_within_one_percent_of_its_target(report) -> None:  # type: ignore[no-untyped-def]
    calibrated, checks = report
    sourced = [f for f in calibrated if f.status == "sourced"]
    assert len(sourced) >= 10
    assert md.sourced_within(sourced) == []
    modal_ages = [f for f in checks if f.unit == "years"]
    assert [(f.target, f.generated) for f in modal_ages] == [(26, 26), (28, 28)]


def test_every_calibrated_figure_hits_its_target_up_to_rounding(report) -> None:  # type: ignore[no-untyped-def]
    calibrated, _ = report
    off = [(f.name, round(f.diff_pct, 3)) for f in calibrated if abs(f.diff_pct) > 0.2]
    assert off == []


def test_population_by_dong_matches_the_2024_estimate_to_the_person(report) -> None:  # type: ignore[no-untyped-def]
    dongs = [f for f in report[0] if f.name.startswith("인구: ")]
    assert len(dongs) == 21
    assert all(abs(f.generated - f.target) <= 2 for f in dongs)  # the estimates are rounded


def test_the_report_lists_every_figure_with_status_and_source(district: Population) -> None:
    profile = resolve("gwanak")
    counts = calibration.measure(district.households, district.persons, profile)
    text = md.render(counts, profile, seed=1)
    assert "sourced figures more than 1 % off target (calibrated figures and modal ages): 0" in text
    for f in calibration.figures(counts, profile):
        assert f"| {f.name} |" in text
    assert "estimate" in text and "sourced_outdated" in text


def test_measuring_does_not_depend_on_the_order_of_persons() -> None:
    from gibon import population

    households, persons = population.generate(seed=3, persons=5_000)
    profile = resolve("gwanak", 5_000)
    ordered = calibration.measure(households, persons, profile)
    shuffled = calibration.measure(
        households, persons.sample(fraction=1.0, shuffle=True, seed=1), profile
    )
    assert ordered.keys() == shuffled.keys()
    for key, value in ordered.items():
        assert (
            (value == shuffled[key]).all() if hasattr(value, "all") else value == shuffled[key]
        ), key
