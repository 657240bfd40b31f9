"""Per-dong figures of a population (for the district map, dong officers and the CLI)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from gibon.kit import gwanak
from gibon.population._build import Population
from gibon.population._params import reference_date

_ORDER = {name: i for i, name in enumerate(gwanak.dong_names())}
_COUNTS = (
    "persons",
    "households",
    "age65plus",
    "one_person_households",
    "elderly_alone",
    "semi_basement_households",
    "disabled",
    "ltc",
)


def dong_counts(households: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """Additive counts per dong, so chunks of a streamed population can be summed."""
    age = reference_date().year - pl.col("birth_date").dt.year()
    alone = households.select("household_id", "living_alone")
    people = (
        persons.join(alone, on="household_id", how="left")
        .group_by("dong")
        .agg(
            pl.len().alias("persons"),
            (age >= 65).sum().alias("age65plus"),
            ((age >= 65) & pl.col("living_alone")).sum().alias("elderly_alone"),
            (pl.col("disability") != "none").sum().alias("disabled"),
            pl.col("ltc_grade").is_not_null().sum().alias("ltc"),
        )
    )
    homes = households.group_by("dong").agg(
        pl.len().alias("households"),
        pl.col("living_alone").sum().alias("one_person_households"),
        (pl.col("housing_type") == "semi_basement").sum().alias("semi_basement_households"),
    )
    return people.join(homes, on="dong", how="full", coalesce=True).select(
        "dong", *[pl.col(c).fill_null(0).cast(pl.Int64) for c in _COUNTS]
    )


def by_dong(chunks: Iterable[Population]) -> pl.DataFrame:
    """Counts and shares per dong (in percent), summed over one or more chunks."""
    parts = [dong_counts(c.households, c.persons) for c in chunks]
    total = pl.concat(parts).group_by("dong").agg(pl.col(c).sum() for c in _COUNTS)

    def pct(num: str, den: str) -> pl.Expr:
        return (pl.col(num) / pl.col(den) * 100).round(2)

    return total.with_columns(
        pct("age65plus", "persons").alias("age65plus_pct"),
        pct("one_person_households", "households").alias("one_person_pct"),
        pct("elderly_alone", "age65plus").alias("elderly_alone_pct"),
        pct("semi_basement_households", "households").alias("semi_basement_pct"),
        pct("disabled", "persons").alias("disabled_pct"),
    ).sort(pl.col("dong").replace_strict(_ORDER, default=len(_ORDER), return_dtype=pl.Int64))
