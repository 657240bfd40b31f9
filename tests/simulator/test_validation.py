"""The baseline against official statistics, and the geography that national runs need."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gibon import simulator
from gibon.benefits import service as benefits
from gibon.cli import app
from gibon.kit import places
from gibon.simulator import chunk, validation

SAMPLE = 20_000
SEED = 1

# The gap each sourced figure may not exceed on the pinned sample (seed 1, 20,000 persons):
# the tolerance where the baseline meets it, else the gap measured when the pin was set
# (2026-12-07, after the Korea-profile calibration) plus about half a standard error, so a change
# that moves the baseline further from the official figure fails here. Shares and indices are
# absolute, counts and money relative.
PINS = {
    "poverty_rate": 0.005,  # tolerance 0.005; measured -0.0047 (+0.003 on 200,000 persons)
    "poverty_rate_66": 0.025,  # no tolerance set; measured -0.0046 (+0.022 on 200,000)
    "gini": 0.005,  # tolerance 0.005; measured +0.0048 (-0.0000 on 200,000)
    "quintile_ratio": 0.55,  # no tolerance set; measured +0.51 (+0.42 on 200,000)
    # the sample's children against 통계청's 2025 projection (tolerance 0.10, met): measured +0.9 %
    # and +7.9 % here (+0.4 % and +6.3 % on 200,000); child ages weighted by births per year
    "persons_under_8": 0.10,
    "persons_under_18": 0.10,
    "nbls_any": 0.10,  # tolerance 0.10; measured -5.1 % (-6.1 % on 200,000)
    "nbls_households": 0.10,  # tolerance 0.10; measured +8.4 % (+6.7 % on 200,000)
    # tolerance 0.10; -6.7 % here (SE 2.2 %), -9.9 % on 200,000 (-11.6 % here before the child
    # ages were refitted, so it stays pinned at that gap)
    "basic_pension": 0.125,
    "basic_pension_spending": 0.11,  # tolerance 0.10; -5.3 % here, -8.7 % on 200,000
    # 2022 caseload; tolerance 0.10, met on 200,000 persons (+7.1 %; seeds 2 and 3: +7.9 %,
    # +7.3 %); +25.2 % here with a standard error of 12 %, so pinned at its measured gap. It was
    # +13.1 % here before the child ages were refitted: the adults who were children then are
    # drawn as severely disabled more often (the severe count is exact, children had a share of it)
    "disability_pension": 0.31,
    # 2024 국비 budget against the simulated gross amount (definitions differ, no tolerance);
    # measured +48 % (+35 % on 200,000)
    "parental_benefit_spending": 0.75,
}


@lru_cache(maxsize=1)
def _korea() -> tuple[pl.DataFrame, pl.DataFrame]:
    return validation.korea_sample(SAMPLE, SEED)


@lru_cache(maxsize=1)
def _rows() -> dict[str, validation.Row]:
    households, persons = _korea()
    base = validation.baseline(households, persons, "2026-06", SEED)
    return {r.key: r for r in validation.rows(base, replicates=8, seed=SEED)}


def test_the_place_table_adds_up_to_the_registered_population() -> None:
    assert sum(s.population_2024 for s in places.sidos()) == 51_217_221
    assert len(places.sidos()) == 17


def test_a_korea_sample_spreads_households_over_the_sido_by_population() -> None:
    households, _ = _korea()
    codes, shares = places.population_shares()
    seen = households["sido"].value_counts().to_dict(as_series=False)
    count = dict(zip(seen["sido"], seen["count"], strict=True))
    for code, share in zip(codes, shares, strict=True):
        assert abs(count.get(code, 0) / households.height - share) < 0.012, code


def test_seoul_programs_reach_no_one_outside_seoul() -> None:
    households, persons = _korea()
    result = benefits.calculate_population(households, persons, "2026-06")
    sido = households["sido"].to_numpy()
    for pid in ("youth_allowance_seoul", "youth_rent_seoul"):
        eligible = result[f"{pid}_eligible"].to_numpy()
        assert not eligible[sido != "11"].any(), pid
        assert eligible[sido == "11"].any(), pid


def test_a_household_without_a_sido_is_in_the_home_district() -> None:
    region = places.region_inputs(None, 3)
    assert region["seoul"].all() and region["capital_area"].all()
    assert (region["nbls_region"] == 1).all()


def test_an_unknown_sido_code_is_refused_with_an_example() -> None:
    with pytest.raises(Exception, match="지역 코드"):
        places.region_inputs(["99"], 1)
    with pytest.raises(Exception, match="48999"):
        places.region_inputs(["48"], 1, ["48999"])


def test_a_households_sigungu_decides_its_region_classes_over_its_sido() -> None:
    # 관악구, 창원시, 수원시, 기장군 (부산의 군), 양평군, and 경상남도 without a 시군구
    sido = ["11", "48", "41", "26", "41", "48"]
    sigungu = ["11620", "48120", "41110", "26710", "41830", None]
    region = places.region_inputs(sido, 6, sigungu)
    assert region["nbls_region"].tolist() == [1, 3, 2, 3, 2, 4]
    assert region["housing_grade"].tolist() == [1, 4, 2, 3, 2, 4]
    assert region["metro_city"].tolist() == [True, False, False, False, False, False]
    assert region["rural"].tolist() == [False, False, False, True, True, False]
    assert region["capital_area"].tolist() == [True, False, True, False, True, False]


def test_the_engine_reads_the_same_region_inputs_from_frames_as_from_columns() -> None:
    from gibon.benefits.engine import inputs

    households, persons = _korea()
    month = inputs.month_start("2026-06")
    framed = inputs.from_frames(households, persons, month).inputs
    plain = places.region_inputs(
        households["sido"].to_list(), households.height, households["sigungu"].to_list()
    )
    for key in places.REGION:
        assert (np.asarray(framed[key]) == plain[key]).all(), key


def test_an_older_household_in_a_gun_gets_no_more_basic_pension_than_in_a_city_of_its_do() -> None:
    # 기초연금 기본재산액: 농어촌 7,250만원 < 중소도시 8,500만원, so moving a household from a 군 to a
    # 시 of the same 도 can only lower its 소득인정액: some then pass the line or lose less to 감액.
    households, persons = _korea()
    city = {g.sido: g.code for g in places.sigungus() if g.basic_pension_area == "중소도시"}
    rural = places.region_inputs(
        households["sido"].to_list(), households.height, households["sigungu"].to_list()
    )["rural"]
    moved = households.with_columns(
        pl.when(pl.Series(rural))
        .then(pl.col("sido").replace_strict(city, default=None))
        .otherwise(pl.col("sigungu"))
        .alias("sigungu")
    )
    there = benefits.calculate_population(households, persons, "2026-06")
    here = benefits.calculate_population(moved, persons, "2026-06")
    got_there = there["basic_pension_eligible"].to_numpy()
    got_here = here["basic_pension_eligible"].to_numpy()
    assert rural.any() and not (got_there & ~got_here).any()
    paid_there = there["basic_pension_amount"].to_numpy()
    paid_here = here["basic_pension_amount"].to_numpy()
    assert ((got_here & ~got_there) | (paid_here > paid_there))[rural].any()


def test_child_allowance_pays_the_non_capital_amount_outside_the_capital_area() -> None:
    households, persons = _korea()
    result = benefits.calculate_population(households, persons, "2026-06")
    amount = result["child_allowance_amount"].to_numpy()
    eligible = result["child_allowance_eligible"].to_numpy()
    capital = np.isin(households["sido"].to_numpy(), ["11", "28", "41"])
    kids = result["child_allowance_persons"].to_numpy()
    per_child = amount[eligible] / kids[eligible]
    assert set(np.unique(per_child[capital[eligible]])) == {100_000}
    assert set(np.unique(per_child[~capital[eligible]])) == {105_000}


def test_a_household_program_counts_every_member_and_a_person_program_the_eligible() -> None:
    households, persons = _korea()
    result = benefits.calculate_population(households, persons, "2026-06")
    size = result["size"].to_numpy()
    livelihood = result["livelihood_eligible"].to_numpy()
    assert (result["livelihood_persons"].to_numpy()[livelihood] == size[livelihood]).all()
    pension = result["basic_pension_eligible"].to_numpy()
    counted = result["basic_pension_persons"].to_numpy()
    assert (counted[pension] >= 1).all() and (counted <= size).all()
    assert (counted[pension] < size[pension]).any()  # only the older members count
    assert (counted[~pension] == 0).all()


@pytest.mark.parametrize("key", sorted(PINS))
def test_the_baseline_stays_within_its_pinned_gap_to_the_official_figure(key: str) -> None:
    row = _rows()[key]
    assert row.status == "sourced" and row.official
    off = (
        abs(row.relative_gap or 0)
        if row.unit in ("persons", "households", "won_year")
        else abs(row.gap or 0)
    )
    assert off <= PINS[key], f"{row.label}: {row.simulated} against {row.official}"


def test_every_figure_states_its_unit_year_and_source() -> None:
    for row in _rows().values():
        assert row.unit in ("share", "index", "ratio", "persons", "households", "won_year")
        assert row.year and row.cite
        assert row.se >= 0


def test_the_validate_command_prints_json_rows_with_verdicts() -> None:
    result = CliRunner().invoke(
        app, ["validate", "baseline", "--persons", "3000", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["key"] for r in rows} >= {
        "poverty_rate",
        "poverty_rate_children",
        "gini",
        "basic_pension",
    }
    assert {r["verdict"] for r in rows} <= {"허용 범위 안", "허용 범위 밖", "비교만"}


def test_a_tiny_sample_is_refused_with_an_example() -> None:
    result = CliRunner().invoke(app, ["validate", "baseline", "--persons", "10"])
    assert result.exit_code == 2
    assert "--persons 100000" in result.output


def test_a_korea_sample_directory_validates_and_a_gwanak_one_is_refused(tmp_path: Path) -> None:
    runner = CliRunner()
    korea, gwanak = tmp_path / "korea", tmp_path / "gwanak"
    made = runner.invoke(
        app,
        [
            "population",
            "generate",
            "--seed",
            "2",
            "--scale",
            "korea",
            "--persons",
            "3000",
            "--out",
            str(korea),
        ],
    )
    assert made.exit_code == 0, made.output
    assert (
        runner.invoke(
            app, ["population", "generate", "--seed", "2", "--scale", "3000", "--out", str(gwanak)]
        ).exit_code
        == 0
    )
    ok = runner.invoke(
        app, ["validate", "baseline", "--population", str(korea), "--format", "json"]
    )
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(app, ["validate", "baseline", "--population", str(gwanak)])
    assert refused.exit_code == 2
    assert "전국 프로필" in refused.output


def test_the_sigungu_table_adds_up_to_each_sido_and_names_its_classes() -> None:
    rows = places.sigungus()
    assert len(rows) == 229  # 226 시·군·자치구, 세종, 제주's two 행정시
    assert len({g.code for g in rows}) == len(rows)
    assert {g.sido for g in rows} == {s.code for s in places.sidos()}
    gwanak = places.sigungu_by_code()[places.HOME_SIGUNGU]
    assert (gwanak.name, gwanak.housing_grade, gwanak.basic_pension_area) == ("관악구", 1, "대도시")
    changwon = places.sigungu_by_code()["48120"]
    assert changwon.name == "창원시" and changwon.nbls_region == 3
    assert {g.basic_pension_area for g in rows if g.kind == "군"} == {"농어촌"}


def test_a_korea_sample_spreads_each_sido_over_its_sigungu_by_residents() -> None:
    households, _ = _korea()
    assert (households["sigungu"].str.slice(0, 2) == households["sido"]).all()
    gyeonggi = households.filter(pl.col("sido") == "41")["sigungu"]
    codes, shares = places.sigungu_shares("41")
    counts = gyeonggi.value_counts().to_dict(as_series=False)
    seen = dict(zip(counts["sigungu"], counts["count"], strict=True))
    for code, share in zip(codes, shares, strict=True):
        assert abs(seen.get(code, 0) / gyeonggi.len() - share) < 0.02, code


def test_the_gwanak_population_sits_in_gwanak() -> None:
    from gibon.population import generate

    households = generate(1, 2000).households
    assert set(households["sigungu"].unique()) == {places.HOME_SIGUNGU}


def test_a_later_law_reads_the_sample_at_its_own_date() -> None:
    # The sample describes 2024-12-31: under 2026-06 law a child born in December 2024 is an
    # infant (부모급여 0세), not 1½ years old, and the shift is 17 whole months.
    import datetime as dt

    persons = pl.DataFrame({"birth_date": [dt.date(2024, 12, 15), dt.date(1959, 1, 31)]})
    moved = chunk.as_of(persons, dt.date(2026, 6, 1))["birth_date"].to_list()
    assert moved == [dt.date(2026, 5, 15), dt.date(1960, 6, 30)]
    assert chunk.as_of(persons, dt.date(2025, 1, 1)).equals(persons)
    households, people = _korea()
    result = benefits.calculate_population(
        households, chunk.as_of(people, dt.date(2026, 6, 1)), "2026-06"
    )
    unaligned = benefits.calculate_population(households, people, "2026-06")
    assert (
        result["parental_benefit_persons"].sum() > 1.5 * unaligned["parental_benefit_persons"].sum()
    )


def test_gibon_simulate_reads_the_sample_at_the_same_date_as_the_validation() -> None:
    # One path: the simulator's baseline and the validation's count the same recipients and
    # costs for every program on the same sample (before, simulate read everyone 17 months older).
    households, persons = _korea()
    sim = simulator.simulate(simulator.BASELINE, frames=(households, persons), seed=SEED)
    base = validation.baseline(households, persons, "2026-06", SEED).table
    programs = sim.programs.filter(pl.col("program") == "parental_benefit").row(0, named=True)
    assert programs["base_recipients"] == base["parental_benefit:recipients"].sum() > 0
    for row in sim.programs.iter_rows(named=True):
        pid = row["program"]
        assert row["base_recipients"] == base[f"{pid}:recipients"].sum(), pid
        assert row["base_cost"] == base[f"{pid}:cost"].sum(), pid
