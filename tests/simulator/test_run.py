"""Runs over a small synthetic district: costs add up, splitting changes nothing, take-up decides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from gibon import errors as simulator_errors
from gibon import population, simulator
from gibon.simulator import chunk, takeup
from gibon.simulator import result as result_mod

YOUTH = "gwanak_youth_basic_income"


def _reform(name: str) -> simulator.Reform:
    return simulator.load_reform(simulator.examples()[name])


@pytest.fixture(scope="module")
def youth(small_population: population.Population) -> result_mod.Result:
    return simulator.simulate(_reform(YOUTH), frames=tuple(small_population), month="2026-06")


def _assert_same(a: result_mod.Result, b: result_mod.Result) -> None:
    for name, table in a.tables().items():
        assert table.equals(b.tables()[name]), name
    assert a.distribution == b.distribution


def test_the_youth_income_costs_one_hundred_thousand_won_per_young_person_reached(
    youth: result_mod.Result,
    small_population: population.Population,
) -> None:
    june = dt.date(2026, 6, 1)
    ps = chunk.as_of(small_population.persons, june)  # the population's ages, moved to June 2026
    age = ps.select(simulator.taxes.age_at(june).alias("age"), "household_id")
    young = age.filter(pl.col("age").is_between(19, 34)).group_by("household_id").len()
    keys = takeup.household_keys(young["household_id"], 1)
    taken = young.filter(pl.Series(takeup.draws(keys, YOUTH) < 0.9))
    row = youth.programs.filter(pl.col("program") == YOUTH).row(0, named=True)
    assert row["reform_eligible"] == young.height
    assert row["reform_recipients"] == taken.height
    assert row["reform_cost"] == 100_000 * int(taken["len"].sum())
    assert row["reform_cost_year"] == 12 * row["reform_cost"]
    assert row["base_cost"] == 0


def test_a_cash_transfer_makes_only_gainers_and_never_raises_poverty(
    youth: result_mod.Result,
) -> None:
    totals = youth.totals()
    assert totals["losers"] == 0
    assert (
        totals["gainers"]
        == youth.programs.filter(pl.col("program") == YOUTH)["reform_recipients"].item()
    )
    reform_at_line = youth.distribution["reform_at_baseline_line"]
    assert reform_at_line.poverty_rate <= youth.distribution["baseline"].poverty_rate


def test_group_tables_add_up_to_the_district(youth: result_mod.Result) -> None:
    g = youth.groups
    district = g.filter(pl.col("dimension") == "district")
    for dim in ("dong", "age_band"):
        part = g.filter(pl.col("dimension") == dim)
        assert part["households"].sum() == district["households"].item()
        assert part["gain"].sum() == district["gain"].item()


def test_deciles_hold_everyone_and_the_gain(youth: result_mod.Result) -> None:
    assert youth.deciles["persons"].sum() == youth.meta["persons"]
    assert youth.deciles["gain"].sum() == youth.totals()["gain"]
    assert youth.deciles.height == 10


def test_splitting_the_district_into_chunks_gives_exactly_the_same_result(
    youth: result_mod.Result,
    small_population: population.Population,
) -> None:
    chunked = simulator.simulate(
        _reform(YOUTH), frames=tuple(small_population), month="2026-06", chunk_households=450
    )
    _assert_same(youth, chunked)


def test_streaming_from_a_population_directory_equals_the_in_memory_run(
    youth: result_mod.Result,
    population_dir: Path,
) -> None:
    streamed = simulator.simulate(
        _reform(YOUTH), population=population_dir, month="2026-06", chunk_households=700
    )
    _assert_same(youth, streamed)


def test_two_dask_workers_give_exactly_the_single_process_result(
    youth: result_mod.Result,
    population_dir: Path,
) -> None:
    on_dask = simulator.simulate(
        _reform(YOUTH),
        population=population_dir,
        month="2026-06",
        chunk_households=500,
        workers=2,
        processes=False,
    )
    _assert_same(youth, on_dask)


def test_an_override_not_yet_in_force_is_reported_and_changes_nothing(
    small_population: population.Population,
) -> None:
    res = simulator.simulate(
        _reform("livelihood_selection_35"), frames=tuple(small_population), month="2026-06"
    )
    assert res.notices and "2026-07" in res.notices[0]
    assert res.totals()["gain"] == 0


def test_the_wider_livelihood_line_reaches_more_households_from_july(
    small_population: population.Population,
) -> None:
    res = simulator.simulate(
        _reform("livelihood_selection_35"), frames=tuple(small_population), month="2026-07"
    )
    row = res.programs.filter(pl.col("program") == "livelihood").row(0, named=True)
    assert row["reform_eligible"] >= row["base_eligible"]
    assert row["reform_cost"] > row["base_cost"]
    assert res.totals()["losers"] == 0
    assert not res.notices


def test_full_take_up_leaves_no_one_out_and_zero_take_up_reaches_no_one(
    small_population: population.Population,
    tmp_path: Path,
) -> None:
    f = tmp_path / "take_up.yaml"
    f.write_text("programs:\n  livelihood: {rate: 1.0}\n  housing_benefit: {rate: 0}\n")
    res = simulator.simulate(
        simulator.BASELINE, frames=tuple(small_population), take_up=takeup.load(f)
    )
    rows = {r["program"]: r for r in res.programs.iter_rows(named=True)}
    assert rows["livelihood"]["base_missed"] == 0
    assert rows["housing_benefit"]["base_recipients"] == 0
    assert rows["housing_benefit"]["base_missed"] == rows["housing_benefit"]["base_eligible"]


def test_the_same_seed_leaves_the_same_households_out_and_another_seed_does_not(
    small_population: population.Population,
) -> None:
    ids = small_population.households["household_id"]
    assert (
        takeup.draws(takeup.household_keys(ids, 1), "livelihood")
        == takeup.draws(takeup.household_keys(ids, 1), "livelihood")
    ).all()
    assert not (
        takeup.draws(takeup.household_keys(ids, 1), "livelihood")
        == takeup.draws(takeup.household_keys(ids, 2), "livelihood")
    ).all()


def test_a_misspelt_program_in_the_take_up_file_is_refused_with_the_closest_name(
    small_population: population.Population,
    tmp_path: Path,
) -> None:
    f = tmp_path / "take_up.yaml"
    f.write_text("programs:\n  livelyhood: {rate: 1.0}\n")
    with pytest.raises(simulator_errors.InvalidInput) as info:
        simulator.simulate(
            simulator.BASELINE, frames=tuple(small_population), take_up=takeup.load(f)
        )
    assert "livelihood" in info.value.message


def test_what_the_left_out_miss_adds_up_from_dongs_to_the_district(
    youth: result_mod.Result,
) -> None:
    b = youth.breakdown
    for pid in ("livelihood", YOUTH):
        district = b.filter((pl.col("dimension") == "district") & (pl.col("program") == pid))
        dongs = b.filter((pl.col("dimension") == "dong") & (pl.col("program") == pid))
        assert dongs["reform_missed_amount"].sum() == district["reform_missed_amount"].item()
        assert (
            district["reform_missed"].item()
            == youth.programs.filter(pl.col("program") == pid)["reform_missed"].item()
        )
    assert (b["reform_missed_amount"] >= 0).all()


def test_an_existing_dask_scheduler_gives_exactly_the_single_process_result(
    youth: result_mod.Result,
    population_dir: Path,
) -> None:
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        on_scheduler = simulator.simulate(
            _reform(YOUTH),
            population=population_dir,
            month="2026-06",
            chunk_households=600,
            scheduler=cluster.scheduler_address,
        )
    _assert_same(youth, on_scheduler)
    assert "dask scheduler" in on_scheduler.meta["engine"]


def test_two_worker_processes_give_exactly_the_single_process_result(
    youth: result_mod.Result,
    population_dir: Path,
) -> None:
    """Real processes: the setup is pickled, rules are rebuilt on each worker."""
    on_processes = simulator.simulate(
        _reform(YOUTH),
        population=population_dir,
        month="2026-06",
        chunk_households=500,
        workers=2,
        processes=True,
    )
    _assert_same(youth, on_processes)
