from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gibon import population
from gibon.errors import InvalidInput
from gibon.kit import gwanak
from gibon.population import Population, schema
from gibon.population._geo import polygons


def test_the_same_seed_gives_the_same_population() -> None:
    a = population.generate(seed=7, persons=3_000)
    b = population.generate(seed=7, persons=3_000)
    assert a.households.equals(b.households)
    assert a.persons.equals(b.persons)


def test_a_different_seed_gives_different_people() -> None:
    a = population.generate(seed=7, persons=3_000)
    b = population.generate(seed=8, persons=3_000)
    assert not a.persons["birth_date"].equals(b.persons["birth_date"])


def test_the_tables_have_exactly_the_contract_columns_and_types(district: Population) -> None:
    assert dict(district.persons.schema) == schema.PERSONS
    written = {**schema.HOUSEHOLDS, **schema.OPTIONAL["households.parquet"]}
    assert dict(district.households.schema) == written


def test_categorical_columns_only_hold_documented_values(district: Population) -> None:
    p, h = district.persons, district.households
    allowed = {
        "sex": {"F", "M"},
        "relation": {"head", "spouse", "child", "parent", "other"},
        "employment": {"regular", "temporary", "daily", "self_employed", "unemployed", "inactive"},
        "disability": {"none", "mild", "severe"},
    }
    for col, values in allowed.items():
        assert set(p[col].unique()) == values, col
    assert set(p["ltc_grade"].drop_nulls().unique()) == {"1", "2", "3", "4", "5", "cognitive"}
    assert set(h["tenure"].unique()) == {"owner", "jeonse", "monthly_rent", "public_rental", "free"}
    assert set(h["housing_type"].unique()) == {
        "apartment",
        "multi_unit",
        "detached",
        "officetel",
        "semi_basement",
        "gosiwon",
    }
    assert set(h["dong"].unique()) == set(gwanak.dong_names())
    codes = set(p["conditions"].explode().drop_nulls().unique())
    assert codes == {"I10", "E11", "E78", "J44", "M17", "I63", "N18", "F32", "F03"}


def test_every_household_has_one_head_and_as_many_members_as_its_size(district: Population) -> None:
    p, h = district.persons, district.households
    members = p.group_by("household_id").agg(
        pl.len().alias("n"), (pl.col("relation") == "head").sum().alias("heads")
    )
    joined = h.join(members, on="household_id", how="left")
    assert joined["heads"].to_list() == [1] * len(h)
    assert (joined["n"] == joined["size"]).all()
    assert (h["living_alone"] == (h["size"] == 1)).all()
    assert p["person_id"].n_unique() == len(p) and h["household_id"].n_unique() == len(h)


def test_amounts_are_never_negative(district: Population) -> None:
    money = [c for c, t in schema.PERSONS.items() if t == pl.Int64()]
    assert district.persons.select(pl.min_horizontal(money).min()).item() >= 0
    assets = [c for c, t in schema.HOUSEHOLDS.items() if t == pl.Int64()]
    assert district.households.select(pl.min_horizontal(assets).min()).item() >= 0


def test_only_renters_pay_rent_and_only_owners_hold_housing_assets(district: Population) -> None:
    h = district.households
    assert h.filter(pl.col("tenure") == "owner")["monthly_rent"].max() == 0
    assert h.filter(pl.col("tenure") != "owner")["asset_housing"].max() == 0
    assert h.filter(pl.col("tenure") == "jeonse")["deposit"].min() > 0
    assert (h.filter(pl.col("housing_type") == "gosiwon")["size"] == 1).all()


def test_pregnant_people_are_women_of_childbearing_age(district: Population) -> None:
    pregnant = district.persons.filter(pl.col("pregnant"))
    assert len(pregnant) > 100
    assert set(pregnant["sex"].unique()) == {"F"}
    ages = 2024 - pregnant["birth_date"].dt.year()
    assert ages.min() >= 15 and ages.max() < 50


def test_every_home_lies_inside_its_dong_polygon(district: Population) -> None:
    h = district.households
    dong_ix = {d: i for i, d in enumerate(gwanak.dong_names())}
    index = h["dong"].replace_strict(dong_ix, return_dtype=pl.Int64).to_numpy()
    lat, lon = h["lat"].to_numpy(), h["lon"].to_numpy()
    for i, geom in enumerate(polygons()):
        sel = index == i
        assert shapely.contains_xy(geom, lon[sel], lat[sel]).all(), gwanak.dong_names()[i]


def test_small_populations_have_exactly_the_persons_asked_for() -> None:
    for n in (1, 2, 21, 250):
        households, persons = population.generate(seed=2, persons=n)
        assert len(persons) == n
        assert households["size"].sum() == n


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True, 2**64])
def test_a_bad_seed_is_refused(seed: object) -> None:
    with pytest.raises(InvalidInput) as err:
        population.generate(seed=seed, persons=10)  # type: ignore[arg-type]
    assert err.value.where == "seed"


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(InvalidInput):
        population.generate(seed=1, persons=10, profile="mars")


def test_chunks_continue_ids_and_rrn_serials_and_each_stays_within_its_size() -> None:
    chunks = list(population.generate_chunks(seed=3, persons=10_000, chunk_persons=2_500))
    assert [len(c.persons) for c in chunks] == [2_500] * 4
    persons = pl.concat([c.persons for c in chunks])
    households = pl.concat([c.households for c in chunks])
    assert persons["person_id"].n_unique() == 10_000 and persons["rrn"].n_unique() == 10_000
    assert persons["person_id"][-1] == "P00010000"
    assert set(persons["household_id"]) == set(households["household_id"])


def test_a_single_chunk_equals_the_in_memory_population() -> None:
    (chunk,) = population.generate_chunks(seed=4, persons=4_000, chunk_persons=10_000)
    whole = population.generate(seed=4, persons=4_000)
    assert chunk.persons.equals(whole.persons)


def test_the_korea_profile_is_older_and_lives_in_bigger_households() -> None:
    kr = population.generate(seed=1, persons=50_000, profile="korea")
    gw = population.generate(seed=1, persons=50_000)
    old = lambda p: float(((2024 - p["birth_date"].dt.year()) >= 65).mean())  # noqa: E731
    assert old(kr.persons) == pytest.approx(0.1998, abs=0.0005)
    assert kr.households["size"].mean() > gw.households["size"].mean()
    assert (kr.households["tenure"] == "owner").mean() > 0.55
    assert np.isfinite(kr.households["lat"].to_numpy()).all()


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 4_000), seed=st.integers(0, 2**32))
def test_any_size_and_seed_gives_whole_households_with_one_head_each(n: int, seed: int) -> None:
    households, persons = population.generate(seed=seed, persons=n)
    assert len(persons) == n == households["size"].sum()
    heads = persons.filter(pl.col("relation") == "head")["household_id"]
    assert heads.n_unique() == len(heads) == len(households)
    ages = 2024 - persons["birth_date"].dt.year()
    assert ages.min() >= 0 and ages.max() <= 99
    assert (persons["earned_income"] >= 0).all()


def test_the_cli_scale_accepts_names_and_counts() -> None:
    from gibon.population.cli import parse_scale

    assert parse_scale("korea") == ("korea", None)
    assert parse_scale("Gwanak") == ("gwanak", None)
    assert parse_scale("1,000") == ("gwanak", 1000)
    with pytest.raises(InvalidInput):
        parse_scale("-5")


def test_family_relations_are_plausible(district: Population) -> None:
    p = district.persons.select("household_id", "relation", "sex", "birth_date")
    head = p.filter(pl.col("relation") == "head").select(
        "household_id", pl.col("sex").alias("head_sex"), pl.col("birth_date").alias("head_born")
    )
    members = p.join(head, on="household_id")
    spouses = members.filter(pl.col("relation") == "spouse")
    assert (spouses["sex"] != spouses["head_sex"]).all()
    children = members.filter(pl.col("relation") == "child")
    assert (children["birth_date"].dt.year() - children["head_born"].dt.year() >= 14).all()
    parents = members.filter(pl.col("relation") == "parent")
    assert (parents["birth_date"] < parents["head_born"]).all()
    old = 2024 - parents["birth_date"].dt.year()
    assert old.min() >= 65
