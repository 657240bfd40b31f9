"""Population tables become the rules' input arrays exactly as the plain definitions say."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from gibon import population
from gibon.benefits.engine import inputs
from gibon.errors import InvalidInput


def test_day_numbers_give_the_calendars_year_month_and_day() -> None:
    days = np.array(
        [
            (dt.date(y, m, d) - dt.date(1970, 1, 1)).days
            for y, m, d in [
                (1900, 3, 1),
                (1904, 2, 29),
                (1969, 12, 31),
                (1970, 1, 1),
                (2000, 2, 29),
                (2024, 12, 31),
                (2026, 6, 30),
                (1950, 7, 15),
            ]
        ],
        dtype=np.int64,
    )
    rng = np.random.default_rng(3)
    days = np.concatenate([days, rng.integers(-30_000, 21_000, 2_000)])
    year, month, day = inputs._civil(days)
    want = [dt.date(1970, 1, 1) + dt.timedelta(days=int(x)) for x in days]
    assert year.tolist() == [d.year for d in want]
    assert month.tolist() == [d.month for d in want]
    assert day.tolist() == [d.day for d in want]


def test_the_tables_and_the_column_builder_give_the_same_inputs() -> None:
    households, persons = population.generate(seed=2, persons=3_000)
    month = dt.date(2026, 6, 1)
    framed = inputs.from_frames(households, persons, month)
    plain = inputs.build(
        households.to_dict(as_series=False), persons.to_dict(as_series=False), month
    )
    assert set(framed.inputs) == set(plain.inputs)
    for name, values in plain.inputs.items():
        assert np.array_equal(framed.inputs[name], values), name


def test_an_unknown_sido_code_is_refused_with_the_field_named() -> None:
    households, persons = population.generate(seed=2, persons=500)
    households = households.with_columns(pl.lit("99").alias("sido")).drop("sigungu", strict=False)
    with pytest.raises(InvalidInput) as err:
        inputs.from_frames(households, persons, dt.date(2026, 6, 1))
    assert err.value.where == "households.sido"
