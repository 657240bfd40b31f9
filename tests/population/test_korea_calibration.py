"""The Korea profile's calibration is its own: the Gwanak profile draws from the shared blocks."""

from __future__ import annotations

import numpy as np

from gibon.population import _generate, _members, _params
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


def test_weighted_child_ages_stay_inside_the_mothers_range_and_skip_zero_weights() -> None:
    rng = np.random.default_rng(3)
    table = {"ages": [0, 3, 5], "weight": [1.0, 0.0, 2.0]}  # ages 3 and 4 never drawn
    cumulative = _members._child_age_cumulative(table)
    assert cumulative is not None
    lo = rng.integers(0, 20, 5000)
    hi = lo + rng.integers(2, 10, 5000)  # every range holds an age of positive weight
    age = _members._weighted_ages(rng, cumulative, lo, hi)
    assert ((age >= lo) & (age <= hi)).all()
    assert not np.isin(age, [3, 4]).any()
    # inside 0..2 and 5..9 with weights 1 and 2, a child is aged 5+ about 10/13 of the time
    wide = _members._weighted_ages(rng, cumulative, np.zeros(20000, int), np.full(20000, 9))
    assert abs((wide >= 5).mean() - 10 / 13) < 0.02


def test_the_korea_profile_children_match_the_projection_and_gwanak_draws_uniformly() -> None:
    assert _members._child_age_cumulative(None) is None
    assert "child_age_weight" not in _params.params()["ages"]
    pop = _generate.generate(1, 20000, profile="korea")
    born = pop.persons["birth_date"].dt.year().to_numpy()
    under_8 = (born >= 2017).sum() * 51_217_221 / pop.persons.height
    assert abs(under_8 / 2_177_000 - 1) < 0.10  # official_kr.yaml population: persons_under_8
