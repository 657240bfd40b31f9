"""The Korea profile's calibration is its own: the Gwanak profile draws from the shared blocks."""

from __future__ import annotations

from gibon.population import _params
from gibon.population._structure import household_types


def test_the_gwanak_profile_reads_the_shared_blocks_unchanged() -> None:
    gwanak = _params.resolve("gwanak", 1000)
    for key in ("income", "employment", "housing", "household_types"):
        assert gwanak.section(key) is _params.params()[key]


def test_the_korea_profile_overrides_only_what_it_calibrates() -> None:
    korea = _params.resolve("korea", 1000)
    income = korea.section("income")
    assert income["earned_female_factor"] != _params.params()["income"]["earned_female_factor"]
    assert income["pension"]["receipt_pct_by_age"]["ages"][0] == 55
    # blocks it does not name come from the shared table
    assert korea.section("health") is _params.params()["health"]
    sharing = [t for t in household_types(korea) if t.name == "sharing"]
    shared = [t for t in household_types() if t.name == "sharing"]
    assert sharing[0].weight < shared[0].weight
