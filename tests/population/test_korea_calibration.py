"""The Korea profile's calibration is its own: the Gwanak profile draws from the shared blocks."""

from __future__ import annotations

from gibon.population import _params
from gibon.population._structure import household_types


def test_the_gwanak_profile_reads_the_shared_blocks_unchanged() -> None:
    gwanak = _params.resolve("gwanak", 1000)
    for key in ("income", "employment", "housing", "household_types", "health"):
        assert gwanak.section(key) is _params.params()[key]


def test_the_korea_profile_overrides_only_what_it_calibrates() -> None:
    korea = _params.resolve("korea", 1000)
    income = korea.section("income")
    assert income["earned_female_factor"] != _params.params()["income"]["earned_female_factor"]
    assert income["pension"]["receipt_pct_by_age"]["ages"][0] == 55
    # blocks it does not name come from the shared table; in a block it names, only its keys
    assert korea.section("assets") is _params.params()["assets"]
    health = korea.section("health")
    assert "disabled_work_odds" in health and "disabled_work_odds" not in _params.params()["health"]
    assert health["conditions"] is _params.params()["health"]["conditions"]
    sharing = [t for t in household_types(korea) if t.name == "sharing"]
    shared = [t for t in household_types() if t.name == "sharing"]
    assert sharing[0].weight < shared[0].weight


def test_the_korea_profile_disabled_work_as_often_as_the_survey_says() -> None:
    # 2023 하반기 장애인경제활동실태조사: 등록장애인 15-64 고용률 48.5 %, 15+ 34.0 %, 중증 about
    # half of 경증. Drawn independently of work, the sample had 76 % and 48 %, severe as mild.
    import numpy as np

    from gibon import population

    persons = population.generate(seed=1, persons=60_000, profile="korea").persons
    age = (2024 - persons["birth_date"].dt.year()).to_numpy()
    works = (~persons["employment"].is_in(["unemployed", "inactive"])).to_numpy()
    disability = persons["disability"].to_numpy()
    disabled = (disability != "none") & (age >= 15)
    prime = disabled & (age <= 64)
    assert abs(works[prime].mean() - 0.485) < 0.04
    assert abs(works[disabled].mean() - 0.340) < 0.04
    severe, mild = works[prime & (disability == "severe")], works[prime & (disability == "mild")]
    assert severe.mean() < 0.6 * mild.mean()
    assert np.isclose(disabled.sum() / (age >= 15).sum(), 0.05, atol=0.02)
