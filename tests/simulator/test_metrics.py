"""Distribution metrics from merged histograms equal the same metrics on the raw person list."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from gibon.simulator import metrics

incomes = st.lists(
    st.tuples(st.integers(-200_000, 9_000_000), st.integers(1, 6)), min_size=1, max_size=60
)


def _hist(rows: list[tuple[int, int]]) -> pl.DataFrame:
    df = pl.DataFrame(
        {"value": [v for v, _ in rows], "persons": [w for _, w in rows]},
        schema={"value": pl.Int64, "persons": pl.Int64},
    )
    return df.group_by("value").agg(pl.col("persons").sum()).sort("value")


def _expanded(rows: list[tuple[int, int]]) -> np.ndarray:
    return np.sort(np.repeat([v for v, _ in rows], [w for _, w in rows])).astype(np.float64)


@settings(deadline=None)
@given(incomes)
def test_the_histogram_median_equals_the_median_of_every_person(
    rows: list[tuple[int, int]],
) -> None:
    assert metrics.distribution(_hist(rows)).median == float(np.median(_expanded(rows)))


@settings(deadline=None)
@given(incomes)
def test_the_histogram_gini_equals_the_pairwise_gini(rows: list[tuple[int, int]]) -> None:
    x = np.maximum(_expanded(rows), 0)  # bottom-coded at zero
    if x.sum() <= 0:
        return
    pairwise = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert abs(metrics.distribution(_hist(rows)).gini - pairwise) < 1e-9


@settings(deadline=None)
@given(incomes)
def test_the_poverty_rate_counts_persons_strictly_below_half_the_median(
    rows: list[tuple[int, int]],
) -> None:
    x = _expanded(rows)
    line = float(np.median(x)) / 2
    d = metrics.distribution(_hist(rows))
    assert d.poverty_rate == (x < line).sum() / len(x)
    if line > 0:
        gap = np.where(x < line, (line - np.maximum(x, 0)) / line, 0).sum() / len(x)
        assert math.isclose(d.poverty_gap_index, gap, rel_tol=1e-9, abs_tol=1e-12)
        assert d.poverty_gap_index <= d.poverty_rate + 1e-12


@settings(max_examples=50, deadline=None)
@given(incomes, st.integers(1, 5))
def test_splitting_the_people_into_parts_and_merging_changes_nothing(
    rows: list[tuple[int, int]],
    parts: int,
) -> None:
    pieces = [_hist(rows[i::parts]) for i in range(parts) if rows[i::parts]]
    merged = metrics.merge_histograms(pieces)
    assert merged.equals(_hist(rows))
    assert metrics.distribution(merged) == metrics.distribution(_hist(rows))


def test_a_perfectly_equal_district_has_a_gini_of_zero_and_no_poverty() -> None:
    d = metrics.distribution(_hist([(2_000_000, 10)]))
    assert (d.gini, d.poverty_rate, d.median) == (0.0, 0.0, 2_000_000.0)


def test_deciles_keep_people_with_the_same_income_together() -> None:
    hist = _hist([(v, 1) for v in range(100)] + [(50, 30)])
    dec = metrics.deciles(hist)
    assert dec["persons"].sum() == 130
    holding_50 = dec.filter((pl.col("income_from") <= 50) & (pl.col("income_to") >= 50))
    assert holding_50.height == 1
    assert dec["decile"].to_list() == sorted(dec["decile"].to_list())
